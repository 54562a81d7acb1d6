import { createHmac, timingSafeEqual } from "node:crypto";
import type { Executor } from "#db/client.ts";
import { encodeBase32LowerCaseNoPadding } from "@oslojs/encoding";
import { signingSecret } from "#db/queries/signing-keys.ts";

/**
 * Signed links in mails: a link that acts for a member without their
 * session (a one-click unsubscribe; a reply address) carries what it is
 * for and for whom, and an HMAC-SHA-256 of that under a key only the
 * servers know (db/queries/signing-keys.ts). Nobody can make one for
 * someone else, nor turn one purpose's token into another's: the purpose
 * is signed with the fields. Tokens are URL- and mail-address-safe
 * (base64url, fields joined by "."), and short enough for a local part.
 */

const KEY_NAME = "mail-links";
/** 16 bytes of the MAC: 2^128 guesses, and the reply address stays under 64 characters' reach. */
const MAC_BYTES = 16;

export type LinkPurpose = "unsubscribe" | "reply";

const secrets = new WeakMap<object, Promise<Buffer>>();

function secretOf(db: Executor): Promise<Buffer> {
  let secret = secrets.get(db);
  if (!secret) {
    secret = signingSecret(db, KEY_NAME, Date.now());
    secrets.set(db, secret);
    // A failed read (the database busy) is not kept: the next call tries again.
    secret.catch(() => secrets.delete(db));
  }
  return secret;
}

const encode = (text: string) => Buffer.from(text, "utf8").toString("base64url");
const shortMac = (secret: Buffer, purpose: LinkPurpose, id: string) => encodeBase32LowerCaseNoPadding(mac(secret, purpose, `id:${id}`).subarray(0, 10));

function mac(secret: Buffer, purpose: LinkPurpose, body: string): Buffer {
  return createHmac("sha256", secret).update(`${purpose}\n${body}`).digest().subarray(0, MAC_BYTES);
}

export interface LinkSigner {
  sign(purpose: LinkPurpose, fields: readonly string[]): string;
  /** The fields, when the token is whole and signed for this purpose; null otherwise. */
  verify(purpose: LinkPurpose, token: string): string[] | null;
  /**
   * A short token for one id (an id of ours: lower-case base32), for where
   * space is scarce and case may be lost — a mail address's local part (64
   * characters, and some servers lower-case it): "<id>-<80-bit MAC in base32>".
   */
  signId(purpose: LinkPurpose, id: string): string;
  /** The id, when the short token is whole and signed for this purpose (read case-blind); null otherwise. */
  verifyId(purpose: LinkPurpose, token: string): string | null;
}

/** A signer with the network's key loaded (once per process and database). */
export async function linkSigner(db: Executor): Promise<LinkSigner> {
  const secret = await secretOf(db);
  return {
    sign(purpose, fields) {
      const body = fields.map(encode).join(".");
      return `${body}.${mac(secret, purpose, body).toString("base64url")}`;
    },
    verify(purpose, token) {
      if (typeof token !== "string" || token.length > 1000 || !/^[A-Za-z0-9_.-]+$/.test(token)) return null;
      const cut = token.lastIndexOf(".");
      if (cut <= 0) return null;
      const body = token.slice(0, cut);
      // Compared as text: base64url decoding ignores a last character's spare bits, so comparing
      // bytes would take several spellings of one token, and a token must have exactly one.
      const given = Buffer.from(token.slice(cut + 1), "utf8");
      const wanted = Buffer.from(mac(secret, purpose, body).toString("base64url"), "utf8");
      if (given.length !== wanted.length || !timingSafeEqual(given, wanted)) return null;
      return body.split(".").map((part) => Buffer.from(part, "base64url").toString("utf8"));
    },
    signId(purpose, id) {
      return `${id}-${shortMac(secret, purpose, id)}`;
    },
    verifyId(purpose, token) {
      const match = typeof token === "string" ? /^([a-z2-7]{1,64})-([a-z2-7]{16})$/.exec(token.toLowerCase()) : null;
      if (!match) return null;
      const given = Buffer.from(match[2]!, "utf8");
      const wanted = Buffer.from(shortMac(secret, purpose, match[1]!), "utf8");
      return timingSafeEqual(given, wanted) ? match[1]! : null;
    },
  };
}
