import { describe, expect, test } from "vitest";
import { dayOf, monthGrid } from "#app/workshops/month.server.ts";

describe("the agenda's month", () => {
  // 4 December 2026, 12:00 UTC: a Friday.
  const now = Date.UTC(2026, 11, 4, 12, 0);

  test("December 2026 in Paris: whole weeks from Monday 30 November to Sunday 3 January, today marked", () => {
    const grid = monthGrid(null, "Europe/Paris", "fr", now)!;
    expect(grid.month).toBe("2026-12");
    expect(grid.label).toBe("décembre 2026");
    expect(grid.prev).toBe("2026-11");
    expect(grid.next).toBe("2027-01");
    expect(grid.weeks).toHaveLength(5);
    expect(grid.weeks.every((w) => w.length === 7)).toBe(true);
    expect(grid.weeks[0][0]).toMatchObject({ date: "2026-11-30", day: 30, inMonth: false });
    expect(grid.weeks[4][6]).toMatchObject({ date: "2027-01-03", inMonth: false });
    expect(grid.weeks.flat().filter((d) => d.today).map((d) => d.date)).toEqual(["2026-12-04"]);
    // Paris is UTC+1 in winter: the grid begins at 23:00 UTC the day before.
    expect(grid.from).toBe(Date.UTC(2026, 10, 29, 23, 0));
    expect(grid.to).toBe(Date.UTC(2027, 0, 3, 23, 0));
    expect(grid.weekdays[0]).toMatch(/^lun/);
  });

  test("a month across the spring change keeps whole days (March 2027 in Paris)", () => {
    const grid = monthGrid("2027-03", "Europe/Paris", "en", now)!;
    expect(grid.label).toBe("March 2027");
    const days = grid.weeks.flat();
    expect(days.filter((d) => d.inMonth)).toHaveLength(31);
    expect(new Set(days.map((d) => d.date)).size).toBe(days.length);
    // The grid ends on Sunday 4 April at midnight, summer time (UTC+2).
    expect(grid.to).toBe(Date.UTC(2027, 3, 4, 22, 0));
  });

  test("an instant falls on the reader's own day", () => {
    const lateEvening = Date.UTC(2026, 11, 7, 23, 30);
    expect(dayOf(lateEvening, "Europe/Paris")).toBe("2026-12-08");
    expect(dayOf(lateEvening, "America/New_York")).toBe("2026-12-07");
  });

  test.each(["2026-13", "2026-1", "abcd-ef", "1900-01", "2026-12-01"])("%s is not a month", (month) => {
    expect(monthGrid(month, "Europe/Paris", "fr", now)).toBeNull();
  });
});
