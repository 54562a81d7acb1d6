import type { User } from "#db/schema.ts";
import { checkPassword } from "#app/utils/sign-in.server.ts";
import { normalizeRecoveryCode } from "./codes.server.ts";
import { attemptCode } from "./pending.server.ts";

export type Proof = { ok: true } | { ok: false; reason: "wrong" } | { ok: false; reason: "throttled"; minutes: number; retryAfterSeconds: number };

/**
 * A signed-in member proving it is them before changing their second factor
 * (turning it off, new recovery codes): a stolen session alone must not be
 * enough. Six digits are an authenticator code; anything else their password,
 * and failing that, a recovery code if it can be one. Every try goes through
 * the sign-in throttle.
 */
export async function proveItIsYou(input: { user: User; proof: string; ip: string; request: Request }): Promise<Proof> {
  const { user, ip, request } = input;
  const proof = input.proof.slice(0, 256);
  if (/^\d{6}$/.test(proof.replace(/\s/g, ""))) {
    const attempt = await attemptCode({ user, code: proof, kind: "totp", ip, request, purpose: "settings" });
    return attempt.ok ? { ok: true } : attempt;
  }
  const check = await checkPassword({ email: user.email, password: proof, ip, request }, { reauthentication: true });
  if (check.ok) return { ok: true };
  if (check.reason === "throttled") return check;
  if (normalizeRecoveryCode(proof) !== null) {
    const attempt = await attemptCode({ user, code: proof, kind: "recovery", ip, request, purpose: "settings" });
    return attempt.ok ? { ok: true } : attempt;
  }
  return { ok: false, reason: "wrong" };
}
