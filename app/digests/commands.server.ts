import type { DB, Executor } from "#db/client.ts";
import { claimDigest, membersDue } from "#db/queries/digests.ts";
import * as outbox from "#db/queries/mail-outbox.ts";
import type { User } from "#db/schema.ts";
import { transact } from "#db/transact.ts";
import { digestContent } from "./content.server.ts";
import { LATE_LIMIT_MS, MIN_GAP_MS, lastSendingMoment, periodMs } from "./schedule.ts";

/**
 * Sending the digests (issue 18). A sweep of the primary (job.server.ts)
 * reads the members who may be due, and for each whose 8:00 has come since
 * their last digest, queues one in a transaction of its own: the claim of
 * (member, period), the mail in the outbox, and the member's new
 * `digest_until` commit together or not at all. So a period is sent once
 * however many processes sweep and whatever restarts (the claim), a digest
 * whose sweep failed is queued by the next one (nothing committed), and one
 * whose mail failed is retried by the outbox, which never sends a row twice.
 * The mail is composed when sent (mail.server.ts): the member's rights then
 * decide what it holds, and if nothing is left it is not sent.
 */


export type DigestOutcome = "queued" | "empty" | "taken";

/** One member's digest for the period of `due`, if still theirs to send. */
export async function queueDigest(trx: Executor, member: User, due: { at: number; period: string }, now: number): Promise<{ ok: true; outcome: DigestOutcome; mailIds: string[] }> {
  if (member.digest_frequency === "off") return { ok: true, outcome: "taken", mailIds: [] };
  const frequency = member.digest_frequency;
  // The first digest looks back one period, never before the account existed.
  const since = member.digest_until ?? Math.max(member.created_at, due.at - periodMs(frequency));
  const content = await digestContent(trx, member, { since, until: now }, now);
  const id = await claimDigest(trx, { userId: member.id, period: due.period, frequency, since, until: now, items: content.total, now });
  if (id === null) return { ok: true, outcome: "taken", mailIds: [] };
  // Nothing to tell: the period is done, with no mail.
  if (content.total === 0) return { ok: true, outcome: "empty", mailIds: [] };
  const mailIds = await outbox.enqueue(trx, [{ recipient: member.email, mail: null, digestId: id }], now);
  return { ok: true, outcome: "queued", mailIds };
}

const PAGE = 1000;

/**
 * Every member whose digest is due at `now`, each queued in its own
 * transaction; the mails queued are handed to `send` after each commit.
 * Returns how many of each outcome.
 */
export async function sendDueDigests(db: DB, now: number, send: (mailIds: string[]) => void = () => {}): Promise<Record<DigestOutcome, number>> {
  const counts: Record<DigestOutcome, number> = { queued: 0, empty: 0, taken: 0 };
  const endedBefore = now - MIN_GAP_MS;
  let after: string | null = null;
  for (;;) {
    const page = await membersDue(db, endedBefore, { after, limit: PAGE });
    for (const member of page) {
      if (member.digest_frequency === "off") continue;
      const due = lastSendingMoment(now, member.time_zone, member.digest_frequency);
      // Their latest digest already covers this 8:00 (a weekly one, mid-week), or it is too long past.
      if ((member.digest_until !== null && member.digest_until >= due.at) || now - due.at > LATE_LIMIT_MS) continue;
      const result = await transact(db, (trx) => queueDigest(trx, member, due, now));
      counts[result.outcome] += 1;
      send(result.mailIds);
    }
    if (page.length < PAGE) return counts;
    after = page.at(-1)!.id;
  }
}
