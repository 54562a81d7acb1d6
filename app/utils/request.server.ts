/** What the HTTP server passes to every loader and action (see server/app.ts). */
export interface RequestContext {
  cspNonce: string;
  clientIp: string;
}

export function clientIp(context: unknown): string {
  const ip = (context as Partial<RequestContext> | undefined)?.clientIp;
  return typeof ip === "string" ? ip : "";
}

/**
 * A local path to go back to after sign-in; anything else becomes the
 * default. Browsers drop tabs and newlines from URLs ("/\t/evil" becomes
 * "//evil") and read "\\" as "/", so those are refused before resolving.
 */
export function safeRedirect(to: FormDataEntryValue | string | null | undefined, fallback = "/spaces"): string {
  if (typeof to !== "string" || !to.startsWith("/") || /[\u0000-\u001F\u007F\\]/.test(to)) return fallback;
  const base = "http://cercle.invalid";
  let url: URL;
  try {
    url = new URL(to, base);
  } catch {
    return fallback;
  }
  if (url.origin !== base) return fallback;
  return url.pathname + url.search + url.hash;
}
