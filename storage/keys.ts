/**
 * Object keys are made by the server only, from ids it generated: nothing a
 * user typed (a file name, a path) ever becomes part of one.
 */
const ID = /^[a-z0-9]{10,40}$/;

/**
 * One segment: lower-case letters and digits, with `-`, `_` and `.` allowed
 * after the first character. Starting with a letter or digit rules out `.`,
 * `..` and hidden names in one go, and the alphabet rules out upper case
 * (two keys differing only in case would collide on case-insensitive disks),
 * spaces, backslashes and control characters.
 */
const SEGMENT = /^[a-z0-9][a-z0-9._-]*$/;

export const MAX_KEY_LENGTH = 200;

export function isUploadId(id: string): boolean {
  return ID.test(id);
}

/**
 * Throws unless `key` is something the server could have made. Drivers call
 * this before any I/O, so a key that slipped through from a request can
 * neither escape the storage root nor reach bookkeeping files.
 */
export function assertKey(key: string): void {
  if (typeof key !== "string" || key.length === 0) throw new Error("storage key is empty");
  if (key.length > MAX_KEY_LENGTH) throw new Error("storage key is too long");
  // split("/") turns a leading, trailing or doubled slash into an empty
  // segment, which SEGMENT refuses.
  for (const segment of key.split("/")) {
    if (!SEGMENT.test(segment)) throw new Error("storage key is not server-made");
  }
}

/**
 * Refuses ranges that are not whole, ordered, non-negative byte offsets with
 * a RangeError, before any I/O. A range reaching past the end is not refused
 * here: drivers clip its end to the last byte, as S3 and HTTP do.
 */
export function assertByteRange(range: { start: number; end: number }): void {
  const { start, end } = range;
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start < 0 || end < start) {
    throw new RangeError(`invalid byte range ${start}-${end}`);
  }
}

export function wikiImageKey(spaceId: string, imageId: string): string {
  if (!ID.test(spaceId) || !ID.test(imageId)) throw new Error("invalid id for a storage key");
  return `wiki-images/${spaceId}/${imageId}`;
}

export function thumbnailKey(spaceId: string, versionId: string): string {
  if (!ID.test(spaceId) || !ID.test(versionId)) throw new Error("invalid id for a storage key");
  return `thumbs/${spaceId}/${versionId}.webp`;
}

/** One size ("s", "l") of a member's profile photo; a new photo has a new id, so an address never changes content. */
export function photoKey(userId: string, photoId: string, size: "s" | "l"): string {
  if (!ID.test(userId) || !ID.test(photoId) || (size !== "s" && size !== "l")) throw new Error("invalid id for a storage key");
  return `photos/${userId}/${photoId}-${size}.webp`;
}

/** A member's data export (app/exports/): one zip per export, named by ids only. */
export function exportKey(userId: string, exportId: string): string {
  if (!ID.test(userId) || !ID.test(exportId)) throw new Error("invalid id for a storage key");
  return `exports/${userId}/${exportId}.zip`;
}
