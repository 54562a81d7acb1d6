import { afterAll, beforeAll, beforeEach, expect, test } from "vitest";
import { migrateToLatest } from "#db/migrations/index.ts";
import { recordBackup } from "#db/queries/backups.ts";
import { backupState } from "#app/backup/state.server.ts";
import { tempDatabase } from "#tests/helpers/db.ts";

/**
 * The backups' state that /healthz?details and the console both read
 * (app/backup/state.server.ts), on a real database: when a scheduled backup
 * is overdue, and which failure counts. healthz.test.ts and backup.test.ts
 * ask the two pages; here are the edges neither reaches (a day late, a run
 * within the grace, nothing scheduled).
 */

let store: Awaited<ReturnType<typeof tempDatabase>>;
beforeAll(async () => {
  store = await tempDatabase();
  await migrateToLatest(store.db);
});
afterAll(() => store?.remove());
beforeEach(async () => {
  await store.db.deleteFrom("backup_run").execute();
});

const HOUR = 3_600_000;
const NOW = Date.UTC(2026, 11, 6, 12, 0);
const DAILY = { dir: "/backups/cercle", intervalMs: 24 * HOUR, keep: 7, copyBucket: null };

function run(finishedAt: number, ok: boolean) {
  return recordBackup(store.db, {
    trigger: ok ? "cli" : "schedule",
    started_at: finishedAt - 60_000,
    finished_at: finishedAt,
    ok,
    location: `/backups/cercle/run-${finishedAt}`,
    database_bytes: ok ? 4096 : null,
    object_count: ok ? 3 : null,
    object_bytes: ok ? 1024 : null,
    error: ok ? null : "disk full",
  });
}

test("nothing scheduled: the schedule and overdue are null, whatever was recorded", async () => {
  await run(NOW - 30 * 24 * HOUR, true);
  const state = await backupState(store.db, { now: NOW, schedule: null });
  expect(state.schedule).toBeNull();
  expect(state.overdue).toBeNull();
  expect(state.lastSuccess?.finished_at).toBe(NOW - 30 * 24 * HOUR);
});

test("scheduled daily: never backed up is overdue; within the interval and its hour of grace is not; past them is", async () => {
  expect(await backupState(store.db, { now: NOW, schedule: DAILY })).toMatchObject({ schedule: { intervalHours: 24, keep: 7 }, lastSuccess: null, overdue: true });
  await run(NOW - 24 * HOUR - 30 * 60_000, true);
  expect((await backupState(store.db, { now: NOW, schedule: DAILY })).overdue).toBe(false);
  expect((await backupState(store.db, { now: NOW + 31 * 60_000, schedule: DAILY })).overdue).toBe(true);
});

test("a failure counts only after the last success; a later success clears it", async () => {
  await run(NOW - 3 * HOUR, false);
  await run(NOW - 2 * HOUR, true);
  expect((await backupState(store.db, { now: NOW, schedule: DAILY })).failedSince).toBeNull();
  await run(NOW - HOUR, false);
  const state = await backupState(store.db, { now: NOW, schedule: DAILY });
  expect(state.failedSince).toMatchObject({ finished_at: NOW - HOUR, error: "disk full" });
  expect(state.lastSuccess?.finished_at).toBe(NOW - 2 * HOUR);
  // A failure does not make the schedule overdue while the last success is recent.
  expect(state.overdue).toBe(false);
});
