import type { Executor } from "#db/client.ts";
import type { Role, Space } from "#db/schema.ts";
import { recordActivity } from "#db/queries/activity.ts";
import { audit } from "#db/queries/audit.ts";
import { addMember, countAdmins, findMembership, removeMember as deleteMembership, setRole } from "#db/queries/members.ts";
import { createSpace as insertSpace, setArchived, slugTaken, updateSpace } from "#db/queries/spaces.ts";
import { findById as findUser } from "#db/queries/users.ts";
import { canLeave, canLeaveNow } from "#app/policies/membership.ts";
import { canCreateSpace } from "#app/policies/network.ts";
import { canSetSpaceQuota } from "#app/policies/space-settings.ts";
import { canArchiveSpace, canChangeRole, canConfigureSpace, canManageMembers, canRemoveMember } from "#app/policies/space.ts";
import type { Acting, ActingInSpace } from "#app/utils/acting.server.ts";
import { toSpaceInput, type SpaceFormValue } from "#app/utils/space-form.ts";

/**
 * The membership use cases, each a function of the executor (the caller's
 * transaction), the acting context and the input, answering a result or a
 * typed refusal: no database of its own, no HTTP. The route signs in, checks
 * the policy, opens the transaction (db/transact.ts), calls one of these and
 * answers; a job or a test calls them the same way. Commands check the
 * policy again with what they read inside the transaction (the admins
 * counted there, the invitation's sponsor), so none relies on its caller.
 *
 * Co-optation and invitations live in invitations.server.ts, what waits for
 * an admin's decision in approvals.server.ts; every entry point is exported
 * from here.
 */

export {
  acceptInvitation,
  coopt,
  cooptRefusals,
  joinWithNewAccount,
  renewInvitationLink,
  revealInvitationLink,
  revokeInvitation,
  type CooptOutcome,
  type CooptRefusal,
} from "./invitations.server.ts";
export { approveInvitation, approveJoinRequest, refuseInvitation, refuseJoinRequest, requestToJoin } from "./approvals.server.ts";

/** A member leaves; the last admin cannot ("last-admin"), nor anyone of an archived space ("forbidden"). */
export async function leaveSpace(trx: Executor, ctx: ActingInSpace): Promise<{ ok: true } | { ok: false; error: "forbidden" | "last-admin" }> {
  const { actor, membership, space, user, now } = ctx;
  if (!canLeave(actor, membership, space)) return { ok: false, error: "forbidden" };
  if (!canLeaveNow(actor, membership, space, await countAdmins(trx, space.id))) return { ok: false, error: "last-admin" };
  await deleteMembership(trx, space.id, user.id);
  await recordActivity(trx, { spaceId: space.id, actorId: user.id, verb: "member_left", now });
  await audit(trx, { event: "member_left", actorId: user.id, spaceId: space.id, targetUserId: user.id, ip: ctx.ip, now });
  return { ok: true };
}

/** The member a manager acts on: a member of this very space, whatever the form says. */
async function targetOf(trx: Executor, ctx: ActingInSpace, userId: string) {
  const target = await findMembership(trx, ctx.space.id, userId);
  const targetUser = target ? await findUser(trx, target.user_id) : undefined;
  return target && targetUser ? { target, targetUser } : undefined;
}

type ManageRefusal = { ok: false; error: "forbidden" | "not-found" | "last-admin" };

/** Changes a member's role; the last admin keeps theirs ("last-admin"). The same role again changes nothing. */
export async function changeRole(
  trx: Executor,
  ctx: ActingInSpace,
  input: { userId: string; role: Role },
): Promise<{ ok: true; name: string } | ManageRefusal> {
  const { actor, membership, space, user, now } = ctx;
  if (!canManageMembers(actor, membership, space)) return { ok: false, error: "forbidden" };
  const found = await targetOf(trx, ctx, input.userId);
  if (!found) return { ok: false, error: "not-found" };
  const { target, targetUser } = found;
  if (!canChangeRole(actor, membership, space, target, input.role, await countAdmins(trx, space.id, target.user_id))) return { ok: false, error: "last-admin" };
  if (target.role === input.role) return { ok: true, name: targetUser.display_name };
  await setRole(trx, space.id, target.user_id, input.role);
  await recordActivity(trx, { spaceId: space.id, actorId: user.id, verb: "role_changed", data: { target: targetUser.display_name, role: input.role }, now });
  await audit(trx, {
    event: "role_changed",
    actorId: user.id,
    spaceId: space.id,
    targetUserId: target.user_id,
    ip: ctx.ip,
    data: { from: target.role, to: input.role },
    now,
  });
  return { ok: true, name: targetUser.display_name };
}

