import { redirect } from "@remix-run/node";
import type { Session, User } from "#db/schema.ts";
import { createSession, deleteSession, validateSessionToken } from "#db/queries/sessions.ts";
import { inTransaction } from "#db/transact.ts";
import { actorOf, type Actor } from "#app/policies/actor.ts";
import { getDb } from "./db.server.ts";
import { essentialWrites } from "./disk.server.ts";
import { rememberThisDevice } from "./device.server.ts";
import { getEnv } from "./env.server.ts";
import { hostCookie } from "./host-cookie.server.ts";
import { memo } from "./memo.server.ts";

function sessionCookie() {
  return hostCookie("cercle_session", { maxAgeMs: getEnv().sessionMaxMs });
}

export interface SignedIn {
  user: User;
  session: Session;
  actor: Actor;
}

/** The signed-in user; validated once per request when loaders pass their load context (memo.server.ts). */
export function getSignedIn(request: Request, context?: object): Promise<SignedIn | null> {
  return memo(context ?? request, "signed-in", async () => {
    const token = await sessionCookie().parse(request.headers.get("Cookie"));
    if (typeof token !== "string") return null;
    const env = getEnv();
    const result = await validateSessionToken(getDb(), token, { idleMs: env.sessionIdleMs, absoluteMs: env.sessionMaxMs }, Date.now());
    if (!result) return null;
    return { ...result, actor: actorOf(result.user) };
  });
}

/** The signed-in user, or a redirect to sign-in that comes back here afterwards. */
export async function requireSignedIn(request: Request, context?: object): Promise<SignedIn> {
  const signedIn = await getSignedIn(request, context);
  if (!signedIn) {
    const url = new URL(request.url);
    const back = url.pathname + url.search;
    throw redirect(`/login?redirectTo=${encodeURIComponent(back)}`);
  }
  return signedIn;
}

export async function requireAnonymous(request: Request) {
  if (await getSignedIn(request)) throw redirect("/");
}

/**
 * Starts a new session (a new token at every sign-in) and makes this browser
 * a known device of the account; returns the Set-Cookie headers of both.
 */
export async function startSession(request: Request, userId: string, ip: string): Promise<string[]> {
  const now = Date.now();
  return essentialWrites(() =>
    inTransaction(getDb(), async (trx) => {
      const { token } = await createSession(trx, { userId, userAgent: request.headers.get("User-Agent") ?? "", ip, now });
      // The admin console's "last sign-in" (issue 20): every way in (password, invitation, reset) starts a session here.
      await trx.updateTable("user").set({ last_sign_in_at: now }).where("id", "=", userId).execute();
      return [await sessionCookie().serialize(token), await rememberThisDevice(trx, request, userId, now)];
    }),
  );
}

export async function endSession(request: Request): Promise<string> {
  const signedIn = await getSignedIn(request);
  if (signedIn) await deleteSession(getDb(), signedIn.session.id);
  return sessionCookie().serialize("", { maxAge: 0 });
}
