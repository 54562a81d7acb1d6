import type { Executor } from "#db/client.ts";
import type { User } from "#db/schema.ts";
import { audit } from "#db/queries/audit.ts";
import {
  claimStep,
  consumeChallenge,
  countRecoveryCodesLeft,
  deleteChallengesOf,
  deleteTotp,
  findTotp,
  recordFailedCode,
  replaceRecoveryCodes,
  secondFactorRequiredOf,
  setSecondFactorRequired,
  startTotp,
  useRecoveryCode,
} from "#db/queries/second-factor.ts";
import { findById } from "#db/queries/users.ts";
import { deletePasskeysOf } from "#db/queries/passkeys.ts";
import { canRequireSecondFactor, canResetSecondFactor, canTurnOffSecondFactor } from "#app/policies/second-factor.ts";
import { queueMails } from "#app/mail/outbox.server.ts";
import { localeOf } from "#app/utils/network.server.ts";
import type { Acting, Letterhead, Moment } from "#app/utils/acting.server.ts";
import { newRecoveryCodes, newTotpSecret, normalizeRecoveryCode, normalizeTotpCode, stepOfCode } from "./codes.server.ts";
import { secondFactorResetMail, securityChangeMail, type SecurityChange } from "./mail.ts";

/**
 * The second factor's use cases (issue 20), in the caller's transaction:
 * (executor, acting context, input) → result or typed refusal. A refusal
 * commits what it records (a failed code counts and is audited), so callers
 * let the transaction end normally.
 */

type Who = Pick<User, "id" | "email">;

/** Who changes their own sign-in, with what a mail to them needs. */
type Changing = Moment & { user: Who & Pick<User, "locale">; letterhead: Letterhead };

/** Queues the mail telling a member their own sign-in just changed (securityChangeMail); answers its ids for `send`. */
export async function queueSecurityChangeMail(trx: Executor, ctx: Changing, change: SecurityChange, detail?: string): Promise<string[]> {
  const mail = securityChangeMail({
    to: ctx.user.email,
    locale: localeOf(ctx.user, ctx.letterhead.network.locale),
    network: ctx.letterhead.network.name,
    url: new URL("/settings/security", ctx.letterhead.baseUrl).toString(),
    change,
    detail,
  });
  return queueMails(trx, [{ mail }], ctx.now);
}

/** Starts an authenticator setup: a new secret, waiting for its first code. "enabled": the account has one already. */
export async function startTotpSetup(trx: Executor, ctx: Moment & { user: Who }): Promise<{ ok: true } | { ok: false; error: "enabled" }> {
  const started = await startTotp(trx, { userId: ctx.user.id, secret: newTotpSecret(), now: ctx.now });
  return started ? { ok: true } : { ok: false, error: "enabled" };
}

/** Drops a setup left waiting (never a confirmed authenticator). */
export async function cancelTotpSetup(trx: Executor, ctx: Moment & { user: Who }): Promise<{ ok: true }> {
  await trx.deleteFrom("totp_factor").where("user_id", "=", ctx.user.id).where("confirmed_at", "is", null).execute();
  return { ok: true };
}

/**
 * The first code from the app confirms the setup: the factor is on, and ten
 * recovery codes are made — answered this once, only their hashes kept.
 */
export async function confirmTotpSetup(
  trx: Executor,
  ctx: Changing,
  input: { code: string },
): Promise<{ ok: true; recoveryCodes: string[]; mailIds: string[] } | { ok: false; error: "wrong" | "no-setup" }> {
  const totp = await findTotp(trx, ctx.user.id);
  if (!totp || totp.confirmed_at !== null) return { ok: false, error: "no-setup" };
  const step = stepOfCode(new Uint8Array(totp.secret), normalizeTotpCode(input.code), ctx.now);
  if (step === null || !(await claimStep(trx, { userId: ctx.user.id, step, confirm: ctx.now }))) return { ok: false, error: "wrong" };
  const recoveryCodes = newRecoveryCodes();
  await replaceRecoveryCodes(trx, { userId: ctx.user.id, codes: recoveryCodes, now: ctx.now });
  await audit(trx, { event: "second_factor_enabled", actorId: ctx.user.id, targetUserId: ctx.user.id, ip: ctx.ip, data: { factor: "totp" }, now: ctx.now });
  return { ok: true, recoveryCodes, mailIds: await queueSecurityChangeMail(trx, ctx, "totp_enabled") };
}

