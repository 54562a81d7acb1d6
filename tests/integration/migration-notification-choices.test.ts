import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { migrator } from "#db/migrations/index.ts";
import { takingMail } from "#db/queries/notification-choices.ts";
import { mailRule } from "#app/notifications/choices.ts";
import { tempDatabase } from "#tests/helpers/db.ts";

/**
 * 20261208_1000_notification_choices turns the old yes/no mail columns of
 * `user` into notification choices. Only an SQLite database ever held those
 * columns with data in them (PostgreSQL arrived later, issue 21, and its
 * databases are made empty with every migration), and the test arranges the
 * old table through the raw SQLite handle: it runs on SQLite alone.
 */

describe("the migration from the yes/no mail columns", () => {
  const BEFORE = "20261208_0900_home";
  const UNDER_TEST = "20261208_1000_notification_choices";
  const OLD = ["mail_on_mention", "mail_on_reply", "mail_on_workshop", "mail_workshop_reminders", "mail_on_message"] as const;
  let database: Awaited<ReturnType<typeof tempDatabase>>;
  beforeAll(async () => {
    database = await tempDatabase();
  });
  afterAll(() => database?.remove());

  test("each old “no” becomes the choices of its kinds; a “yes” leaves nothing; the old columns are gone", async () => {
    const m = migrator(database.db);
    expect((await m.migrateTo(BEFORE)).error).toBeUndefined();
    const now = Date.now();
    // Raw SQL: the user table as it was, with its yes/no columns (1 by default).
    const person = (id: string, no: ReadonlyArray<(typeof OLD)[number]>) => {
      database.sqlite.prepare("INSERT INTO user (id, email, display_name, password_hash, created_at, updated_at) VALUES (?, ?, ?, 'x', ?, ?)").run(id, `${id}@old.test`, id, now, now);
      for (const column of no) database.sqlite.prepare(`UPDATE user SET ${column} = 0 WHERE id = ?`).run(id);
    };
    person("yes", []);
    person("noMention", ["mail_on_mention"]);
    person("noReply", ["mail_on_reply"]);
    person("noWorkshop", ["mail_on_workshop"]);
    person("noReminders", ["mail_workshop_reminders"]);
    person("noMessage", ["mail_on_message"]);
    person("allNo", [...OLD]);

    const up = await m.migrateTo(UNDER_TEST);
    expect(up.error).toBeUndefined();
    expect(up.results?.map((r) => r.migrationName)).toEqual([UNDER_TEST]);

    const rows = database.sqlite.prepare("SELECT user_id, kind, delivery FROM notification_choice ORDER BY user_id, kind").all() as Array<{ user_id: string; kind: string; delivery: string }>;
    const byUser: Record<string, Record<string, string>> = {};
    for (const r of rows) (byUser[r.user_id] ??= {})[r.kind] = r.delivery;
    const mention = { mention: "app" };
    const reply = { reply: "app", askAnswer: "app", askThanks: "app" };
    const workshop = { workshopAnnounced: "app", workshopNotes: "app" };
    const reminders = { workshopReminder: "off" };
    const message = { message: "app" };
    expect(byUser).toEqual({
      noMention: mention,
      noReply: reply,
      noWorkshop: workshop,
      noReminders: reminders,
      noMessage: message,
      allNo: { ...mention, ...reply, ...workshop, ...reminders, ...message },
    });

    const columns = (database.sqlite.prepare("SELECT name FROM pragma_table_info('user')").all() as Array<{ name: string }>).map((c) => c.name);
    for (const column of OLD) expect(columns, column).not.toContain(column);
    expect(database.sqlite.prepare("SELECT count(*) AS n FROM user").get()).toEqual({ n: 7 });
    // Nothing for the new tables' levels: every club is heard in full.
    expect(database.sqlite.prepare("SELECT count(*) AS n FROM club_notification_level").get()).toEqual({ n: 0 });

    // And the app reads them as the old columns meant: who still takes messages and reminders by mail.
    const everyone = ["yes", "noMention", "noReply", "noWorkshop", "noReminders", "noMessage", "allNo"];
    expect([...(await takingMail(database.db, everyone, mailRule("message")))].sort()).toEqual(everyone.filter((u) => u !== "noMessage" && u !== "allNo").sort());
    expect([...(await takingMail(database.db, everyone, mailRule("workshopReminder")))].sort()).toEqual(everyone.filter((u) => u !== "noReminders" && u !== "allNo").sort());
    expect([...(await takingMail(database.db, everyone, mailRule("mention")))].sort()).toEqual(everyone.filter((u) => u !== "noMention" && u !== "allNo").sort());
  });
});
