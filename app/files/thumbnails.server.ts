import type { Readable } from "node:stream";
import sharp from "sharp";

export const THUMBNAIL_WIDTH = 320;
/** Larger images are not decoded for a thumbnail: a crafted one could take the server's memory. */
const MAX_INPUT_PIXELS = 40_000_000;

/** A WebP thumbnail of an image, or null if the bytes do not decode as one. */
export async function makeThumbnail(image: Readable): Promise<Buffer | null> {
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
