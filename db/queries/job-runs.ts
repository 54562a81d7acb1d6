import type { DB } from "../client.ts";

/**
 * Runs of periodic jobs (app/jobs/scheduler.server.ts). The claim is the
 * insert of the (name, slot) primary key: of any number of processes trying
 * the same slot, exactly one inserts the row; the others' INSERT … ON
 * CONFLICT DO NOTHING changes nothing, and they know the slot is taken.
 */

/** True when this caller claimed the slot and is to run it. */
export async function claimRun(db: DB, run: { name: string; slot: number; by: string; now: number }): Promise<boolean> {
  // One statement, so its own (implicit) transaction: SQLite serialises writers, and the
  // check (is there a row?) and the write (there is one now) cannot be split by another
  // process. Not db.transaction(): the app refuses those while the disk is full, and
  // housekeeping, which frees room, must still run then.
  const result = await db
    .insertInto("job_run")
    .values({ name: run.name, slot: run.slot, claimed_by: run.by, claimed_at: run.now, finished_at: null, error: null })
    .onConflict((oc) => oc.columns(["name", "slot"]).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0n) === 1;
}

export async function finishRun(db: DB, run: { name: string; slot: number; by: string; now: number; error: string | null }) {
  await db
    .updateTable("job_run")
    .set({ finished_at: run.now, error: run.error })
    .where("name", "=", run.name)
    .where("slot", "=", run.slot)
    .where("claimed_by", "=", run.by)
    .execute();
}

/**
 * Whether a run of this job is under way in another server that still lives
 * (its claimant beats in app_server since `seenSince`; issue 21). Slots are
 * claimed per server, so without this a run that outlasts its interval on
 * one server would have the next slot start on another beside it. A run
 * whose server died (it stopped beating) blocks nothing: the next slot runs.
 * Empty on SQLite (app_server is PostgreSQL's servers only), where the one
 * primary never overlaps itself.
 */
export async function runningElsewhere(db: DB, run: { name: string; by: string; seenSince: number }): Promise<boolean> {
  const row = await db
    .selectFrom("job_run")
    .innerJoin("app_server", "app_server.id", "job_run.claimed_by")
    .select("job_run.slot")
    .where("job_run.name", "=", run.name)
    .where("job_run.finished_at", "is", null)
    .where("job_run.claimed_by", "<>", run.by)
    .where("app_server.seen_at", ">=", run.seenSince)
    .executeTakeFirst();
  return row !== undefined;
}

/** Runs before `slot` are only a record: a job keeps its last few. */
export async function deleteRunsBefore(db: DB, name: string, slot: number) {
  await db.deleteFrom("job_run").where("name", "=", name).where("slot", "<", slot).execute();
}

export function runsOf(db: DB, name: string) {
  return db.selectFrom("job_run").selectAll().where("name", "=", name).orderBy("slot").execute();
}
