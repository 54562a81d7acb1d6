import { describe, expect, test } from "vitest";
import { newId } from "#db/ids.ts";
import { assertByteRange, assertKey, isUploadId, thumbnailKey, wikiImageKey } from "#storage/keys.ts";

describe("storage keys", () => {
  test("keys the server makes pass assertKey", () => {
    const space = newId();
    const version = newId();
    expect(thumbnailKey(space, version)).toBe(`thumbs/${space}/${version}.webp`);
    for (const key of [
      wikiImageKey(space, version),
      thumbnailKey(space, version),
      version,
      "a",
      "a.b-c_d/e0",
      "x".repeat(200),
    ]) {
      expect(() => assertKey(key), key.slice(0, 40)).not.toThrow();
    }
  });

  test("anything path-like or outside the alphabet is refused", () => {
    for (const key of [
      "",
      "x".repeat(201),
      "/a",
      "a/",
      "a//b",
      "./a",
      "a/./b",
      "a/../b",
      "..",
      ".hidden",
      "a/.hidden",
      "-a",
      "_a",
      "A",
      "a b",
      "a\\b",
      "a\0b",
      "a\tb",
      "a\nb",
      "a\u00e9",
      "a?b",
      "a%2fb",
    ]) {
      expect(() => assertKey(key), JSON.stringify(key.slice(0, 40))).toThrow(/storage key/);
    }
  });

  test("thumbnail keys are only made from ids", () => {
    const id = newId();
    expect(() => thumbnailKey("../x", id)).toThrow(/invalid id/);
    expect(() => thumbnailKey(id, "Upper12345")).toThrow(/invalid id/);
    expect(() => thumbnailKey(id, "short")).toThrow(/invalid id/);
  });

  test("upload ids are 10 to 40 lower-case letters and digits", () => {
    expect(isUploadId(newId())).toBe(true);
    expect(isUploadId("a".repeat(10))).toBe(true);
    expect(isUploadId("a".repeat(40))).toBe(true);
    expect(isUploadId("a".repeat(9))).toBe(false);
    expect(isUploadId("a".repeat(41))).toBe(false);
    expect(isUploadId("abcdefghij.info")).toBe(false);
    expect(isUploadId("ABCDEFGHIJ")).toBe(false);
  });

  test("byte ranges must be whole, ordered and non-negative", () => {
    expect(() => assertByteRange({ start: 0, end: 0 })).not.toThrow();
    expect(() => assertByteRange({ start: 5, end: 10 ** 12 })).not.toThrow();
    for (const [start, end] of [
      [-1, 0],
      [1, 0],
      [0.5, 1],
      [0, Number.NaN],
      [0, Number.POSITIVE_INFINITY],
    ]) {
      expect(() => assertByteRange({ start, end }), `${start}-${end}`).toThrow(RangeError);
    }
  });
});
