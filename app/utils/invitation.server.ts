import type { Executor } from "#db/client.ts";
import type { Invitation } from "#db/schema.ts";
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
