import type { Executor } from "#db/client.ts";
import type { User } from "#db/schema.ts";
import { audit } from "#db/queries/audit.ts";
import { deletePasskey, findPasskey, insertPasskey, passkeysOf, recordPasskeyUse, renamePasskey as renamePasskeyRow } from "#db/queries/passkeys.ts";
import { findTotp, recordFailedCode, secondFactorRequiredOf } from "#db/queries/second-factor.ts";
import { canTurnOffSecondFactor } from "#app/policies/second-factor.ts";
import type { Letterhead, Moment } from "#app/utils/acting.server.ts";
import { queueSecurityChangeMail } from "./commands.server.ts";
import type { NewPasskey } from "./webauthn.server.ts";

/**
 * Passkeys' use cases (issue 20), in the caller's transaction: (executor,
 * acting context, input) → result or typed refusal. The WebAuthn checks are
 * webauthn.server.ts's and come before; these record what they allowed.
 */

type Owner = Pick<User, "id" | "email" | "locale" | "is_network_admin">;
type Changing = Moment & { user: Owner; letterhead: Letterhead };

/** The longest name a passkey may have. */
export const PASSKEY_NAME_MAX = 60;

/** A name as typed: control characters and surrounding spaces dropped, cut to its length; "" if nothing is left. */
export function cleanPasskeyName(raw: unknown): string {
  if (typeof raw !== "string") return "";
  // eslint-disable-next-line no-control-regex
  return raw.replace(/[\u0000-\u001f\u007f]/g, " ").replace(/\s+/g, " ").trim().slice(0, PASSKEY_NAME_MAX);
}

/** Adds a checked passkey to the account, named; the owner is told by mail. "duplicate": that credential is registered already. */
export async function addPasskey(
  trx: Executor,
  ctx: Changing,
  input: { key: NewPasskey; name: string },
): Promise<{ ok: true; id: string; mailIds: string[] } | { ok: false; error: "duplicate" }> {
  const id = await insertPasskey(trx, { ...input.key, user_id: ctx.user.id, name: input.name, created_at: ctx.now });
  if (id === null) return { ok: false, error: "duplicate" };
  await audit(trx, {
    event: "passkey_added",
    actorId: ctx.user.id,
    targetUserId: ctx.user.id,
    ip: ctx.ip,
    data: { passkey: id, name: input.name, synced: input.key.backed_up === 1 },
    now: ctx.now,
  });
  return { ok: true, id, mailIds: await queueSecurityChangeMail(trx, ctx, "passkey_added", input.name) };
}

/** Renames one of one's own passkeys. */
export async function renamePasskey(
  trx: Executor,
  ctx: Moment & { user: Pick<User, "id"> },
  input: { id: string; name: string },
): Promise<{ ok: true } | { ok: false; error: "not-found" }> {
  const before = await findPasskey(trx, { id: input.id, userId: ctx.user.id });
  if (!before || !(await renamePasskeyRow(trx, { id: input.id, userId: ctx.user.id, name: input.name }))) return { ok: false, error: "not-found" };
  await audit(trx, { event: "passkey_renamed", actorId: ctx.user.id, targetUserId: ctx.user.id, ip: ctx.ip, data: { passkey: input.id, from: before.name, to: input.name }, now: ctx.now });
  return { ok: true };
}

/**
 * Removes one of one's own passkeys (the proof checked by the caller). The
 * last second factor of a member the network requires one of stays:
 * "required", as turning the authenticator off is refused.
 */
export async function removePasskey(
  trx: Executor,
  ctx: Changing,
  input: { id: string },
): Promise<{ ok: true; name: string; mailIds: string[] } | { ok: false; error: "not-found" | "required" }> {
  const passkey = await findPasskey(trx, { id: input.id, userId: ctx.user.id });
  if (!passkey) return { ok: false, error: "not-found" };
  const totp = await findTotp(trx, ctx.user.id);
  const others = (await passkeysOf(trx, ctx.user.id)).length - 1;
  const lastFactor = others === 0 && (totp?.confirmed_at ?? null) === null;
  if (lastFactor && !canTurnOffSecondFactor(await secondFactorRequiredOf(trx, ctx.user))) return { ok: false, error: "required" };
  await deletePasskey(trx, { id: passkey.id, userId: ctx.user.id });
  await audit(trx, { event: "passkey_removed", actorId: ctx.user.id, targetUserId: ctx.user.id, ip: ctx.ip, data: { passkey: passkey.id, name: passkey.name }, now: ctx.now });
  return { ok: true, name: passkey.name, mailIds: await queueSecurityChangeMail(trx, ctx, "passkey_removed", passkey.name) };
}

export type PasskeyPurpose = "sign_in" | "second_factor" | "enroll" | "register";

/**
 * Records a checked assertion: the authenticator's new counter and the time.
 * "replayed": another request used the same counter value meanwhile (the
 * same answer sent twice), refused.
 */
export async function usePasskey(
  trx: Executor,
  ctx: Moment,
  input: { passkey: { id: string; user_id: string; counter: number }; counter: number; purpose: PasskeyPurpose },
): Promise<{ ok: true } | { ok: false; error: "replayed" }> {
  if (!(await recordPasskeyUse(trx, { id: input.passkey.id, before: input.passkey.counter, counter: input.counter, now: ctx.now }))) {
    return { ok: false, error: "replayed" };
  }
  await audit(trx, {
    event: "passkey_sign_in",
    actorId: input.passkey.user_id,
    targetUserId: input.passkey.user_id,
    ip: ctx.ip,
    data: { passkey: input.passkey.id, purpose: input.purpose },
    now: ctx.now,
  });
  return { ok: true };
}

export type PasskeyFailure = "no-challenge" | "unknown" | "invalid" | "other-account" | "replayed" | "malformed";

/**
 * A refused passkey answer: audited, and — when it names an account —
 * counted in the sign-in throttle as a failed code is (db/queries/
 * second-factor.ts recordFailedCode), together or not at all.
 */
export async function recordPasskeyFailure(
  trx: Executor,
  ctx: Moment,
  input: { user: Pick<User, "id" | "email"> | null; reason: PasskeyFailure; deviceId: string | null; purpose: PasskeyPurpose },
): Promise<{ ok: true }> {
  if (input.user) await recordFailedCode(trx, { email: input.user.email, ip: ctx.ip, deviceId: input.deviceId, now: ctx.now });
  await audit(trx, {
    event: "passkey_failed",
    actorId: null,
    targetUserId: input.user?.id ?? null,
    ip: ctx.ip,
    data: { reason: input.reason, purpose: input.purpose, ...(input.user ? { email: input.user.email } : {}) },
    now: ctx.now,
  });
  return { ok: true };
}
