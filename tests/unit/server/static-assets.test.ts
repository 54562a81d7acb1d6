import { describe, expect, test } from "vitest";
import { pickEncoding } from "#server/static-assets.ts";

describe("pickEncoding", () => {
  test.each([
    ["gzip, deflate, br, zstd", "br"],
    ["gzip, deflate", "gzip"],
    ["br;q=0, gzip", "gzip"],
    ["BR", "br"],
    ["gzip;q=0", null],
    ["*", "gzip"],
    ["identity", null],
    ["", null],
    [undefined, null],
  ])("%s → %s", (header, expected) => {
    expect(pickEncoding(header)).toBe(expected);
  });
});
