import type { Executor } from "#db/client.ts";
import { recordActivity } from "#db/queries/activity.ts";
import { audit } from "#db/queries/audit.ts";
import * as invitations from "#db/queries/invitations.ts";
import * as joinRequests from "#db/queries/join-requests.ts";
import { addMember } from "#db/queries/members.ts";
import { findById as findUser } from "#db/queries/users.ts";
import { settleApprovals } from "#db/queries/notifications.ts";
import { linkSigner } from "#app/mail/links.server.ts";
import { queueMails, type QueuedMail } from "#app/mail/outbox.server.ts";
import { canManageMembers, canRequestToJoin } from "#app/policies/space.ts";
import type { ActingInSpace, Letterhead } from "#app/utils/acting.server.ts";
import { cooptDecidedMail, invitationLinkMail, joinDecidedMail, joinRequestMails } from "./mails.ts";
import { tellAdmins, tellOne } from "./notify.server.ts";

/**
 * What waits for a space admin's decision: co-optations under "co-opt with
 * approval", and join requests from the directory. Deciding is the space
 * managers' (canManageMembers); a second decision on the same item (two
 * admins, a page left open) is refused as "already-decided" and writes nothing.
 */

type Deciding = ActingInSpace & { letterhead: Letterhead };
type DecisionRefusal = { ok: false; error: "forbidden" | "not-found" | "already-decided" };

/** Approves a waiting co-optation: the invitation gets its link, mailed to the invitee; the sponsor hears of it. */
export async function approveInvitation(
  trx: Executor,
  ctx: Deciding,
  input: { invitationId: string },
): Promise<{ ok: true; email: string; mailIds: string[] } | DecisionRefusal> {
  if (!canManageMembers(ctx.actor, ctx.membership, ctx.space)) return { ok: false, error: "forbidden" };
  // The id must name an invitation of this space, whatever the URL says.
  const invitation = await invitations.findInSpace(trx, ctx.space.id, input.invitationId);
  if (!invitation) return { ok: false, error: "not-found" };
  const { user, space, letterhead, now } = ctx;
  const secret = await invitations.approve(trx, invitation.id, user.id, now);
  if (!secret) return { ok: false, error: "already-decided" };
  await settleApprovals(trx, ctx.space.id, ctx.now);
  const sponsor = await findUser(trx, invitation.sponsor_id);
  await audit(trx, { event: "invitation_approved", actorId: user.id, spaceId: space.id, ip: ctx.ip, data: { email: invitation.email }, now });
  const mails: QueuedMail[] = [invitationLinkMail(invitation, secret, { sponsor, space, letterhead })];
  // An admin approving their own co-optation needs no word of it.
  if (sponsor && sponsor.id !== user.id && (await tellOne(trx, { kind: "cooptationResult", space, actorId: user.id, userId: sponsor.id, now }))) {
    mails.push(cooptDecidedMail(sponsor, { approved: true, admin: user, email: invitation.email, space, letterhead, signer: await linkSigner(trx) }));
  }
  return { ok: true, email: invitation.email, mailIds: await queueMails(trx, mails, now) };
}

/** Refuses a waiting co-optation; the sponsor hears of it, with the reason given. */
export async function refuseInvitation(
  trx: Executor,
  ctx: Deciding,
  input: { invitationId: string; reason: string },
): Promise<{ ok: true; email: string; mailIds: string[] } | DecisionRefusal> {
  if (!canManageMembers(ctx.actor, ctx.membership, ctx.space)) return { ok: false, error: "forbidden" };
  const invitation = await invitations.findInSpace(trx, ctx.space.id, input.invitationId);
  if (!invitation) return { ok: false, error: "not-found" };
  const { user, space, letterhead, now } = ctx;
  if (!(await invitations.refuse(trx, invitation.id, user.id, input.reason, now))) return { ok: false, error: "already-decided" };
  await settleApprovals(trx, space.id, now);
  await audit(trx, {
    event: "invitation_refused",
    actorId: user.id,
    spaceId: space.id,
    ip: ctx.ip,
    data: { email: invitation.email, reason: input.reason },
    now,
  });
  const sponsor = await findUser(trx, invitation.sponsor_id);
  const byMail = sponsor && sponsor.id !== user.id ? await tellOne(trx, { kind: "cooptationResult", space, actorId: user.id, userId: sponsor.id, now }) : false;
  const mails = sponsor && byMail ? [cooptDecidedMail(sponsor, { approved: false, reason: input.reason, admin: user, email: invitation.email, space, letterhead, signer: await linkSigner(trx) })] : [];
  return { ok: true, email: invitation.email, mailIds: await queueMails(trx, mails, now) };
}