export type CodeKind = "totp" | "recovery";

/**
 * Checks a code of the account's: an authenticator code not used before (its
 * time step is taken, so the same code — or an older one — is refused from
 * then on), or an unused recovery code (used up by this). A refusal rolls
 * back (transact); the caller records it with recordCodeFailure.
 * `purpose` says what the code was for, in the audit line.
 */
export async function checkCode(
  trx: Executor,
  ctx: Moment,
  input: { user: Who; code: string; kind: CodeKind; purpose: CodePurpose },
): Promise<{ ok: true; kind: CodeKind; recoveryLeft: number } | { ok: false; error: "wrong" | "reused" }> {
  const { user } = input;
  if (input.kind === "totp") {
    const totp = await findTotp(trx, user.id);
    const step = totp && totp.confirmed_at !== null ? stepOfCode(new Uint8Array(totp.secret), normalizeTotpCode(input.code), ctx.now) : null;
    if (step === null) return { ok: false, error: "wrong" };
    if (!(await claimStep(trx, { userId: user.id, step }))) return { ok: false, error: "reused" };
  } else {
    const code = normalizeRecoveryCode(input.code);
    if (code === null || !(await useRecoveryCode(trx, { userId: user.id, code, now: ctx.now }))) return { ok: false, error: "wrong" };
  }
  const recoveryLeft = await countRecoveryCodesLeft(trx, user.id);
  if (input.kind === "recovery") {
    await audit(trx, { event: "recovery_code_used", actorId: user.id, targetUserId: user.id, ip: ctx.ip, data: { left: recoveryLeft, purpose: input.purpose }, now: ctx.now });
  }
  return { ok: true, kind: input.kind, recoveryLeft };
}

export type CodePurpose = "sign_in" | "settings";

/** A wrong or reused code: it counts in the sign-in throttle, and is audited, together or not at all. */
export async function recordCodeFailure(
  trx: Executor,
  ctx: Moment,
  input: { user: Who; kind: CodeKind; reason: "wrong" | "reused"; deviceId: string | null; purpose: CodePurpose },
): Promise<{ ok: true }> {
  const { user } = input;
  await recordFailedCode(trx, { email: user.email, ip: ctx.ip, deviceId: input.deviceId, now: ctx.now });
  await audit(trx, {
    event: "second_factor_failed",
    actorId: null,
    targetUserId: user.id,
    ip: ctx.ip,
    data: { email: user.email, factor: input.kind, reason: input.reason, purpose: input.purpose },
    now: ctx.now,
  });
  return { ok: true };
}

/** Ends the pending sign-in the code was for; "expired" when it ended meanwhile (used by another request, or too old). */
export async function passChallenge(trx: Executor, ctx: Moment, input: { challengeId: string }): Promise<{ ok: true } | { ok: false; error: "expired" }> {
  return (await consumeChallenge(trx, input.challengeId, ctx.now)) ? { ok: true } : { ok: false, error: "expired" };
}

/** New recovery codes (the proof — password or code — checked by the caller); every earlier one stops working. */
export async function renewRecoveryCodes(
  trx: Executor,
  ctx: Acting & Changing,
): Promise<{ ok: true; recoveryCodes: string[]; mailIds: string[] } | { ok: false; error: "not-enabled" }> {
  const totp = await findTotp(trx, ctx.user.id);
  if (!totp || totp.confirmed_at === null) return { ok: false, error: "not-enabled" };
  const recoveryCodes = newRecoveryCodes();
  await replaceRecoveryCodes(trx, { userId: ctx.user.id, codes: recoveryCodes, now: ctx.now });
  await audit(trx, { event: "recovery_codes_renewed", actorId: ctx.user.id, targetUserId: ctx.user.id, ip: ctx.ip, now: ctx.now });
  return { ok: true, recoveryCodes, mailIds: await queueSecurityChangeMail(trx, ctx, "recovery_renewed") };
}

