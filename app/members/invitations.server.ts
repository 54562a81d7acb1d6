import type { Executor } from "#db/client.ts";
import type { Invitation, Locale, Role, Space, User } from "#db/schema.ts";
import { recordActivity } from "#db/queries/activity.ts";
import { audit } from "#db/queries/audit.ts";
import * as invitations from "#db/queries/invitations.ts";
import { latestInvitationMail } from "#db/queries/mail-outbox.ts";
import { addMember, findMembership } from "#db/queries/members.ts";
import { findByEmail, findById as findUser } from "#db/queries/users.ts";
import { createAccount } from "#app/accounts/commands.server.ts";
import { queueMails } from "#app/mail/outbox.server.ts";
import { canInviteWithRole, canRevokeInvitation, canSeeInvitationLink, invitationNeedsApproval } from "#app/policies/space.ts";
import type { ActingInSpace, Letterhead, Moment } from "#app/utils/acting.server.ts";
import { undeliveredLink } from "./load.server.ts";
import { approvalNeededMails, invitationLinkMail, invitationUrl } from "./mails.ts";
import { tellAdmins } from "./notify.server.ts";
import { linkSigner } from "#app/mail/links.server.ts";

/**
 * Co-optation: inviting someone into a space, the invitation's life while it
 * is open (revoked, its link shown to the sender when mail failed, a fresh
 * link mailed) and its acceptance. Each command runs inside the caller's
 * transaction and answers a result or a typed refusal; mails are queued in
 * that transaction and sent by the caller after the commit.
 */

type Mailing = { letterhead: Letterhead };

export type CooptRefusal = { field: "role"; error: "role-not-allowed" } | { field: "email"; error: "already-member" | "already-invited" };

/**
 * Why this co-optation cannot be made: the form shows every reason beside its
 * field, and the command checks them again inside its transaction (two tabs,
 * two sponsors at once).
 */
export async function cooptRefusals(
  db: Executor,
  ctx: Pick<ActingInSpace, "actor" | "membership" | "space" | "now">,
  input: { email: string; role: Role },
): Promise<CooptRefusal[]> {
  const refusals: CooptRefusal[] = [];
  if (!canInviteWithRole(ctx.actor, ctx.membership, ctx.space, input.role)) refusals.push({ field: "role", error: "role-not-allowed" });
  const existing = await findByEmail(db, input.email);
  if (existing && (await findMembership(db, ctx.space.id, existing.id))) {
    refusals.push({ field: "email", error: "already-member" });
  } else if (await invitations.hasOpenInvitation(db, ctx.space.id, input.email, ctx.now)) {
    refusals.push({ field: "email", error: "already-invited" });
  }
  return refusals;
}

/** What the sender is told: waiting for approval, on its way by mail, or (no mail server) the link itself. */
export type CooptOutcome = { outcome: "queued" } | { outcome: "mailing" } | { outcome: "link"; link: string };

/**
 * Co-opts someone. Under "co-opt with approval" a non-admin's co-optation
 * waits for an admin (each admin gets a word); otherwise the invitation's link
 * is mailed at once, or, without a mail server, shown to its sender (which is
 * recorded: whoever opens it must then prove the mailbox).
 */
export async function coopt(
  trx: Executor,
  ctx: ActingInSpace & Mailing,
  input: { email: string; role: Role; message: string },
): Promise<({ ok: true; mailIds: string[]; invitationId: string } & CooptOutcome) | ({ ok: false } & CooptRefusal)> {
  const [refusal] = await cooptRefusals(trx, ctx, input);
  if (refusal) return { ok: false, ...refusal };
  const { space, user, now } = ctx;
  const needsApproval = invitationNeedsApproval(ctx.actor, ctx.membership, space);
  const showLink = !needsApproval && !ctx.letterhead.mailConfigured;
  const created = await invitations.createInvitation(trx, { spaceId: space.id, ...input, sponsorId: user.id, needsApproval, now });
  if (showLink) await invitations.markLinkRevealed(trx, created.invitation.id, now);
  await audit(trx, {
    event: "invitation_created",
    actorId: user.id,
    spaceId: space.id,
    ip: ctx.ip,
    data: { email: input.email, role: input.role, needsApproval },
    now,
  });
  const mails = created.secret
    ? [invitationLinkMail(created.invitation, created.secret, { sponsor: user, space, letterhead: ctx.letterhead })]
    : await tellAdmins(trx, { space, actorId: user.id, now }, async (admins) => approvalNeededMails(admins, { sponsor: user, invitation: created.invitation, space, letterhead: ctx.letterhead, signer: await linkSigner(trx) }));
  const mailIds = await queueMails(trx, mails, now);
  const invitationId = created.invitation.id;
  if (needsApproval) return { ok: true, mailIds, invitationId, outcome: "queued" };
  if (showLink && created.secret) return { ok: true, mailIds, invitationId, outcome: "link", link: invitationUrl(ctx.letterhead, created.secret) };
  return { ok: true, mailIds, invitationId, outcome: "mailing" };
}

