import { afterAll, beforeAll, expect, test } from "vitest";
import { migrateToLatest } from "#db/migrations/index.ts";
import { linkSigner, type LinkSigner } from "#app/mail/links.server.ts";
import { tempDatabase } from "#tests/helpers/db.ts";

/**
 * Signed links in mails (app/mail/links.server.ts), on a real database that
 * keeps the key: a token reads back its fields for its purpose only; any
 * change to any character of it — the last one's spare bits included — or
 * another database's key, and it is nobody's.
 */

let database: Awaited<ReturnType<typeof tempDatabase>>;
let other: Awaited<ReturnType<typeof tempDatabase>>;
let signer: LinkSigner;

beforeAll(async () => {
  database = await tempDatabase();
  other = await tempDatabase();
  await migrateToLatest(database.db);
  await migrateToLatest(other.db);
  signer = await linkSigner(database.db);
});

afterAll(async () => {
  await database?.remove();
  await other?.remove();
});

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.";

test("a token reads back its fields, for its purpose only", () => {
  const token = signer.sign("unsubscribe", ["zbsfgy64aujfog2ue55wtysw", "digest"]);
  expect(token).toMatch(/^[A-Za-z0-9_.-]+$/);
  expect(signer.verify("unsubscribe", token)).toEqual(["zbsfgy64aujfog2ue55wtysw", "digest"]);
  expect(signer.verify("reply", token)).toBeNull();
  // Fields with dots and accents survive: each is encoded on its own.
  expect(signer.verify("reply", signer.sign("reply", ["a.b", "Amélie", ""]))).toEqual(["a.b", "Amélie", ""]);
});

test("every one-character change to a token makes it nobody's", () => {
  const token = signer.sign("unsubscribe", ["user0000000000000000001", "mention"]);
  let tried = 0;
  for (let i = 0; i < token.length; i++) {
    for (const c of ALPHABET) {
      if (c === token[i]) continue;
      const changed = token.slice(0, i) + c + token.slice(i + 1);
      expect(signer.verify("unsubscribe", changed), `${i}: ${changed}`).toBeNull();
      tried += 1;
    }
  }
  expect(tried).toBe(token.length * (ALPHABET.length - 1));
  for (const bad of ["", ".", "..", token.slice(0, -1), `${token}A`, `${token}.`, token.replace(/\./g, ""), "x".repeat(1001)]) expect(signer.verify("unsubscribe", bad), bad).toBeNull();
});

test("the key is the network's: made once and kept, another network's key signs other tokens", async () => {
  const again = await linkSigner(database.db);
  const token = signer.sign("unsubscribe", ["u1", "digest"]);
  expect(again.verify("unsubscribe", token)).toEqual(["u1", "digest"]);
  expect(await database.db.selectFrom("signing_key").select("name").execute()).toEqual([{ name: "mail-links" }]);
  const elsewhere = await linkSigner(other.db);
  expect(elsewhere.verify("unsubscribe", token)).toBeNull();
  expect(elsewhere.sign("unsubscribe", ["u1", "digest"])).not.toBe(token);
});

test("a short token for an id: read case-blind (mail servers may lower-case an address), any changed character refused", () => {
  const id = "abcdefghijklmnopqrstuvwx";
  const token = signer.signId("reply", id);
  expect(token).toMatch(/^abcdefghijklmnopqrstuvwx-[a-z2-7]{16}$/);
  expect(`reply+${token}`.length).toBeLessThanOrEqual(64);
  expect(signer.verifyId("reply", token)).toBe(id);
  expect(signer.verifyId("reply", token.toUpperCase())).toBe(id);
  expect(signer.verifyId("unsubscribe", token)).toBeNull();
  const base32 = "abcdefghijklmnopqrstuvwxyz234567";
  for (let i = 0; i < token.length; i++) {
    if (token[i] === "-") continue;
    for (const c of base32) {
      if (c === token[i]) continue;
      expect(signer.verifyId("reply", token.slice(0, i) + c + token.slice(i + 1))).toBeNull();
    }
  }
  for (const bad of ["", "-", `${id}-`, `${id}${token.slice(25)}`, `${token}a`, `x${token}`]) expect(signer.verifyId("reply", bad), bad).toBeNull();
});
