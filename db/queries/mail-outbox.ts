import type { Executor } from "../client.ts";
import { newId } from "../ids.ts";
import type { MailState } from "../schema.ts";

/**
 * The one outbox every mail goes through. A row is written in the
 * transaction of the action that causes the mail, so a mail exists exactly
 * when its action committed; senders then claim it with a compare-and-set on
 * (state, attempts), so two processes never send one mail twice.
 */

/** A composed mail as kept in the outbox until delivered. */
export interface StoredMail {
  subject: string;
  text: string;
  html: string;
  link?: string;
  calendar?: { method: "REQUEST" | "CANCEL"; filename: string; content: string };
  /** The one-click unsubscribe address (RFC 8058) of a mail someone chose to get. */
  unsubscribe?: string;
  replyTo?: string;
  autoSubmitted?: boolean;
}

export interface NewOutboxMail {
  recipient: string;
  /** Null: composed when sent, from the notification or the digest. */
  mail: StoredMail | null;
  notificationId?: string | null;
  digestId?: string | null;
  invitationId?: string | null;
}

export async function enqueue(db: Executor, items: NewOutboxMail[], now: number): Promise<string[]> {
  if (items.length === 0) return [];
  const rows = items.map((m) => ({
    id: newId(),
    recipient: m.recipient,
    payload: m.mail ? JSON.stringify(m.mail) : null,
    notification_id: m.notificationId ?? null,
    digest_id: m.digestId ?? null,
    invitation_id: m.invitationId ?? null,
    state: "pending" as MailState,
    attempts: 0,
    created_at: now,
    claimed_at: null,
    sent_at: null,
    last_error: null,
  }));
  // SQLite takes at most 32,766 parameters a statement: a club of thousands is written in slices.
  for (let i = 0; i < rows.length; i += 500) await db.insertInto("mail_outbox").values(rows.slice(i, i + 500)).execute();
  return rows.map((r) => r.id);
}

export interface OutboxRow {
  id: string;
  recipient: string;
  payload: string | null;
  notification_id: string | null;
  digest_id: string | null;
  invitation_id: string | null;
  state: MailState;
  attempts: number;
  created_at: number;
  claimed_at: number | null;
}

const COLUMNS = ["id", "recipient", "payload", "notification_id", "digest_id", "invitation_id", "state", "attempts", "created_at", "claimed_at"] as const;

/**
 * Claimable rows: waiting, or claimed by a sender that has not finished
 * within the lease (its process died mid-attempt).
 */
function claimable(db: Executor, now: number, leaseMs: number) {
  return db
    .selectFrom("mail_outbox")
    .select(COLUMNS)
    .where((eb) => eb.or([eb("state", "=", "pending"), eb.and([eb("state", "=", "sending"), eb("claimed_at", "<", now - leaseMs)])]));
}

export function claimableByIds(db: Executor, ids: string[], now: number, leaseMs: number): Promise<OutboxRow[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return claimable(db, now, leaseMs).where("id", "in", ids).execute();
}

/** Claimable rows created before `before`, oldest first (the retry sweep). */
export function claimableBefore(db: Executor, before: number, now: number, leaseMs: number, limit: number): Promise<OutboxRow[]> {
  return claimable(db, now, leaseMs).where("created_at", "<", before).orderBy("created_at").limit(limit).execute();
}

/**
 * Takes one attempt: counts it and marks the row as being sent, only if
 * nobody took that same attempt meanwhile.
 */
export async function claim(db: Executor, row: Pick<OutboxRow, "id" | "attempts">, now: number, leaseMs: number): Promise<boolean> {
  const result = await db
    .updateTable("mail_outbox")
    .set({ attempts: row.attempts + 1, state: "sending", claimed_at: now })
    .where("id", "=", row.id)
    .where("attempts", "=", row.attempts)
    .where((eb) => eb.or([eb("state", "=", "pending"), eb.and([eb("state", "=", "sending"), eb("claimed_at", "<", now - leaseMs)])]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Ends an attempt: sent (payload dropped when asked), back to pending, failed or cancelled, with the error if any. */
export async function finish(
  db: Executor,
  id: string,
  outcome: { state: Exclude<MailState, "sending">; error?: string; dropPayload?: boolean; now: number },
) {
  await db
    .updateTable("mail_outbox")
    .set({
      state: outcome.state,
      last_error: outcome.error ?? null,
      sent_at: outcome.state === "sent" ? outcome.now : null,
      ...(outcome.dropPayload ? { payload: null } : {}),
    })
    .where("id", "=", id)
    .where("state", "=", "sending")
    .execute();
}

/** What became of the mail carrying each invitation's link (its latest one), by invitation id. */
export async function invitationMailStates(
  db: Executor,
  invitationIds: string[],
): Promise<Map<string, { state: MailState; failedOnce: boolean; hasLink: boolean }>> {
  const states = new Map<string, { state: MailState; failedOnce: boolean; hasLink: boolean }>();
  if (invitationIds.length === 0) return states;
  const rows = await db
    .selectFrom("mail_outbox")
    .select(["invitation_id", "state", "last_error", "payload", "created_at"])
    .where("invitation_id", "in", invitationIds)
    .orderBy("created_at")
    .execute();
  // Oldest first, so the latest row of each invitation is the one kept.
  for (const r of rows) {
    states.set(r.invitation_id!, { state: r.state, failedOnce: r.last_error !== null, hasLink: r.payload !== null });
  }
  return states;
}

/** The latest mail carrying this invitation's link, with its payload. */
export function latestInvitationMail(db: Executor, invitationId: string) {
  return db
    .selectFrom("mail_outbox")
    .select(["id", "state", "last_error", "payload"])
    .where("invitation_id", "=", invitationId)
    .orderBy("created_at", "desc")
    .orderBy("id", "desc")
    .limit(1)
    .executeTakeFirst();
}

/**
 * Housekeeping: rows whose story is over (sent, given up, cancelled) and
 * older than `before`. Rows still to send are never deleted, however old.
 */
export async function deleteFinishedBefore(db: Executor, before: number): Promise<number> {
  const result = await db
    .deleteFrom("mail_outbox")
    .where("state", "in", ["sent", "failed", "cancelled"])
    .where("created_at", "<", before)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
