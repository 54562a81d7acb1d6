import { encodeBase32LowerCaseNoPadding } from "@oslojs/encoding";

/** Random text ids: 120 bits, lower-case base32, safe in URLs and file names. */
export function newId(): string {
  const bytes = new Uint8Array(15);
  crypto.getRandomValues(bytes);
  return encodeBase32LowerCaseNoPadding(bytes);
}
