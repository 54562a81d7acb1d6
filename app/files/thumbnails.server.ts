import type { Readable } from "node:stream";

export const THUMBNAIL_WIDTH = 320;
/** Larger images are not decoded for a thumbnail: a crafted one could take the server's memory. */
const MAX_INPUT_PIXELS = 40_000_000;

/** A WebP thumbnail of an image, or null if the bytes do not decode as one. */
export async function makeThumbnail(image: Readable): Promise<Buffer | null> {
  // Loaded at the first image, not at start: libvips costs ~30 MB in every process.
  const { default: sharp } = await import("sharp");
  const pipeline = sharp({ limitInputPixels: MAX_INPUT_PIXELS, failOn: "error", animated: false })
    .rotate()
    .resize({ width: THUMBNAIL_WIDTH, height: THUMBNAIL_WIDTH, fit: "inside", withoutEnlargement: true })
    .webp({ quality: 78 });
  image.pipe(pipeline);
  try {
    return await pipeline.toBuffer();
  } catch {
    image.destroy();
    return null;
  }
}
