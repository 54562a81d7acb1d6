import type { Request } from "express";
import { formatSize, negotiateLocale, translate, type MessageKey, type MessageParams } from "#app/i18n/index.ts";

/**
 * A refusal the express layer answers itself, before Remix (so before any
 * session or preference is known): one plain-text line in the language the
 * browser prefers, then the same in the other, since nothing tells us more.
 * The words come from the app's catalogues like every other message.
 */
export function bilingual(req: Request, key: MessageKey, params?: (locale: "fr" | "en") => MessageParams): string {
  const first = negotiateLocale(req.get("Accept-Language")) ?? "fr";
  const second = first === "fr" ? "en" : "fr";
  return `${translate(first, key, params?.(first))} / ${translate(second, key, params?.(second))}\n`;
}

export function sizeParams(bytes: number) {
  return (locale: "fr" | "en") => ({ limit: formatSize(locale, bytes) });
}
