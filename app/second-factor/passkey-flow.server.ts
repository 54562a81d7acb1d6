import type { AuthenticationResponseJSON, RegistrationResponseJSON } from "@simplewebauthn/server";
import type { User } from "#db/schema.ts";
import { audit } from "#db/queries/audit.ts";
import { findPasskeyByCredential } from "#db/queries/passkeys.ts";
import { codesThrottledUntil } from "#db/queries/second-factor.ts";
import { throttledUntil } from "#db/queries/sign-in-attempts.ts";
import { findById } from "#db/queries/users.ts";
import { transact } from "#db/transact.ts";
import { formatDate, type MessageKey, type MessageParams } from "#app/i18n/index.ts";
import type { Locale } from "#db/schema.ts";
import { getDb } from "#app/utils/db.server.ts";
import { knownDeviceOf } from "#app/utils/device.server.ts";
import { essentialWrites } from "#app/utils/disk.server.ts";
import { getTranslator } from "#app/utils/locale.server.ts";
import { CODE_THROTTLE } from "./pending.server.ts";
import { recordPasskeyFailure, usePasskey, type PasskeyFailure, type PasskeyPurpose } from "./passkeys.server.ts";
import { checkAssertion, parseResponse, takeChallenge } from "./webauthn.server.ts";

/**
 * What the passkey routes share (/login/passkey, /settings/security/passkeys):
 * the JSON they answer the page's script with, and the whole check of a
 * sign-in answer — challenge taken, key found, throttle, signature, counter —
 * so the passkey alone and the passkey after a password are checked alike.
 */

/** A JSON answer to the page's script (PasskeyButton), with any cookies. */
export function jsonAnswer(body: PasskeyAnswer, init: { status?: number; cookies?: string[]; headers?: Record<string, string> } = {}): Response {
  const headers = new Headers({ "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store", ...init.headers });
  for (const cookie of init.cookies ?? []) headers.append("Set-Cookie", cookie);
  return new Response(JSON.stringify(body), { status: init.status ?? 200, headers });
}

/** `message`: the refusal said in the reader's language; `redirectTo`: where to go instead (the pending sign-in ended). */
export type PasskeyRefusal = { ok: false; message: string; redirectTo?: string };

export type PasskeyAnswer = { ok: true; options: unknown } | { ok: true; redirectTo?: string } | PasskeyRefusal;

/** A refusal in the reader's language. */
export async function refusal(request: Request, key: MessageKey, params?: MessageParams, redirectTo?: string): Promise<PasskeyRefusal> {
  const { t } = await getTranslator(request);
  return { ok: false, message: t(key, params), ...(redirectTo ? { redirectTo } : {}) };
}

/** A passkey's name when none is typed: the day it was added, in the reader's language. */
export function defaultPasskeyName(t: (key: MessageKey, params?: MessageParams) => string, locale: Locale, now: number): string {
  return t("passkey.defaultName", { date: formatDate(locale, now, "date") });
}

export type AssertionCheck =
  | { ok: true; user: User; deviceId: string | null }
  | { ok: false; reason: "refused" }
  | { ok: false; reason: "throttled"; minutes: number; retryAfterSeconds: number };

/**
 * Checks a sign-in answer: this browser's challenge for `purpose` (used up
 * whatever happens), a key we know, of `userId` when one is expected, the
 * account's throttle, then the signature, origin, user verification and
 * counter (SimpleWebAuthn), then the counter recorded. Every refusal naming
 * an account counts in the throttle and is audited (passkey_failed).
 * Deactivation is the caller's to tell, after this.
 */
export async function checkSignInAnswer(input: {
  request: Request;
  raw: unknown;
  purpose: Extract<PasskeyPurpose, "sign_in" | "second_factor">;
  /** The pending sign-in's account, at the second step; null for the passkey alone. */
  userId: string | null;
  ip: string;
  now: number;
}): Promise<AssertionCheck> {
  const db = getDb();
  const { request, purpose, ip, now } = input;
  const moment = { ip, now };
  // Taken first and whatever follows: a challenge is never checked twice.
  const challenge = await essentialWrites(() => takeChallenge(db, request, { purpose, userId: input.userId, now }));
  const response = parseResponse<AuthenticationResponseJSON>(input.raw);
  const passkey = response ? await findPasskeyByCredential(db, response.id) : undefined;
  const owner = passkey ? await findById(db, passkey.user_id) : undefined;
  const expected = input.userId !== null ? await findById(db, input.userId) : undefined;
  // Who a failure counts against: the account expected, else the key's.
  const counted = expected ?? (owner && owner.deleted_at === null ? owner : undefined) ?? null;
  const deviceId = counted ? await knownDeviceOf(db, request, counted.id, now) : null;
  const fail = async (reason: PasskeyFailure): Promise<AssertionCheck> => {
    await essentialWrites(() => transact(db, (trx) => recordPasskeyFailure(trx, moment, { user: counted, reason, deviceId, purpose })));
    return { ok: false, reason: "refused" };
  };
  if (counted) {
    const untils = [
      await throttledUntil(db, { email: counted.email, ip, deviceId, now }),
      await codesThrottledUntil(db, { email: counted.email, now, ...CODE_THROTTLE }),
    ].filter((t): t is number => t !== null);
    if (untils.length > 0) {
      const until = Math.max(...untils);
      await essentialWrites(() => audit(db, { event: "second_factor_throttled", actorId: null, targetUserId: counted.id, ip, data: { email: counted.email, purpose, factor: "passkey" }, now }));
      return { ok: false, reason: "throttled", minutes: Math.max(1, Math.ceil((until - now) / 60_000)), retryAfterSeconds: Math.ceil((until - now) / 1000) };
    }
  }
  if (!response) return fail("malformed");
  if (!passkey || !owner || owner.deleted_at !== null) return fail("unknown");
  // At the second step, only the pending account's own keys: someone else's passkey is no factor of theirs.
  if (input.userId !== null && passkey.user_id !== input.userId) return fail("other-account");
  if (challenge === null) return fail("no-challenge");
  const checked = await checkAssertion(response, challenge, passkey);
  if (!checked) return fail("invalid");
  const used = await essentialWrites(() => transact(db, (trx) => usePasskey(trx, moment, { passkey, counter: checked.counter, purpose })));
  if (!used.ok) return fail("replayed");
  return { ok: true, user: owner, deviceId };
}

/** A registration answer as posted, or null. */
export const parseRegistration = (raw: unknown) => parseResponse<RegistrationResponseJSON>(raw);
