import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type AuthenticatorTransportFuture,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
} from "@simplewebauthn/server";
import type { Executor } from "#db/client.ts";
import type { PasskeyTable, User } from "#db/schema.ts";
import { createWebauthnChallenge, passkeysOf, takeWebauthnChallenge, WEBAUTHN_CHALLENGE_LIFETIME_MS, type ChallengePurpose } from "#db/queries/passkeys.ts";
import { getEnv } from "#app/utils/env.server.ts";
import { hostCookie } from "#app/utils/host-cookie.server.ts";

/**
 * The glue between Cercle and SimpleWebAuthn (issue 20's passkeys): who we
 * are to the browser (the relying party: BASE_URL's host and origin, never
 * the Host a request names), the options handed to the browser, and the
 * checks of its answers. The challenge is made here and kept server-side
 * (webauthn_challenge); the browser holds only its row's id, in an httpOnly
 * cookie, so an answer is checked against what this browser was given.
 */

/** The relying party: WebAuthn ties every credential to the host name, and every answer to the origin. */
export function relyingParty() {
  const { baseUrl } = getEnv();
  return { rpID: baseUrl.hostname, origin: baseUrl.origin };
}

function challengeCookie() {
  return hostCookie("cercle_webauthn", { maxAgeMs: WEBAUTHN_CHALLENGE_LIFETIME_MS, sameSite: "strict" });
}

/** The challenge id this browser holds, if any. */
export async function challengeIdOf(request: Request): Promise<string | null> {
  const id: unknown = await challengeCookie().parse(request.headers.get("Cookie"));
  return typeof id === "string" && id.length > 0 && id.length <= 64 ? id : null;
}

export function clearChallengeCookie(): Promise<string> {
  return challengeCookie().serialize("", { maxAge: 0 });
}

const parseTransports = (json: string): AuthenticatorTransportFuture[] => {
  try {
    const value: unknown = JSON.parse(json);
    return Array.isArray(value) ? value.filter((t): t is AuthenticatorTransportFuture => typeof t === "string") : [];
  } catch {
    return [];
  }
};

/**
 * Options to create a passkey for this account: discoverable (resident key
 * required, so signing in needs no email) and user-verified (a PIN or a
 * fingerprint: the key alone is then two factors). The account's keys are
 * excluded, so one authenticator is not registered twice.
 */
export async function registrationOptions(
  db: Executor,
  input: { user: Pick<User, "id" | "email" | "display_name">; network: string; purpose: Extract<ChallengePurpose, "register" | "enroll">; now: number },
): Promise<{ options: PublicKeyCredentialCreationOptionsJSON; cookie: string }> {
  const { rpID } = relyingParty();
  const existing = await passkeysOf(db, input.user.id);
  const options = await generateRegistrationOptions({
    rpName: input.network,
    rpID,
    userID: new TextEncoder().encode(input.user.id),
    userName: input.user.email,
    userDisplayName: input.user.display_name,
    attestationType: "none",
    excludeCredentials: existing.map((p) => ({ id: p.credential_id, transports: parseTransports(p.transports) })),
    authenticatorSelection: { residentKey: "required", userVerification: "required" },
    timeout: WEBAUTHN_CHALLENGE_LIFETIME_MS - 30_000,
  });
  const id = await createWebauthnChallenge(db, { challenge: options.challenge, userId: input.user.id, purpose: input.purpose, now: input.now });
  return { options, cookie: await challengeCookie().serialize(id) };
}

/**
 * Options to sign in with a passkey: any of this site's (no account known
 * yet, `userId` null) or, at the second step of a sign-in, only the pending
 * account's own.
 */
export async function authenticationOptions(
  db: Executor,
  input: { userId: string | null; purpose: Extract<ChallengePurpose, "sign_in" | "second_factor">; now: number },
): Promise<{ options: PublicKeyCredentialRequestOptionsJSON; cookie: string }> {
  const { rpID } = relyingParty();
  const allowed = input.userId === null ? [] : await passkeysOf(db, input.userId);
  const options = await generateAuthenticationOptions({
    rpID,
    userVerification: "required",
    allowCredentials: allowed.map((p) => ({ id: p.credential_id, transports: parseTransports(p.transports) })),
    timeout: WEBAUTHN_CHALLENGE_LIFETIME_MS - 30_000,
  });
  const id = await createWebauthnChallenge(db, { challenge: options.challenge, userId: input.userId, purpose: input.purpose, now: input.now });
  return { options, cookie: await challengeCookie().serialize(id) };
}

/** Takes (uses up) the challenge this browser holds for this purpose and account; null if it has none alive. */
export async function takeChallenge(
  db: Executor,
  request: Request,
  input: { purpose: ChallengePurpose; userId: string | null; now: number },
): Promise<string | null> {
  const id = await challengeIdOf(request);
  if (id === null) return null;
  return takeWebauthnChallenge(db, { id, ...input });
}

/** A browser's answer, as posted: JSON of the shape SimpleWebAuthn's browser side gives, or null. */
export function parseResponse<T extends RegistrationResponseJSON | AuthenticationResponseJSON>(raw: unknown): T | null {
  if (typeof raw !== "string" || raw.length > 16_000) return null;
  try {
    const value: unknown = JSON.parse(raw);
    if (!value || typeof value !== "object") return null;
    const r = value as Record<string, unknown>;
    if (typeof r.id !== "string" || typeof r.rawId !== "string" || r.type !== "public-key" || !r.response || typeof r.response !== "object") return null;
    return value as T;
  } catch {
    return null;
  }
}

export type NewPasskey = Pick<PasskeyTable, "credential_id" | "public_key" | "counter" | "transports" | "device_type" | "backed_up">;

/** Checks a new passkey's answer against its challenge (origin, RP, user verification, signature); the key to store, or null. */
export async function checkRegistration(response: RegistrationResponseJSON, expectedChallenge: string): Promise<NewPasskey | null> {
  const { rpID, origin } = relyingParty();
  try {
    const verified = await verifyRegistrationResponse({
      response,
      expectedChallenge,
      expectedOrigin: origin,
      expectedRPID: rpID,
      requireUserVerification: true,
    });
    if (!verified.verified) return null;
    const info = verified.registrationInfo;
    return {
      credential_id: info.credential.id,
      public_key: new Uint8Array(info.credential.publicKey),
      counter: info.credential.counter,
      transports: JSON.stringify(info.credential.transports ?? response.response.transports ?? []),
      device_type: info.credentialDeviceType,
      backed_up: info.credentialBackedUp ? 1 : 0,
    };
  } catch {
    // The library throws on every malformed or mismatched answer: all are the same refusal here.
    return null;
  }
}

/** Checks a sign-in answer against its challenge and the stored key; the authenticator's new counter, or null. */
export async function checkAssertion(
  response: AuthenticationResponseJSON,
  expectedChallenge: string,
  passkey: Pick<PasskeyTable, "credential_id" | "public_key" | "counter" | "transports">,
): Promise<{ counter: number } | null> {
  const { rpID, origin } = relyingParty();
  try {
    const verified = await verifyAuthenticationResponse({
      response,
      expectedChallenge,
      expectedOrigin: origin,
      expectedRPID: rpID,
      requireUserVerification: true,
      credential: {
        id: passkey.credential_id,
        publicKey: new Uint8Array(passkey.public_key),
        counter: passkey.counter,
        transports: parseTransports(passkey.transports),
      },
    });
    return verified.verified ? { counter: verified.authenticationInfo.newCounter } : null;
  } catch {
    // A counter gone back (a cloned key), a wrong signature, origin or challenge: all refused alike.
    return null;
  }
}
