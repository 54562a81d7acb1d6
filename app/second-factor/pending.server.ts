import type { User } from "#db/schema.ts";
import { audit } from "#db/queries/audit.ts";
import { CHALLENGE_LIFETIME_MS, codesThrottledUntil, createChallenge, findChallenge } from "#db/queries/second-factor.ts";
import { DEFAULT_THROTTLE, throttledUntil } from "#db/queries/sign-in-attempts.ts";
import { transact } from "#db/transact.ts";
import { getDb } from "#app/utils/db.server.ts";
import { knownDeviceOf } from "#app/utils/device.server.ts";
import { essentialWrites } from "#app/utils/disk.server.ts";
import { hostCookie } from "#app/utils/host-cookie.server.ts";
import { checkCode, recordCodeFailure, type CodeKind, type CodePurpose } from "./commands.server.ts";
import type { SecondFactorStep } from "./load.server.ts";

/**
 * The step between a right password and a session (issue 20). Sessions here
 * are rows named by a cookie (app/utils/auth.server.ts), so the pending
 * sign-in is one too: a sign_in_challenge row, short-lived and single-use,
 * whose secret only this cookie holds (its SHA-256 in the table). It signs
 * nobody in: only the code page and the setup page read it.
 */
function pendingCookie() {
  return hostCookie("cercle_pending", { maxAgeMs: CHALLENGE_LIFETIME_MS });
}

/** Where each step is asked. */
export const STEP_PATHS: Record<SecondFactorStep, string> = { verify: "/login/code", enroll: "/login/setup" };

/** Starts the pending sign-in after a right password; answers its Set-Cookie header. */
export async function beginSecondFactor(input: { user: Pick<User, "id">; step: SecondFactorStep; redirectTo: string }): Promise<string> {
  const token = await essentialWrites(() =>
    transact(getDb(), async (trx) => ({
      ok: true as const,
      token: await createChallenge(trx, { userId: input.user.id, purpose: input.step, redirectTo: input.redirectTo, now: Date.now() }),
    })),
  );
  return pendingCookie().serialize(token.token);
}

export type PendingSignIn = NonNullable<Awaited<ReturnType<typeof findChallenge>>>;

/** The pending sign-in this browser holds, if still alive. */
export async function readPending(request: Request): Promise<PendingSignIn | null> {
  const token: unknown = await pendingCookie().parse(request.headers.get("Cookie"));
  if (typeof token !== "string" || token.length > 200) return null;
  return (await findChallenge(getDb(), token, Date.now())) ?? null;
}

export function clearPendingCookie(): Promise<string> {
  return pendingCookie().serialize("", { maxAge: 0 });
}

/** A member's failed codes alone stop new ones this long after the oldest counted, from any address or device. */
export const CODE_THROTTLE = { windowMs: DEFAULT_THROTTLE.windowMs, max: 10 };

export type CodeAttempt =
  | { ok: true; kind: CodeKind; recoveryLeft: number; deviceId: string | null }
  | { ok: false; reason: "wrong" }
  | { ok: false; reason: "throttled"; minutes: number; retryAfterSeconds: number };

/**
 * A code typed by a member, wherever it is typed (sign-in step, settings),
 * throttled as passwords are (app/utils/sign-in.server.ts checkPassword): the
 * same counts of failures per account and address, per address, per known
 * device — a wrong code is a failed attempt like a wrong password — plus a
 * limit of the account's own failed codes that no device escapes.
 */
export async function attemptCode(input: {
  user: Pick<User, "id" | "email">;
  code: string;
  kind: CodeKind;
  ip: string;
  request: Request;
  purpose: CodePurpose;
}): Promise<CodeAttempt> {
  const db = getDb();
  const { user, ip } = input;
  const now = Date.now();
  const deviceId = await knownDeviceOf(db, input.request, user.id, now);
  const untils = [
    await throttledUntil(db, { email: user.email, ip, deviceId, now }),
    await codesThrottledUntil(db, { email: user.email, now, ...CODE_THROTTLE }),
  ].filter((t): t is number => t !== null);
  if (untils.length > 0) {
    const until = Math.max(...untils);
    await essentialWrites(() =>
      audit(db, { event: "second_factor_throttled", actorId: null, targetUserId: user.id, ip, data: { email: user.email, purpose: input.purpose }, now }),
    );
    return { ok: false, reason: "throttled", minutes: Math.max(1, Math.ceil((until - now) / 60_000)), retryAfterSeconds: Math.ceil((until - now) / 1000) };
  }
  const moment = { ip, now };
  const checked = await essentialWrites(() => transact(db, (trx) => checkCode(trx, moment, { user, code: input.code, kind: input.kind, purpose: input.purpose })));
  if (!checked.ok) {
    await essentialWrites(() =>
      transact(db, (trx) => recordCodeFailure(trx, moment, { user, kind: input.kind, reason: checked.error, deviceId, purpose: input.purpose })),
    );
    return { ok: false, reason: "wrong" };
  }
  return { ...checked, deviceId };
}
