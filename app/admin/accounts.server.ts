import { actorOf } from "#app/policies/actor.ts";
import type { Executor } from "#db/client.ts";
import { activeNetworkAdmins, deactivateUser, reactivateUser } from "#db/queries/admin.ts";
import { audit } from "#db/queries/audit.ts";
import { canManageAccounts } from "#app/policies/network.ts";
import type { Acting } from "#app/utils/acting.server.ts";

/**
 * Deactivating an account and bringing it back: the network admin's, inside
 * the caller's transaction, audited. A deactivated account keeps everything
 * its member wrote and their clubs; its sessions end at once (deleted with
 * the deactivation), it cannot sign in (app/utils/sign-in.server.ts says
 * so), and it leaves the directory (app/policies/profile.ts listingShown).
 */

export type DeactivationRefusal = "forbidden" | "not-found" | "self" | "last-admin" | "already";

export async function deactivateAccount(
  trx: Executor,
  ctx: Pick<Acting, "actor" | "ip" | "now">,
  input: { userId: string },
): Promise<{ ok: true; name: string; sessionsEnded: number } | { ok: false; error: DeactivationRefusal }> {
  if (!canManageAccounts(ctx.actor)) return { ok: false, error: "forbidden" };
  // An admin who locks themself out leaves nobody to undo it; they ask another admin.
  if (input.userId === ctx.actor.id) return { ok: false, error: "self" };
  const target = await trx.selectFrom("user").select(["id", "display_name", "email", "is_network_admin", "deactivated_at", "deleted_at"]).where("id", "=", input.userId).executeTakeFirst();
  if (!target || target.deleted_at !== null) return { ok: false, error: "not-found" };
  if (target.deactivated_at !== null) return { ok: false, error: "already" };
  // The network always keeps an admin who can sign in (the acting one counts, but a check here keeps the rule whole).
  if (actorOf(target).isNetworkAdmin && (await activeNetworkAdmins(trx)) <= 1) return { ok: false, error: "last-admin" };
  const sessions = await trx.selectFrom("session").select((eb) => eb.fn.countAll<number>().as("n")).where("user_id", "=", target.id).executeTakeFirstOrThrow();
  if (!(await deactivateUser(trx, target.id, ctx.actor.id, ctx.now))) return { ok: false, error: "already" };
  const sessionsEnded = Number(sessions.n);
  await audit(trx, { event: "account_deactivated", actorId: ctx.actor.id, targetUserId: target.id, ip: ctx.ip, data: { email: target.email, sessionsEnded }, now: ctx.now });
  return { ok: true, name: target.display_name, sessionsEnded };
}

export async function reactivateAccount(
  trx: Executor,
  ctx: Pick<Acting, "actor" | "ip" | "now">,
  input: { userId: string },
): Promise<{ ok: true; name: string } | { ok: false; error: "forbidden" | "not-found" | "already" }> {
  if (!canManageAccounts(ctx.actor)) return { ok: false, error: "forbidden" };
  const target = await trx.selectFrom("user").select(["id", "display_name", "email", "deleted_at"]).where("id", "=", input.userId).executeTakeFirst();
  if (!target || target.deleted_at !== null) return { ok: false, error: "not-found" };
  if (!(await reactivateUser(trx, target.id, ctx.now))) return { ok: false, error: "already" };
  await audit(trx, { event: "account_reactivated", actorId: ctx.actor.id, targetUserId: target.id, ip: ctx.ip, data: { email: target.email }, now: ctx.now });
  return { ok: true, name: target.display_name };
}
