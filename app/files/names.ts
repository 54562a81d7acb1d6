/**
 * File and folder names are shown, never used to build a path (storage keys
 * are ids). They keep any Unicode — accents, quotes, semicolons — minus what
 * only serves to deceive or break a line: control characters and the bidi
 * overrides that make "gnp.exe" look like "exe.png".
 */
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;

export const MAX_NAME_LENGTH = 255;

/** The name as stored, or null when nothing is left of it. */
export function cleanName(raw: string): string | null {
  const name = raw.normalize("NFC").replace(INVISIBLE, "").replace(/\s+/g, " ").trim();
  return name.length > 0 ? name : null;
}

/**
 * An uploaded file's name fitted to MAX_NAME_LENGTH characters, keeping its
 * extension: an upload is never refused for its name alone.
 */
export function fitFileName(name: string): string {
  const chars = [...name];
  if (chars.length <= MAX_NAME_LENGTH) return name;
  const dot = name.lastIndexOf(".");
  const extension = dot > 0 && name.length - dot <= 16 ? [...name.slice(dot)] : [];
  const stem = chars.slice(0, MAX_NAME_LENGTH - extension.length - 1).join("").trimEnd();
  return `${stem}…${extension.join("")}`;
}
