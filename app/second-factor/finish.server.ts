import type { User } from "#db/schema.ts";
import { transact } from "#db/transact.ts";
import { startSession } from "#app/utils/auth.server.ts";
import { essentialWrites } from "#app/utils/disk.server.ts";
import { getDb } from "#app/utils/db.server.ts";
import { finishSignIn } from "#app/utils/sign-in.server.ts";
import { passChallenge } from "./commands.server.ts";
import { clearPendingCookie } from "./pending.server.ts";

/**
 * The one end of every sign-in past its checks (password and code, password
 * and passkey, passkey alone, the setup the network requires): what a
 * sign-in records (finishSignIn: the attempt, the failures cleared, the audit
 * line, a deletion due cancelled), a new session, the pending sign-in's
 * cookie cleared. Answers the Set-Cookie headers.
 */
export async function openSession(input: {
  request: Request;
  user: User;
  ip: string;
  now: number;
  deviceId: string | null;
}): Promise<{ cookies: string[]; deletionCancelled: boolean }> {
  const { request, user, ip, now, deviceId } = input;
  const signedIn = await finishSignIn({ user, ip, now, deviceId });
  const cookies = [...(await startSession(request, user.id, ip)), await clearPendingCookie()];
  return { cookies, deletionCancelled: signedIn.deletionCancelled };
}

/**
 * The second step passed (a code or a passkey): the pending sign-in ends —
 * single use, so of two requests with right answers one signs in — and the
 * session opens. "expired" when it ended meanwhile.
 */
export async function passPendingSignIn(input: {
  request: Request;
  user: User;
  ip: string;
  now: number;
  deviceId: string | null;
  pendingId: string;
}): Promise<{ ok: true; cookies: string[]; deletionCancelled: boolean } | { ok: false; error: "expired" }> {
  const { ip, now } = input;
  const passed = await essentialWrites(() => transact(getDb(), (trx) => passChallenge(trx, { ip, now }, { challengeId: input.pendingId })));
  if (!passed.ok) return passed;
  return { ok: true, ...(await openSession(input)) };
}
