import { afterEach, beforeEach, expect, test } from "vitest";
import { migrateToLatest } from "#db/migrations/index.ts";
import { openDatabase } from "#db/client.ts";
import { runsOf } from "#db/queries/job-runs.ts";
import { createScheduler } from "#app/jobs/scheduler.server.ts";
import { tempDatabase } from "#tests/helpers/db.ts";
import { spawnScript, waitFor } from "#tests/helpers/process.ts";

/**
 * The job scheduler (app/jobs/scheduler.server.ts) on real SQLite files: each
 * slot of a job runs once however many processes run it, a failing run is
 * logged and the next slot still runs, and stop() waits for the run under way.
 */

let database: Awaited<ReturnType<typeof tempDatabase>>;
const cleanup: Array<() => unknown> = [];
beforeEach(async () => {
  database = await tempDatabase();
  await migrateToLatest(database.db);
});
afterEach(async () => {
  for (const fn of cleanup.splice(0)) await fn();
  await database?.remove();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test("two processes running the same job on one database file run each slot exactly once", async () => {
  // A slot lost by both is one during which neither process's event loop got a turn: at 300 ms
  // slots the full suite on two cores did that once (a child starting beside it); a second-long
  // starvation is far rarer, and the test still races both processes for every slot.
  const EVERY = 1000;
  const children = [0, 1].map(() => {
    const script = spawnScript("scheduler-child.ts", [database.file, String(EVERY), "6500"]);
    cleanup.push(() => script.child.kill("SIGKILL"));
    return script;
  });
  await waitFor(() => children.every((c) => c.out().startsWith("ready\n")), "both schedulers to load", 30_000, () => children.map((c) => c.err()).join("\n"));
  for (const c of children) c.child.stdin!.end("go\n");
  const codes = await Promise.all(children.map((c) => c.exited));
  expect(codes, children.map((c) => c.err()).join("\n")).toEqual([0, 0]);
  const results = children.map((c) => JSON.parse(c.out().split("\n")[1]) as { by: string; ran: number[] });
  const slots = results.flatMap((r) => r.ran);
  // About six slots in 6.5 s: enough that both raced for several.
  expect(slots.length).toBeGreaterThanOrEqual(4);
  expect(new Set(slots).size, "a slot run by both processes").toBe(slots.length);
  // No slot lost between the first and the last: each was run by one of the two.
  const sorted = [...slots].sort((a, b) => a - b);
  expect(sorted).toEqual(Array.from({ length: sorted.length }, (_, i) => sorted[0] + i));
  // And the database says the same: one finished run per slot, claimed by the process that ran it.
  const rows = await runsOf(database.db, "tick");
  expect(rows.map((r) => r.slot)).toEqual(sorted);
  for (const row of rows) {
    const runner = results.find((r) => r.ran.includes(row.slot))!;
    expect(row.claimed_by).toBe(runner.by);
    expect(row.finished_at).not.toBeNull();
    expect(row.error).toBeNull();
  }
}, 60_000);

// In one thread two better-sqlite3 connections cannot wait for each other (a busy wait blocks
// the thread that holds the lock), so here they take turns; the child processes above race.
test("two schedulers on two connections, and a restarted one: each slot runs once, whoever asks first", async () => {
  const second = openDatabase(database.file);
  cleanup.push(() => second.close());
  const runs: string[] = [];
  const make = (db: typeof database.db, who: string) => {
    const s = createScheduler({ db: () => db, by: who, log: () => {} });
    s.register({ name: "race", everyMs: 1000, run: async ({ slot }) => void runs.push(`${slot}`) });
    return s;
  };
  const a = make(database.db, "a");
  const b = make(second.db, "b");
  const base = 1_000_000;
  const outcomes: string[] = [];
  for (let i = 0; i < 40; i++) {
    const [first, then] = i % 2 === 0 ? [a, b] : [b, a];
    outcomes.push(await first.runSlot("race", base + i * 1000), await then.runSlot("race", base + i * 1000 + 500));
  }
  expect(outcomes.filter((o) => o === "ran")).toHaveLength(40);
  expect(outcomes.filter((o) => o === "taken")).toHaveLength(40);
  expect(runs).toHaveLength(40);
  expect(new Set(runs).size).toBe(40);
  // A restart (a new scheduler, a new claimer) does not run a slot already run.
  const restarted = make(database.db, "a-again");
  expect(await restarted.runSlot("race", base + 5 * 1000 + 10)).toBe("taken");
  expect(runs).toHaveLength(40);
});

test("a failing run is logged with its duration and error; the next slot still runs", async () => {
  const lines: string[] = [];
  const errors: string[] = [];
  let calls = 0;
  const s = createScheduler({ db: () => database.db, log: (l) => lines.push(l), logError: (l) => errors.push(l) });
  cleanup.push(() => s.stop());
  s.register({
    name: "flaky",
    everyMs: 150,
    run: async () => {
      calls++;
      await sleep(5);
      if (calls === 1) throw new Error("disque plein\nfausse ligne");
    },
  });
  s.start();
  await waitFor(() => calls >= 2 && lines.some((l) => l.startsWith("job.finish ")), "a second run after the failing one", 10_000);
  await s.stop();
  expect(errors).toHaveLength(1);
  // One line, whatever the error says: its newline is escaped.
  expect(errors[0]).toMatch(/^job\.fail job=flaky slot=\d+ ms=\d+ error="disque plein\\nfausse ligne"$/);
  expect(lines.filter((l) => l.startsWith("job.start job=flaky "))).toHaveLength(calls);
  expect(lines.find((l) => l.startsWith("job.finish "))).toMatch(/^job\.finish job=flaky slot=\d+ ms=\d+$/);
  const rows = await runsOf(database.db, "flaky");
  expect(rows).toHaveLength(calls);
  expect(rows[0].error).toBe("disque plein\nfausse ligne");
  expect(rows[1].slot).toBeGreaterThan(rows[0].slot);
  expect(rows[1].error).toBeNull();
  expect(rows.every((r) => r.finished_at !== null)).toBe(true);
});

test("a quick run that succeeds, with no log sink, says nothing on the error log", async () => {
  const errors: string[] = [];
  const s = createScheduler({ db: () => database.db, logError: (l) => errors.push(l) });
  cleanup.push(() => s.stop());
  s.register({ name: "quiet", everyMs: 60_000, run: async () => {} });
  expect(await s.runSlot("quiet")).toBe("ran");
  expect(errors).toEqual([]);
});

test("stop() waits for the run in progress, and no run starts after it", async () => {
  let started = 0;
  let finished = 0;
  const s = createScheduler({ db: () => database.db, log: () => {} });
  s.register({
    name: "slow",
    everyMs: 100,
    run: async () => {
      started++;
      await sleep(400);
      finished++;
    },
  });
  s.start();
  await waitFor(() => started === 1, "the first run to start", 10_000);
  await s.stop();
  expect(finished).toBe(1);
  const [row] = await runsOf(database.db, "slow");
  expect(row.finished_at).not.toBeNull();
  await sleep(400);
  expect(started).toBe(1);
  expect(await runsOf(database.db, "slow")).toHaveLength(1);
});
