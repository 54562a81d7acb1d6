import type { Executor } from "#db/client.ts";
import type { Invitation, Locale, User } from "#db/schema.ts";
import { invitationMail } from "#app/mail/messages.ts";
import type { QueuedMail } from "#app/mail/outbox.server.ts";
import { absoluteUrl } from "./http.server.ts";
import { localeOf } from "./network.server.ts";
import { recordActivity } from "#db/queries/activity.ts";
import { audit } from "#db/queries/audit.ts";
import { markAccepted } from "#db/queries/invitations.ts";
import { addMember } from "#db/queries/members.ts";
import { findById as findUser } from "#db/queries/users.ts";

/**
 * Turns an invitation into a membership, inside the caller's transaction.
 * False when the link was used, revoked or expired in the meantime: then
 * nothing is written.
 */
export async function acceptInvitation(
  trx: Executor,
  invitation: Invitation,
  userId: string,
  context: { ip: string; now: number },
): Promise<boolean> {
  if (!(await markAccepted(trx, invitation.id, userId, context.now))) return false;
  await addMember(trx, {
    spaceId: invitation.space_id,
    userId,
    role: invitation.role,
    sponsorId: invitation.sponsor_id,
    now: context.now,
  });
  const sponsor = await findUser(trx, invitation.sponsor_id);
  await recordActivity(trx, {
    spaceId: invitation.space_id,
    actorId: userId,
    verb: "member_joined",
    data: sponsor ? { sponsor: sponsor.display_name } : {},
    now: context.now,
  });
  await audit(trx, {
    event: "invitation_accepted",
    actorId: userId,
    spaceId: invitation.space_id,
    targetUserId: userId,
    ip: context.ip,
    data: { invitationId: invitation.id, role: invitation.role },
    now: context.now,
  });
  return true;
}

/**
 * The link of an open invitation the sender may pass on by hand, or null.
 * Only when its mail could not carry it: no mail server at all, or its latest
 * mail failed (and has not gone out since). The link is read from that mail's
 * outbox row, the only place the secret is kept until delivery — invitations
 * themselves store its hash only.
 */
export function undeliveredLink(
  invitation: Pick<Invitation, "status" | "expires_at">,
  mail: { state: string; last_error: string | null; payload: string | null } | undefined,
  mailConfigured: boolean,
  now: number,
): string | null {
  if (invitation.status !== "sent" || invitation.expires_at === null || invitation.expires_at <= now) return null;
  if (!mail || mail.payload === null || mail.state === "cancelled") return null;
  if (mailConfigured && (mail.state === "sent" || mail.last_error === null)) return null;
  const link = (JSON.parse(mail.payload) as { link?: unknown }).link;
  return typeof link === "string" ? link : null;
}

/**
 * The mail carrying an invitation's link, queued with the invitation's id (the
 * members page reads it back when it failed). The newcomer has no language
 * setting yet: it is written in the sponsor's.
 */
export function invitationLinkMail(
  invitation: { id: string; email: string; message: string },
  secret: string,
  context: { sponsor: User | undefined | null; space: { name: string }; network: { name: string; locale: Locale } },
): QueuedMail {
  return {
    invitationId: invitation.id,
    mail: invitationMail({
      to: invitation.email,
      locale: localeOf(context.sponsor ?? undefined, context.network.locale),
      network: context.network.name,
      sponsor: context.sponsor?.display_name ?? "",
      space: context.space.name,
      message: invitation.message,
      url: absoluteUrl(`/invitations/${secret}`),
    }),
  };
}
