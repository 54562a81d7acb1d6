import type { Executor } from "#db/client.ts";
import { findInvitation } from "#db/queries/admin.ts";
import { findMembership } from "#db/queries/members.ts";
import { findById as findSpace } from "#db/queries/spaces.ts";
import { renewInvitationLink, revokeInvitation } from "#app/members/invitations.server.ts";
import { canManageAccounts } from "#app/policies/network.ts";
import type { Acting, Letterhead } from "#app/utils/acting.server.ts";

/**
 * The network's open invitations, from the console: sent again (a fresh link
 * by mail, the old one stops working) or revoked. Both go through the
 * members' own commands (app/members/invitations.server.ts), so the rules and
 * the audit entries are the ones a club's admin meets.
 */

export async function resendInvitation(
  trx: Executor,
  ctx: Acting & { letterhead: Letterhead },
  input: { invitationId: string },
): Promise<{ ok: true; email: string; mailIds: string[] } | { ok: false; error: "forbidden" | "not-found" | "not-sent" | "archived" | "link-used" }> {
  if (!canManageAccounts(ctx.actor)) return { ok: false, error: "forbidden" };
  const invitation = await findInvitation(trx, input.invitationId);
  if (!invitation) return { ok: false, error: "not-found" };
  const space = await findSpace(trx, invitation.space_id);
  if (!space) return { ok: false, error: "not-found" };
  if (space.archived_at !== null) return { ok: false, error: "archived" };
  // Waiting for a club admin's approval: there is no link yet to send.
  if (invitation.status !== "sent" || invitation.token_hash === null || (invitation.expires_at ?? 0) <= ctx.now) return { ok: false, error: "not-sent" };
  const renewed = await renewInvitationLink(trx, { ip: ctx.ip, now: ctx.now, letterhead: ctx.letterhead, actorId: ctx.actor.id }, { invitation, space });
  if (!renewed.ok) return { ok: false, error: "link-used" };
  return { ok: true, email: invitation.email, mailIds: renewed.mailIds };
}

export async function revokeAnyInvitation(
  trx: Executor,
  ctx: Acting,
  input: { invitationId: string },
): Promise<{ ok: true; email: string } | { ok: false; error: "forbidden" | "not-found" | "stale" }> {
  if (!canManageAccounts(ctx.actor)) return { ok: false, error: "forbidden" };
  const invitation = await findInvitation(trx, input.invitationId);
  if (!invitation) return { ok: false, error: "not-found" };
  const space = await findSpace(trx, invitation.space_id);
  if (!space) return { ok: false, error: "not-found" };
  const membership = await findMembership(trx, space.id, ctx.actor.id);
  const revoked = await revokeInvitation(trx, { ...ctx, space, membership }, { invitationId: invitation.id });
  if (!revoked.ok) return { ok: false, error: revoked.error === "not-found" ? "not-found" : revoked.error === "forbidden" ? "forbidden" : "stale" };
  return { ok: true, email: revoked.email };
}
