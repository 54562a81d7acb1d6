import type { Executor } from "#db/client.ts";
import type { User } from "#db/schema.ts";
import { countRecoveryCodesLeft, findTotp, hasSecondFactor, secondFactorRequiredOf } from "#db/queries/second-factor.ts";
import { countPasskeys, passkeysOf } from "#db/queries/passkeys.ts";
import { keyUri, secretForHand } from "./codes.server.ts";
import { qrSvg } from "./qr.server.ts";

/**
 * What happens after a right password: "verify" — the account has an
 * authenticator, or passkeys and the network requires a second factor of
 * them, so a code or a passkey is asked before any session (passkeys alone,
 * not required, are a faster way in, not a step added to the password's);
 * "enroll" — the network
 * requires one of this person and they have none, so they set one up before
 * any session; null — signed in at once.
 */
export type SecondFactorStep = "verify" | "enroll";

export async function secondFactorStepOf(db: Executor, user: Pick<User, "id" | "is_network_admin">): Promise<SecondFactorStep | null> {
  if (await hasSecondFactor(db, user.id)) return "verify";
  if (!(await secondFactorRequiredOf(db, user))) return null;
  // Required of them: a passkey is a second factor (asked at /login/code); with none at all, one is set up first.
  return (await countPasskeys(db, user.id)) > 0 ? "verify" : "enroll";
}

/** An authenticator setup waiting for its first code, as the page shows it: the QR code, the secret to type by hand, the address. */
export interface PendingSetup {
  qr: string;
  secret: string;
  uri: string;
}

export async function pendingSetupOf(db: Executor, user: Pick<User, "id" | "email">, network: string): Promise<PendingSetup | null> {
  const totp = await findTotp(db, user.id);
  if (!totp || totp.confirmed_at !== null) return null;
  const key = new Uint8Array(totp.secret);
  const uri = keyUri({ network, email: user.email, key });
  return { qr: await qrSvg(uri), secret: secretForHand(key), uri };
}

/** The security settings page: the factor's state, what is left of the recovery codes, whether the network requires one of them. */
export async function securityOf(db: Executor, user: Pick<User, "id" | "email" | "is_network_admin">, network: string) {
  const totp = await findTotp(db, user.id);
  return {
    enabled: totp?.confirmed_at != null,
    enabledAt: totp?.confirmed_at ?? null,
    setup: await pendingSetupOf(db, user, network),
    recoveryLeft: await countRecoveryCodesLeft(db, user.id),
    required: await secondFactorRequiredOf(db, user),
    passkeys: (await passkeysOf(db, user.id)).map((p) => ({ id: p.id, name: p.name, createdAt: p.created_at, lastUsedAt: p.last_used_at, synced: p.backed_up === 1 })),
  };
}
