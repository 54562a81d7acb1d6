import { createCookie } from "@remix-run/node";
import { isMessageKey, type MessageKey, type MessageParams } from "#app/i18n/index.ts";

export interface Flash {
  kind: "success" | "error" | "info";
  key: MessageKey;
  params?: Record<string, string | number>;
}

// Unsigned on purpose: a flash only names a message of our catalogue (checked
// on read), so forging one shows its author one of our own sentences.
const cookie = createCookie("cercle_flash", { httpOnly: true, sameSite: "lax", path: "/", maxAge: 60 });

export function setFlash(kind: Flash["kind"], key: MessageKey, params?: MessageParams): Promise<string> {
  return cookie.serialize({ kind, key, params: params as Flash["params"] });
}

export async function readFlash(request: Request): Promise<{ flash: Flash | null; clear: string | null }> {
  const value = await cookie.parse(request.headers.get("Cookie"));
  if (!value) return { flash: null, clear: null };
  const clear = await cookie.serialize("", { maxAge: 0 });
  if (typeof value !== "object" || !isMessageKey(value.key)) return { flash: null, clear };
  const kind = value.kind === "error" || value.kind === "info" ? value.kind : "success";
  const params = value.params && typeof value.params === "object" ? value.params : undefined;
  return { flash: { kind, key: value.key, params }, clear };
}
