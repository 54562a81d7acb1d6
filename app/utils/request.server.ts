/** What the HTTP server passes to every loader and action (see server/app.ts). */
export interface RequestContext {
  cspNonce: string;
  clientIp: string;
}

export function clientIp(context: unknown): string {
  const ip = (context as Partial<RequestContext> | undefined)?.clientIp;
  return typeof ip === "string" ? ip : "";
}

/** Stands in for the site's origin where a caller has none at hand; any origin judges paths the same way. */
const PLACEHOLDER_ORIGIN = "http://cercle.invalid";

/**
 * The one place that decides where a user-supplied redirect target may go
 * (sign-in's redirectTo, the language switch's way back): it resolves the
 * target against the site's origin, as the browser will, and keeps it only if
 * it lands on that origin; anything else becomes the fallback. What comes out
 * is the resolved path, query and fragment — never a path opening with "//",
 * which a browser would read as another host: "/.//evil.example/" resolves to
 * the path "//evil.example/" on our origin, and sent back as is it leaves.
 *
 * Tabs, newlines and other control characters, and backslashes, are refused
 * before resolving: browsers drop the first and read "\" as "/", so they only
 * ever serve to disguise a target.
 */
export function safeRedirect(
  to: FormDataEntryValue | string | null | undefined,
  fallback = "/spaces",
  origin: string = PLACEHOLDER_ORIGIN,
): string {
  if (typeof to !== "string" || to === "" || /[\u0000-\u001F\u007F-\u009F\\]/.test(to)) return fallback;
  const site = new URL(origin).origin;
  let url: URL;
  try {
    url = new URL(to, site);
  } catch {
    return fallback;
  }
  if (url.origin !== site || url.username !== "" || url.password !== "") return fallback;
  const local = url.pathname + url.search + url.hash;
  if (!local.startsWith("/") || local.startsWith("//")) return fallback;
  // Belt and braces: what we send must land exactly where we resolved it.
  if (new URL(local, site).href !== url.href) return fallback;
  return local;
}
