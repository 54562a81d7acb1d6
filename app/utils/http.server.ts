import { redirect } from "@remix-run/node";
import type { MessageKey, MessageParams } from "#app/i18n/index.ts";
import { getEnv } from "./env.server.ts";
import { setFlash, type Flash } from "./flash.server.ts";

/** A redirect carrying a flash message, plus any other cookies (a new session). */
export async function redirectWithFlash(
  to: string,
  flash: { kind?: Flash["kind"]; key: MessageKey; params?: MessageParams },
  extraCookies: string[] = [],
) {
  const headers = new Headers();
  for (const c of extraCookies) headers.append("Set-Cookie", c);
  headers.append("Set-Cookie", await setFlash(flash.kind ?? "success", flash.key, flash.params));
  return redirect(to, { headers });
}

export function notFound(): never {
  throw new Response("Not Found", { status: 404 });
}

export function forbidden(): never {
  throw new Response("Forbidden", { status: 403 });
}

export function badRequest(): never {
  throw new Response("Bad Request", { status: 400 });
}

/** A command's refusal of a thing that is not there for the actor (404) or not theirs to change (403), as the route answers it. */
export function refusedAs(error: "not_found" | "forbidden"): never {
  if (error === "not_found") notFound();
  throw new Response("Forbidden", { status: 403 });
}

/** A link for a mail: always on BASE_URL, never on whatever Host the request named. */
export function absoluteUrl(path: string): string {
  return new URL(path, getEnv().baseUrl).toString();
}

/**
 * Content-Disposition (RFC 6266): an ASCII fallback name and the real one in
 * UTF-8 (`filename*`), so accents, quotes and slashes survive as the reader
 * saw them and nothing breaks out of the header.
 */
export function attachment(filename: string, type: "attachment" | "inline" = "attachment"): string {
  const fallback = filename.normalize("NFD").replace(/[^\x20-\x7e]/g, "").replace(/["\\;/]/g, "_") || "download";
  return `${type}; filename="${fallback}"; filename*=UTF-8''${encodeURIComponent(filename).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`;
}
