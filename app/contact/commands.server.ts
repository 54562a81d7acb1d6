import type { Executor } from "#db/client.ts";
import { addBlock, removeBlock, setContactPolicy } from "#db/queries/contact.ts";
import { CONTACT_POLICIES, type ContactPolicy } from "#db/schema.ts";
import type { Acting } from "#app/utils/acting.server.ts";

/**
 * A member's control over who reaches them (issue 16): their contact choice
 * and their blocks. Blocks are theirs alone: not audited, shown to no one
 * else, and the blocked member is not told (app/policies/contact.ts).
 */

export function isContactPolicy(value: unknown): value is ContactPolicy {
  return typeof value === "string" && (CONTACT_POLICIES as readonly string[]).includes(value);
}

/** Who may write to them (whether unread conversations come by mail is a notification choice: app/notifications/choices.ts). */
export async function chooseContactPolicy(trx: Executor, ctx: Acting, input: { policy: ContactPolicy }): Promise<{ ok: true }> {
  await setContactPolicy(trx, ctx.user.id, input.policy, ctx.now);
  return { ok: true };
}

/**
 * Blocks a member the caller has found (the route checked they may see the
 * profile: an id alone blocks no one unseen). Not oneself.
 */
export async function blockMember(trx: Executor, ctx: Acting, memberId: string): Promise<{ ok: true } | { ok: false; reason: "self" }> {
  if (memberId === ctx.user.id) return { ok: false, reason: "self" };
  await addBlock(trx, ctx.user.id, memberId, ctx.now);
  return { ok: true };
}

/** Lifts a block of the caller's; someone they do not block is "not-found". */
export async function unblockMember(trx: Executor, ctx: Acting, memberId: string): Promise<{ ok: true } | { ok: false; reason: "not-found" }> {
  return (await removeBlock(trx, ctx.user.id, memberId)) ? { ok: true } : { ok: false, reason: "not-found" };
}
