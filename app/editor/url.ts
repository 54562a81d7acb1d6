/**
 * URL rules shared by the browser (link form, LinkPlugin, image insertion) and
 * the server (content.server.ts), so the editor refuses what the server refuses.
 * Pure functions, no DOM: safe to import anywhere.
 */

/** Our random ids (db ids of pages). */
export const PAGE_ID_PATTERN = /^[a-z0-9]{10,40}$/;

const MAX_URL_LENGTH = 2048;
const LINK_PROTOCOLS = new Set(["http:", "https:", "mailto:", "tel:"]);
const BASE = "https://same-origin.invalid";

// Whitespace and control characters anywhere: browsers drop them while reading
// a scheme ("java\tscript:"), so a URL that holds one is refused outright.
// eslint-disable-next-line no-control-regex
const SPACE_OR_CONTROL = /[\u0000-\u0020\u007f-\u009f\u00a0\u1680\u2000-\u200f\u2028\u2029\u202f\u205f\u3000\ufeff]/;

export function isPageId(value: unknown): value is string {
  return typeof value === "string" && PAGE_ID_PATTERN.test(value);
}

/**
 * A path on this site: starts with "/" but not "//" or "/\" (browsers read both
 * as protocol-relative), no backslash anywhere, and stays on the same origin
 * once resolved.
 */
export function isSameOriginPath(value: unknown): value is string {
  if (typeof value !== "string" || value.length === 0 || value.length > MAX_URL_LENGTH) return false;
  if (SPACE_OR_CONTROL.test(value) || value.includes("\\")) return false;
  if (value[0] !== "/" || value[1] === "/") return false;
  try {
    return new URL(value, BASE).origin === BASE;
  } catch {
    return false;
  }
}

/** A link target: http(s) with a host, mailto:, tel:, or a same-origin path. */
export function isSafeLinkUrl(value: unknown): value is string {
  if (typeof value !== "string" || value.length === 0 || value.length > MAX_URL_LENGTH) return false;
  if (SPACE_OR_CONTROL.test(value) || value.includes("\\")) return false;
  if (value[0] === "/") return isSameOriginPath(value);
  // The scheme must be spelled plainly at the start: letters, then ":".
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(value);
  if (!scheme) return false;
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    return false;
  }
  if (!LINK_PROTOCOLS.has(parsed.protocol) || parsed.protocol !== `${scheme[1].toLowerCase()}:`) return false;
  if (parsed.protocol === "http:" || parsed.protocol === "https:") {
    return parsed.hostname.length > 0 && parsed.username === "" && parsed.password === "";
  }
  return value.length > scheme[0].length;
}

/** An image source: only same-origin paths (uploaded files), never another site or data:. */
export function isSafeImageSrc(value: unknown): value is string {
  return isSameOriginPath(value);
}

/**
 * What a person types in the link form, made into a URL if it can be:
 * "example.org/x" becomes "https://example.org/x", "a@b.org" becomes a mailto:.
 * Returns null when the result is still not a safe link.
 */
export function normalizeLinkInput(input: string): string | null {
  const value = input.trim();
  if (value === "") return null;
  if (isSafeLinkUrl(value)) return value;
  if (/^[^\s@/:]+@[^\s@/:]+\.[^\s@/:]+$/.test(value)) {
    const mail = `mailto:${value}`;
    return isSafeLinkUrl(mail) ? mail : null;
  }
  if (!/^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(value) && /^[^/\\]+\.[^/\\]+/.test(value)) {
    const web = `https://${value}`;
    return isSafeLinkUrl(web) ? web : null;
  }
  return null;
}

/**
 * Space files in content are addressed by id alone, so a renamed space or a
 * moved file never breaks a page: /files/:id (a link: the file's page) and
 * /files/:id/inline (an image: its current version, served inline).
 */
const FILE_URL = /^\/files\/([a-z0-9]{10,40})(\/inline)?$/;

export function fileLinkHref(fileId: string): string {
  return `/files/${fileId}`;
}

export function fileImageSrc(fileId: string): string {
  return `/files/${fileId}/inline`;
}

/** The file a link or image source names, or null for any other URL. */
export function fileIdOf(url: unknown): string | null {
  if (typeof url !== "string") return null;
  return FILE_URL.exec(url)?.[1] ?? null;
}

/** The URL a page link points at; GET /pages/:id redirects to the page's current address. */
export function pageLinkHref(pageId: string): string {
  return `/pages/${pageId}`;
}