/** Turns the second factor off (the proof checked by the caller). "required": the network requires one of this member. */
export async function turnOffSecondFactor(
  trx: Executor,
  ctx: Acting & Changing,
): Promise<{ ok: true; mailIds: string[] } | { ok: false; error: "required" | "not-enabled" }> {
  if (!canTurnOffSecondFactor(await secondFactorRequiredOf(trx, ctx.user))) return { ok: false, error: "required" };
  if ((await deleteTotp(trx, ctx.user.id)) === 0) return { ok: false, error: "not-enabled" };
  await replaceRecoveryCodes(trx, { userId: ctx.user.id, codes: [], now: ctx.now });
  await audit(trx, { event: "second_factor_disabled", actorId: ctx.user.id, targetUserId: ctx.user.id, ip: ctx.ip, now: ctx.now });
  return { ok: true, mailIds: await queueSecurityChangeMail(trx, ctx, "totp_disabled") };
}

/**
 * A network admin resets a member's second factor (they lost their phone and
 * their recovery codes): authenticator, recovery codes and pending sign-ins
 * go, the member is told by mail (if they did not ask for it, they should say
 * so), and it is audited. At their next sign-in the password alone lets them
 * in — or leads them to set a new one up, when the network requires it.
 */
export async function resetSecondFactor(
  trx: Executor,
  ctx: Acting & { letterhead: Letterhead },
  input: { userId: string },
): Promise<{ ok: true; mailIds: string[] } | { ok: false; error: "forbidden" | "not-found" | "none" }> {
  if (!canResetSecondFactor(ctx.actor, { id: input.userId })) return { ok: false, error: "forbidden" };
  const member = await findById(trx, input.userId);
  if (!member) return { ok: false, error: "not-found" };
  // Their passkeys go too (issue 20): they lost their devices, or someone else holds one.
  const removed = (await deleteTotp(trx, member.id)) + (await deletePasskeysOf(trx, member.id));
  await replaceRecoveryCodes(trx, { userId: member.id, codes: [], now: ctx.now });
  await deleteChallengesOf(trx, member.id);
  if (removed === 0) return { ok: false, error: "none" };
  await audit(trx, { event: "second_factor_reset", actorId: ctx.user.id, targetUserId: member.id, ip: ctx.ip, now: ctx.now });
  const mail = secondFactorResetMail({
    to: member.email,
    locale: localeOf(member, ctx.letterhead.network.locale),
    network: ctx.letterhead.network.name,
    url: new URL("/settings/security", ctx.letterhead.baseUrl).toString(),
  });
  return { ok: true, mailIds: await queueMails(trx, [{ mail }], ctx.now) };
}

/** The network's rule: a second factor required of network admins and space admins, or not. */
export async function setSecondFactorRequirement(
  trx: Executor,
  ctx: Acting,
  input: { required: boolean },
): Promise<{ ok: true; changed: boolean } | { ok: false; error: "forbidden" }> {
  if (!canRequireSecondFactor(ctx.actor)) return { ok: false, error: "forbidden" };
  const before = await trx.selectFrom("network").select("second_factor_required").executeTakeFirst();
  const changed = (before?.second_factor_required === 1) !== input.required;
  if (!changed) return { ok: true, changed: false };
  await setSecondFactorRequired(trx, input.required);
  await audit(trx, { event: "second_factor_requirement_changed", actorId: ctx.user.id, ip: ctx.ip, data: { required: input.required }, now: ctx.now });
  return { ok: true, changed: true };
}
