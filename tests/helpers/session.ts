import { createHash } from "node:crypto";
import { createCookie } from "@remix-run/node";
import type { Client } from "./http.ts";

export const SESSION_COOKIE = "cercle_session";

/** The session token (`id.secret`) inside a cercle_session cookie value as the server set it. */
export async function sessionToken(cookieValue: string): Promise<{ token: string; id: string; secret: string }> {
  const token: unknown = await createCookie(SESSION_COOKIE).parse(`${SESSION_COOKIE}=${cookieValue}`);
  if (typeof token !== "string") throw new Error(`Not a session cookie value: ${cookieValue}`);
  const [id, secret] = token.split(".");
  return { token, id, secret };
}

/** The session token a client currently holds. */
export async function clientSession(c: Client) {
  const value = c.cookies.get(SESSION_COOKIE);
  if (!value) throw new Error("This client holds no session cookie");
  return sessionToken(value);
}

export function sha256(text: string): Buffer {
  return createHash("sha256").update(text, "utf8").digest();
}

/**
 * Whether the server takes this client as signed in: /spaces is for members
 * only and sends everyone else to the sign-in page.
 */
export async function isSignedIn(c: Client): Promise<boolean> {
  const res = await c.get("/spaces");
  if (res.status === 200) return true;
  if (res.status === 302 && res.location?.startsWith("/login")) return false;
  throw new Error(`GET /spaces answered ${res.status} ${res.location ?? ""}`);
}