/** Revokes an open invitation: its sponsor or the space's managers. */
export async function revokeInvitation(
  trx: Executor,
  ctx: ActingInSpace,
  input: { invitationId: string },
): Promise<{ ok: true; email: string } | { ok: false; error: "not-found" } | { ok: false; error: "forbidden" } | { ok: false; error: "stale"; email: string }> {
  const invitation = await invitations.findInSpace(trx, ctx.space.id, input.invitationId);
  if (!invitation) return { ok: false, error: "not-found" };
  if (!canRevokeInvitation(ctx.actor, ctx.membership, ctx.space, invitation)) return { ok: false, error: "forbidden" };
  // Accepted or decided meanwhile (a page left open): said so rather than claimed revoked.
  if (!(await invitations.revoke(trx, invitation.id, ctx.user.id, ctx.now))) return { ok: false, error: "stale", email: invitation.email };
  await audit(trx, { event: "invitation_revoked", actorId: ctx.user.id, spaceId: ctx.space.id, ip: ctx.ip, data: { email: invitation.email }, now: ctx.now });
  return { ok: true, email: invitation.email };
}

/**
 * Shows an open invitation's link to whoever may revoke it, when its mail
 * could not carry it (undeliveredLink); recorded, so that whoever opens it
 * proves the mailbox first. While mail can still carry it (queued, or
 * delivered) the link stays with the mailbox: "no-link".
 */
export async function revealInvitationLink(
  trx: Executor,
  ctx: ActingInSpace & { mailConfigured: boolean },
  input: { invitationId: string },
): Promise<{ ok: true; id: string; email: string; link: string } | { ok: false; error: "not-found" | "forbidden" | "no-link" }> {
  const invitation = await invitations.findInSpace(trx, ctx.space.id, input.invitationId);
  if (!invitation) return { ok: false, error: "not-found" };
  if (!canSeeInvitationLink(ctx.actor, ctx.membership, ctx.space, invitation)) return { ok: false, error: "forbidden" };
  const link = undeliveredLink(invitation, await latestInvitationMail(trx, invitation.id), ctx.mailConfigured, ctx.now);
  if (!link) return { ok: false, error: "no-link" };
  await invitations.markLinkRevealed(trx, invitation.id, ctx.now);
  await audit(trx, { event: "invitation_link_shown", actorId: ctx.user.id, spaceId: ctx.space.id, ip: ctx.ip, data: { email: invitation.email }, now: ctx.now });
  return { ok: true, id: invitation.id, email: invitation.email, link };
}

/**
 * Mails a fresh link to the invited address, for a link that was shown to its
 * sender: the old one stops working. Whoever asks may be signed out (the
 * newcomer), hence `actorId`.
 */
export async function renewInvitationLink(
  trx: Executor,
  ctx: Moment & Mailing & { actorId: string | null },
  input: { invitation: Invitation; space: Pick<Space, "id" | "name"> },
): Promise<{ ok: true; mailIds: string[] } | { ok: false; error: "link-used" }> {
  const { invitation, space } = input;
  const secret = await invitations.renewSecret(trx, invitation.id, invitation.token_hash!, ctx.now);
  if (!secret) return { ok: false, error: "link-used" };
  const sponsor = await findUser(trx, invitation.sponsor_id);
  await audit(trx, { event: "invitation_link_renewed", actorId: ctx.actorId, spaceId: space.id, ip: ctx.ip, data: { email: invitation.email }, now: ctx.now });
  const mailIds = await queueMails(trx, [invitationLinkMail(invitation, secret, { sponsor, space, letterhead: ctx.letterhead })], ctx.now);
  return { ok: true, mailIds };
}

/**
 * Turns an invitation into a membership for `userId`. Refused ("link-used")
 * when the link was used, revoked or expired in the meantime: then nothing is
 * written. The acceptance is the newcomer's own act, signed in or just
 * created: who acts is `userId`.
 */
export async function acceptInvitation(
  trx: Executor,
  ctx: Moment,
  input: { invitation: Invitation; userId: string },
): Promise<{ ok: true } | { ok: false; error: "link-used" }> {
  const { invitation, userId } = input;
  if (!(await invitations.markAccepted(trx, invitation.id, userId, ctx.now))) return { ok: false, error: "link-used" };
  await addMember(trx, {
    spaceId: invitation.space_id,
    userId,
    role: invitation.role,
    sponsorId: invitation.sponsor_id,
    now: ctx.now,
  });
  const sponsor = await findUser(trx, invitation.sponsor_id);
  await recordActivity(trx, {
    spaceId: invitation.space_id,
    actorId: userId,
    verb: "member_joined",
    data: sponsor ? { sponsor: sponsor.display_name } : {},
    now: ctx.now,
  });
  await audit(trx, {
    event: "invitation_accepted",
    actorId: userId,
    spaceId: invitation.space_id,
    targetUserId: userId,
    ip: ctx.ip,
    data: { invitationId: invitation.id, role: invitation.role },
    now: ctx.now,
  });
  return { ok: true };
}

/**
 * A newcomer's account and their acceptance, as one use case of two commands
 * in the caller's one transaction: a refused acceptance (the link was used
 * meanwhile) answers its refusal, and the caller's transaction (db/transact.ts)
 * rolls the new account back with it.
 */
export async function joinWithNewAccount(
  trx: Executor,
  ctx: Moment,
  input: { invitation: Invitation; displayName: string; passwordHash: string; locale: Locale },
): Promise<{ ok: true; user: User } | { ok: false; error: "email-taken" | "link-used" }> {
  const { invitation } = input;
  const account = await createAccount(trx, ctx, {
    email: invitation.email,
    displayName: input.displayName,
    passwordHash: input.passwordHash,
    sponsorId: invitation.sponsor_id,
    locale: input.locale,
  });
  if (!account.ok) return account;
  const accepted = await acceptInvitation(trx, ctx, { invitation, userId: account.user.id });
  if (!accepted.ok) return accepted;
  return { ok: true, user: account.user };
}