/** Removes a member; the last admin stays ("last-admin"). */
export async function removeMember(
  trx: Executor,
  ctx: ActingInSpace,
  input: { userId: string },
): Promise<{ ok: true; name: string } | ManageRefusal> {
  const { actor, membership, space, user, now } = ctx;
  if (!canManageMembers(actor, membership, space)) return { ok: false, error: "forbidden" };
  const found = await targetOf(trx, ctx, input.userId);
  if (!found) return { ok: false, error: "not-found" };
  const { target, targetUser } = found;
  if (!canRemoveMember(actor, membership, space, target, await countAdmins(trx, space.id, target.user_id))) return { ok: false, error: "last-admin" };
  await deleteMembership(trx, space.id, target.user_id);
  await recordActivity(trx, { spaceId: space.id, actorId: user.id, verb: "member_removed", data: { target: targetUser.display_name }, now });
  await audit(trx, { event: "member_removed", actorId: user.id, spaceId: space.id, targetUserId: target.user_id, ip: ctx.ip, now });
  return { ok: true, name: targetUser.display_name };
}

/** Creates a space; its creator runs it until they hand it over, so a space never lacks an admin. */
export async function createSpace(
  trx: Executor,
  ctx: Acting,
  input: SpaceFormValue,
): Promise<{ ok: true; space: Space } | { ok: false; error: "forbidden" | "slug-taken" }> {
  const { actor, user, now } = ctx;
  if (!canCreateSpace(actor)) return { ok: false, error: "forbidden" };
  if (await slugTaken(trx, input.slug)) return { ok: false, error: "slug-taken" };
  const space = await insertSpace(trx, { ...toSpaceInput({ ...input, quotaGb: canSetSpaceQuota(actor) ? input.quotaGb : undefined }), createdBy: user.id, now });
  await addMember(trx, { spaceId: space.id, userId: user.id, role: "admin", sponsorId: null, now });
  await recordActivity(trx, { spaceId: space.id, actorId: user.id, verb: "space_created", now });
  await audit(trx, { event: "space_created", actorId: user.id, spaceId: space.id, ip: ctx.ip, now });
  return { ok: true, space };
}

/** Saves a space's settings. The quota changes only for whoever may set it (canSetSpaceQuota); from anyone else it is ignored. */
export async function updateSpaceSettings(
  trx: Executor,
  ctx: ActingInSpace,
  input: SpaceFormValue,
): Promise<{ ok: true; slug: string } | { ok: false; error: "forbidden" | "slug-taken" }> {
  const { actor, membership, space, user, now } = ctx;
  if (!canConfigureSpace(actor, membership, space)) return { ok: false, error: "forbidden" };
  if (await slugTaken(trx, input.slug, space.id)) return { ok: false, error: "slug-taken" };
  const values = toSpaceInput({ ...input, quotaGb: canSetSpaceQuota(actor) ? input.quotaGb : undefined });
  await updateSpace(trx, space.id, values);
  await recordActivity(trx, { spaceId: space.id, actorId: user.id, verb: "space_updated", now });
  await audit(trx, {
    event: "space_updated",
    actorId: user.id,
    spaceId: space.id,
    ip: ctx.ip,
    data: { slug: values.slug, visibility: values.visibility, joinPolicy: values.joinPolicy },
    now,
  });
  return { ok: true, slug: values.slug };
}

/** Archives a space (read-only, closed to newcomers) or brings it back: the network admin's. */
export async function setSpaceArchived(
  trx: Executor,
  ctx: ActingInSpace,
  input: { archived: boolean },
): Promise<{ ok: true } | { ok: false; error: "forbidden" }> {
  const { actor, space, user, now } = ctx;
  if (!canArchiveSpace(actor)) return { ok: false, error: "forbidden" };
  await setArchived(trx, space.id, input.archived ? now : null);
  await audit(trx, { event: input.archived ? "space_archived" : "space_unarchived", actorId: user.id, spaceId: space.id, ip: ctx.ip, now });
  return { ok: true };
}