/**
 * A network member asks to join a listed (or open) space; its admins each get
 * a word. Asking again while a request waits changes nothing.
 */
export async function requestToJoin(
  trx: Executor,
  ctx: Deciding,
  input: { message: string },
): Promise<{ ok: true; mailIds: string[] } | { ok: false; error: "forbidden" }> {
  const { user, space, now } = ctx;
  if (!canRequestToJoin(ctx.actor, ctx.membership, space)) return { ok: false, error: "forbidden" };
  if (await joinRequests.findPendingFor(trx, space.id, user.id)) return { ok: true, mailIds: [] };
  await joinRequests.createJoinRequest(trx, { spaceId: space.id, userId: user.id, message: input.message, now });
  await audit(trx, { event: "join_requested", actorId: user.id, spaceId: space.id, ip: ctx.ip, now });
  const signer = await linkSigner(trx);
  const mails = await tellAdmins(trx, { space, actorId: user.id, now }, (admins) => joinRequestMails(admins, { requester: user, message: input.message, space, letterhead: ctx.letterhead, signer }));
  return { ok: true, mailIds: await queueMails(trx, mails, now) };
}

/** Decides a join request: approved, the requester becomes a member, sponsored by the admin who approved. */
async function decideJoinRequest(
  trx: Executor,
  ctx: Deciding,
  input: { requestId: string; reason: string; approve: boolean },
): Promise<{ ok: true; name: string; mailIds: string[] } | DecisionRefusal> {
  if (!canManageMembers(ctx.actor, ctx.membership, ctx.space)) return { ok: false, error: "forbidden" };
  const joinRequest = await joinRequests.findInSpace(trx, ctx.space.id, input.requestId);
  const requester = joinRequest ? await findUser(trx, joinRequest.user_id) : undefined;
  if (!joinRequest || !requester) return { ok: false, error: "not-found" };
  const { user, space, now } = ctx;
  const { approve } = input;
  const decided = await joinRequests.decide(trx, joinRequest.id, {
    status: approve ? "approved" : "refused",
    by: user.id,
    reason: input.reason,
    now,
  });
  if (!decided) return { ok: false, error: "already-decided" };
  await settleApprovals(trx, space.id, now);
  if (approve) {
    await addMember(trx, { spaceId: space.id, userId: requester.id, role: "member", sponsorId: user.id, now });
    await recordActivity(trx, { spaceId: space.id, actorId: requester.id, verb: "member_joined", data: { sponsor: user.display_name }, now });
  }
  await audit(trx, {
    event: approve ? "join_approved" : "join_refused",
    actorId: user.id,
    spaceId: space.id,
    targetUserId: requester.id,
    ip: ctx.ip,
    data: approve ? {} : { reason: input.reason },
    now,
  });
  const byMail = await tellOne(trx, { kind: "joinAnswered", space, actorId: user.id, userId: requester.id, now });
  const signer = await linkSigner(trx);
  const mail = approve
    ? joinDecidedMail(requester, { approved: true, space, letterhead: ctx.letterhead, signer })
    : joinDecidedMail(requester, { approved: false, reason: input.reason, space, letterhead: ctx.letterhead, signer });
  return { ok: true, name: requester.display_name, mailIds: byMail ? await queueMails(trx, [mail], now) : [] };
}

/** Approves a join request (the reason field, usually empty, is kept as the form sent it). */
export const approveJoinRequest = (trx: Executor, ctx: Deciding, input: { requestId: string; reason: string }) =>
  decideJoinRequest(trx, ctx, { ...input, approve: true });

/** Refuses a join request; the requester hears of it, with the reason given. */
export const refuseJoinRequest = (trx: Executor, ctx: Deciding, input: { requestId: string; reason: string }) =>
  decideJoinRequest(trx, ctx, { ...input, approve: false });
