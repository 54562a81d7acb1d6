/** What the HTTP server passes to every loader and action (see server/app.ts). */
export interface RequestContext {
  cspNonce: string;
  clientIp: string;
}

export function clientIp(context: unknown): string {
  const ip = (context as Partial<RequestContext> | undefined)?.clientIp;
  return typeof ip === "string" ? ip : "";
}

/** A local path to go back to after sign-in; anything else (another host, //evil) becomes the default. */
export function safeRedirect(to: FormDataEntryValue | string | null | undefined, fallback = "/spaces"): string {
  if (typeof to !== "string" || !to.startsWith("/") || to.startsWith("//") || to.startsWith("/\\")) return fallback;
  return to;
}
