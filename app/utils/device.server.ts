import { findKnownDevice, isDeviceToken, KNOWN_DEVICE_LIFETIME_MS, newDeviceToken, rememberDevice } from "#db/queries/known-devices.ts";
import type { Executor } from "#db/client.ts";
import { hostCookie } from "./host-cookie.server.ts";

/**
 * The known-device cookie (OWASP, "Slow down online guessing attacks with
 * device cookies"): a random secret set at every successful sign-in, whose
 * hash the database ties to the account. It proves nothing by itself — it
 * only spares the browser the lockouts others' failures put on the account
 * and its address (db/queries/sign-in-attempts.ts).
 */
function deviceCookie() {
  return hostCookie("cercle_device", { maxAgeMs: KNOWN_DEVICE_LIFETIME_MS });
}

/** The device secret this browser carries, if any that could be one. */
export async function readDeviceToken(request: Request): Promise<string | null> {
  const token: unknown = await deviceCookie().parse(request.headers.get("Cookie"));
  return isDeviceToken(token) ? token : null;
}

/** This browser's device row for the account, when it has signed in to it before. */
export async function knownDeviceOf(db: Executor, request: Request, userId: string, now: number): Promise<string | null> {
  const token = await readDeviceToken(request);
  return token ? findKnownDevice(db, { token, userId, now }) : null;
}

/** Makes (or keeps) this browser a known device of the account; returns the Set-Cookie header. */
export async function rememberThisDevice(db: Executor, request: Request, userId: string, now: number): Promise<string> {
  const token = (await readDeviceToken(request)) ?? newDeviceToken();
  await rememberDevice(db, { token, userId, now });
  return deviceCookie().serialize(token);
}
