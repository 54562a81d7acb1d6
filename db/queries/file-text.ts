import type { ExpressionBuilder } from "kysely";
import type { Executor } from "../client.ts";
import type { Database, FileTextState } from "../schema.ts";

/** A version claimed for extraction, with what reading it needs. */
export interface ClaimedVersion {
  versionId: string;
  storageKey: string;
  size: number;
  contentType: string;
  name: string;
  /** Still the file's current version: an older one's text is never searched, so not extracted. */
  current: boolean;
}

/**
 * Claims up to `limit` waiting versions for `by`, oldest first: one UPDATE,
 * so two processes never take the same one; a claim that ran out (its
 * process died) is taken again, and a version tried `maxAttempts` times is
 * left as it is for the give-up below. On PostgreSQL a statement of its own
 * runs read-committed: a second sweeper's UPDATE waits for the first's rows,
 * then takes them as the first left them without running its sub-select
 * again; so the UPDATE's own WHERE repeats the claim's conditions, which
 * PostgreSQL checks again on those rows (as data-exports.ts claimNext).
 */
export async function claimFileTexts(db: Executor, options: { by: string; now: number; claimMs: number; limit: number; maxAttempts: number }): Promise<ClaimedVersion[]> {
  await giveUpTried(db, options);
  const claimable = claimableText(options);
  const claimed = await db
    .updateTable("file_text")
    .set((eb) => ({ claimed_by: options.by, claimed_until: options.now + options.claimMs, attempts: eb("attempts", "+", 1) }))
    .where("version_id", "in", db.selectFrom("file_text").select("version_id").where(claimable).orderBy("created_at").limit(options.limit))
    .where(claimable)
    .returning("version_id")
    .execute();
  if (claimed.length === 0) return [];
  const rows = await db
    .selectFrom("file_version")
    .innerJoin("file", "file.id", "file_version.file_id")
    .select(["file_version.id", "file_version.storage_key", "file_version.size", "file_version.content_type", "file.name", "file_version.number", "file.version"])
    .where(
      "file_version.id",
      "in",
      claimed.map((c) => c.version_id),
    )
    .execute();
  return rows.map((r) => ({ versionId: r.id, storageKey: r.storage_key, size: r.size, contentType: r.content_type, name: r.name, current: r.number === r.version }));
}

/** A version a sweeper may take: waiting, unclaimed or its claim run out, tried fewer than `maxAttempts` times. */
function claimableText(options: { now: number; maxAttempts: number }) {
  return (eb: ExpressionBuilder<Database, "file_text">) =>
    eb.and([
      eb("state", "=", "pending"),
      eb("attempts", "<", options.maxAttempts),
      eb.or([eb("claimed_until", "is", null), eb("claimed_until", "<", options.now)]),
    ]);
}

/** Versions whose every try ended without an answer (their process died each time): given up, so they stop coming back. */
async function giveUpTried(db: Executor, options: { now: number; maxAttempts: number }) {
  await db
    .updateTable("file_text")
    .set({ state: "failed", reason: "attempts", finished_at: options.now, claimed_by: null, claimed_until: null })
    .where("state", "=", "pending")
    .where("attempts", ">=", options.maxAttempts)
    .where("claimed_until", "<", options.now)
    .execute();
}

/**
 * Puts a claimed version back for later without counting the try: its
 * bytes could not be read (the store is down), which says nothing of the
 * file, and a long outage must not use up its tries.
 */
export async function deferFileText(db: Executor, input: { versionId: string; by: string; until: number }): Promise<void> {
  await db
    .updateTable("file_text")
    .set((eb) => ({ claimed_until: input.until, attempts: eb("attempts", "-", 1) }))
    .where("version_id", "=", input.versionId)
    .where("claimed_by", "=", input.by)
    .where("state", "=", "pending")
    .execute();
}

/** Saves what came of one version, if the claim is still `by`'s (a claim that ran out and was taken again is the other's to finish). */
export async function finishFileText(
  db: Executor,
  input: { versionId: string; by: string; now: number; state: Exclude<FileTextState, "pending">; text: string; truncated: boolean; reason: string | null },
): Promise<boolean> {
  const result = await db
    .updateTable("file_text")
    .set({ state: input.state, text: input.text, truncated: input.truncated ? 1 : 0, reason: input.reason, finished_at: input.now, claimed_by: null, claimed_until: null })
    .where("version_id", "=", input.versionId)
    .where("claimed_by", "=", input.by)
    .where("state", "=", "pending")
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** How many versions wait for extraction now (none claimed by a live process). */
export async function fileTextBacklog(db: Executor, now: number): Promise<number> {
  const row = await db
    .selectFrom("file_text")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("state", "=", "pending")
    .where((eb) => eb.or([eb("claimed_until", "is", null), eb("claimed_until", "<", now)]))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
