import { generateHOTP, createTOTPKeyURI } from "@oslojs/otp";
import { constantTimeEqual } from "@oslojs/crypto/subtle";
import { encodeBase32LowerCaseNoPadding, encodeBase32UpperCaseNoPadding } from "@oslojs/encoding";

/**
 * Authenticator codes as RFC 6238 has them and every authenticator app reads
 * them: HMAC-SHA-1, 30-second steps, 6 digits, a 160-bit secret (the size
 * RFC 4226 recommends). @oslojs/otp computes the HOTP of a given step; the
 * step is chosen here, so that the one accepted can be remembered and never
 * accepted again (its own TOTP helpers read the clock and say only yes or no).
 */
export const PERIOD_SECONDS = 30;
export const DIGITS = 6;

export function newTotpSecret(): Uint8Array {
  const key = new Uint8Array(20);
  crypto.getRandomValues(key);
  return key;
}

export function stepAt(now: number): number {
  return Math.floor(now / (PERIOD_SECONDS * 1000));
}

/** The code for a step; for the demo and the server's own checks, never for tests (they compute their own). */
export function codeAt(key: Uint8Array, step: number): string {
  return generateHOTP(key, BigInt(step), DIGITS);
}

/**
 * The time step a code belongs to — this one, or one step either side (a
 * phone's clock half a minute off, a code typed as it turned) — or null.
 */
export function stepOfCode(key: Uint8Array, code: string, now: number): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const typed = new TextEncoder().encode(code);
  const current = stepAt(now);
  let found: number | null = null;
  // Every candidate is computed and compared whatever the outcome, so the time taken tells nothing.
  for (const step of [current - 1, current, current + 1]) {
    if (constantTimeEqual(new TextEncoder().encode(codeAt(key, step)), typed) && found === null) found = step;
  }
  return found;
}

/** The otpauth:// address an authenticator app reads from the QR code: the network as issuer, the member's address as account. */
export function keyUri(input: { network: string; email: string; key: Uint8Array }): string {
  return createTOTPKeyURI(input.network, input.email, input.key, PERIOD_SECONDS, DIGITS);
}

/** The secret as typed into an app by hand: base32 in groups of four. */
export function secretForHand(key: Uint8Array): string {
  return encodeBase32UpperCaseNoPadding(key).replace(/(.{4})(?=.)/g, "$1 ");
}

/** How many recovery codes a member gets at a time. */
export const RECOVERY_CODE_COUNT = 10;

/** A recovery code: 80 random bits in base32, shown as four groups of four. */
export function newRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    const bytes = new Uint8Array(10);
    crypto.getRandomValues(bytes);
    return encodeBase32LowerCaseNoPadding(bytes).replace(/(.{4})(?=.)/g, "$1-");
  });
}

/** A recovery code as typed (any case, spaces or dashes anywhere) in its stored form, or null if it cannot be one. */
export function normalizeRecoveryCode(typed: string): string | null {
  const bare = typed.toLowerCase().replace(/[\s-]/g, "");
  if (!/^[a-z2-7]{16}$/.test(bare)) return null;
  return bare.replace(/(.{4})(?=.)/g, "$1-");
}

/** A six-digit code as typed: spaces dropped (apps show "123 456"). */
export function normalizeTotpCode(typed: string): string {
  return typed.replace(/\s/g, "");
}
