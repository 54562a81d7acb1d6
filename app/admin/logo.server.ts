import type { StorageDriver } from "#storage/types.ts";
import { logoKey } from "./logo.ts";

/**
 * The network's logo, made with sharp as profile photos are
 * (app/people/photo.server.ts): the format read from the bytes (JPEG, PNG,
 * WebP — no SVG, which is a document that can carry script), the pixel count
 * checked from the header before decoding, resized to fit the header (at 2×)
 * and written as WebP without any metadata. A new logo gets a new id, so its
 * address is cached for good.
 */

export const MAX_LOGO_BYTES = 2 * 1024 * 1024;
const MAX_PIXELS = 25_000_000;
/** Twice the header's 32 px, and wide enough for a wordmark. */
const BOX = { width: 480, height: 64 } as const;
const ACCEPTED = new Set(["jpeg", "png", "webp"]);

export type LogoRefusal = "empty" | "too-large" | "not-image" | "too-many-pixels";

export async function processLogo(bytes: Uint8Array): Promise<{ ok: true; webp: Buffer } | { ok: false; error: LogoRefusal }> {
  if (bytes.byteLength === 0) return { ok: false, error: "empty" };
  if (bytes.byteLength > MAX_LOGO_BYTES) return { ok: false, error: "too-large" };
  const { default: sharp } = await import("sharp");
  let meta;
  try {
    meta = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch {
    return { ok: false, error: "not-image" };
  }
  if (!meta.format || !ACCEPTED.has(meta.format) || !meta.width || !meta.height) return { ok: false, error: "not-image" };
  if (meta.width * meta.height > MAX_PIXELS) return { ok: false, error: "too-many-pixels" };
  try {
    const webp = await sharp(bytes, { limitInputPixels: MAX_PIXELS, failOn: "error", animated: false })
      .rotate()
      .resize(BOX.width, BOX.height, { fit: "inside", withoutEnlargement: true })
      .webp({ quality: 90, alphaQuality: 100 })
      .toBuffer();
    return { ok: true, webp };
  } catch {
    return { ok: false, error: "not-image" };
  }
}

export async function storeLogo(storage: StorageDriver, id: string, webp: Buffer) {
  await storage.put(logoKey(id), webp, { contentType: "image/webp" });
}
