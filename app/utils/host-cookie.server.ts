import { createCookie } from "@remix-run/node";
import { getEnv } from "./env.server.ts";

/**
 * A cookie only the server reads (session, known device, pending sign-in,
 * WebAuthn challenge): httpOnly, for the whole site, and over https under the
 * __Host- prefix, which pins it to this host and path "/" and requires Secure.
 */
export function hostCookie(name: string, options: { maxAgeMs: number; sameSite?: "lax" | "strict" }) {
  const secure = getEnv().baseUrl.protocol === "https:";
  return createCookie(secure ? `__Host-${name}` : name, {
    httpOnly: true,
    sameSite: options.sameSite ?? "lax",
    secure,
    path: "/",
    maxAge: Math.floor(options.maxAgeMs / 1000),
  });
}
