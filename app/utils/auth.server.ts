import { createCookie, redirect } from "@remix-run/node";
import type { Session, User } from "#db/schema.ts";
import { createSession, deleteSession, validateSessionToken } from "#db/queries/sessions.ts";
import type { Actor } from "#app/policies/space.ts";
import { getDb } from "./db.server.ts";
import { getEnv } from "./env.server.ts";

function sessionCookie() {
  const env = getEnv();
  const secure = env.baseUrl.protocol === "https:";
  // __Host- pins the cookie to this host and path "/", and requires Secure.
  return createCookie(secure ? "__Host-cercle_session" : "cercle_session", {
    httpOnly: true,
    sameSite: "lax",
    secure,
    path: "/",
    maxAge: Math.floor(env.sessionMaxMs / 1000),
  });
}

export interface SignedIn {
  user: User;
  session: Session;
  actor: Actor;
}

// One validation per Request object: a loader that asks twice (the root asks for the user and
// for the locale) validates once. Remix gives each loader its own Request, so sharing across
// loaders of one page would have to go through the load context.
const cache = new WeakMap<Request, Promise<SignedIn | null>>();

export function getSignedIn(request: Request): Promise<SignedIn | null> {
  let pending = cache.get(request);
  if (!pending) {
    pending = (async () => {
      const token = await sessionCookie().parse(request.headers.get("Cookie"));
      if (typeof token !== "string") return null;
      const env = getEnv();
      const result = await validateSessionToken(
        getDb(),
        token,
        { idleMs: env.sessionIdleMs, absoluteMs: env.sessionMaxMs },
        Date.now(),
      );
      if (!result) return null;
      return { ...result, actor: { id: result.user.id, isNetworkAdmin: result.user.is_network_admin === 1 } };
    })();
    cache.set(request, pending);
  }
  return pending;
}

/** The signed-in user, or a redirect to sign-in that comes back here afterwards. */
export async function requireSignedIn(request: Request): Promise<SignedIn> {
  const signedIn = await getSignedIn(request);
  if (!signedIn) {
    const url = new URL(request.url);
    const back = url.pathname + url.search;
    throw redirect(`/login?redirectTo=${encodeURIComponent(back)}`);
  }
  return signedIn;
}

export async function requireAnonymous(request: Request) {
  if (await getSignedIn(request)) throw redirect("/spaces");
}

/** Starts a new session (a new token at every sign-in) and returns its Set-Cookie header. */
export async function startSession(request: Request, userId: string, ip: string): Promise<string> {
  const { token } = await createSession(getDb(), {
    userId,
    userAgent: request.headers.get("User-Agent") ?? "",
    ip,
    now: Date.now(),
  });
  return sessionCookie().serialize(token);
}

export async function endSession(request: Request): Promise<string> {
  const signedIn = await getSignedIn(request);
  if (signedIn) await deleteSession(getDb(), signedIn.session.id);
  return sessionCookie().serialize("", { maxAge: 0 });
}
