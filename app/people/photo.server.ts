import { photoKey } from "#storage/keys.ts";
import type { StorageDriver } from "#storage/types.ts";

/**
 * A profile photo, made with sharp (libvips), the library the thumbnails
 * already use: the format is read from the bytes (never the name or the
 * type the browser claims), the pixel count from the header before anything
 * is decoded, so a decompression bomb is refused in bounded memory; the
 * picture is turned upright (EXIF orientation), cropped square around what
 * libvips finds interesting, resized to the sizes the pages use and written
 * as WebP with no metadata at all (EXIF, GPS, XMP, ICC).
 */

/** The largest upload read; the body-limit layer refuses more before it reaches here. */
export const MAX_PHOTO_BYTES = 15 * 1024 * 1024;
/** 40 megapixels: any phone's photo, not a crafted 100,000 × 100,000 image. */
const MAX_PIXELS = 40_000_000;
/** The sizes pages use: `s` in lists and cards, `l` on the profile (both for 2× screens). */
export const PHOTO_SIZES = { s: 128, l: 400 } as const;
export type PhotoSize = keyof typeof PHOTO_SIZES;

/** What sharp's metadata calls the formats we take: JPEG, PNG, WebP, and HEIF (HEIC and AVIF) where this build decodes them. */
const ACCEPTED = new Set(["jpeg", "png", "webp", "heif"]);

export type PhotoRefusal = "empty" | "too-large" | "not-image" | "too-many-pixels" | "heic-unsupported";
export type ProcessedPhoto = { ok: true; sizes: Record<PhotoSize, Buffer> } | { ok: false; error: PhotoRefusal };

export async function processPhoto(bytes: Uint8Array): Promise<ProcessedPhoto> {
  if (bytes.byteLength === 0) return { ok: false, error: "empty" };
  if (bytes.byteLength > MAX_PHOTO_BYTES) return { ok: false, error: "too-large" };
  // Loaded at the first photo, not at start: libvips costs ~30 MB in every process.
  const { default: sharp } = await import("sharp");
  let meta;
  try {
    meta = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch {
    return { ok: false, error: "not-image" };
  }
  if (!meta.format || !ACCEPTED.has(meta.format)) return { ok: false, error: "not-image" };
  if (!meta.width || !meta.height) return { ok: false, error: "not-image" };
  if (meta.width * meta.height > MAX_PIXELS) return { ok: false, error: "too-many-pixels" };
  try {
    // One size after the other: two decodes of a 40-megapixel picture at once would double the peak.
    const entries: Array<readonly [PhotoSize, Buffer]> = [];
    for (const size of Object.keys(PHOTO_SIZES) as PhotoSize[]) {
      const px = PHOTO_SIZES[size];
      const out = await sharp(bytes, { limitInputPixels: MAX_PIXELS, failOn: "error", animated: false })
        .rotate()
        .resize(px, px, { fit: "cover", position: sharp.strategy.attention })
        .webp({ quality: 82 })
        .toBuffer();
      entries.push([size, out]);
    }
    return { ok: true, sizes: Object.fromEntries(entries) as Record<PhotoSize, Buffer> };
  } catch (error) {
    // libheif reads the HEIF container but, in sharp's prebuilt libvips, not HEVC-coded pictures.
    if (meta.format === "heif" && /heif|codec|unsupported/i.test(String(error))) return { ok: false, error: "heic-unsupported" };
    return { ok: false, error: "not-image" };
  }
}

/** Stores every size of a new photo; nothing points at them until the profile does. */
export async function storePhoto(storage: StorageDriver, userId: string, photoId: string, sizes: Record<PhotoSize, Buffer>) {
  for (const size of Object.keys(sizes) as PhotoSize[]) await storage.put(photoKey(userId, photoId, size), sizes[size], { contentType: "image/webp" });
}

/** Removes a photo no longer pointed at (replaced, removed, or a save that failed). */
export async function deletePhoto(storage: StorageDriver, userId: string, photoId: string) {
  for (const size of Object.keys(PHOTO_SIZES) as PhotoSize[]) await storage.delete(photoKey(userId, photoId, size));
}
