import type { Executor } from "#db/client.ts";
import { recordHomeVisit } from "#db/queries/users.ts";
import type { Acting } from "#app/utils/acting.server.ts";

/**
 * A visit ends after this long without opening the home: the next one shows
 * as new what came since this one. Reloading, or coming back from an article
 * a few minutes later, keeps the same line between new and seen.
 */
export const VISIT_PAUSE_MS = 30 * 60 * 1000;

/** The member opens their home: answers the moment before which everything counts as seen (null on a first visit). */
export async function visitHome(trx: Executor, ctx: Pick<Acting, "user" | "now">): Promise<{ ok: true; seenAt: number | null }> {
  return { ok: true, seenAt: await recordHomeVisit(trx, ctx.user.id, ctx.now, VISIT_PAUSE_MS) };
}
