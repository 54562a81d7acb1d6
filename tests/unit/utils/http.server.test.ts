import { describe, expect, test } from "vitest";
import { attachment } from "#app/utils/http.server.ts";

describe("attachment (RFC 6266)", () => {
  test("keeps the real name in filename* and an ASCII fallback that cannot break out", () => {
    const header = attachment(`Compte rendu "été"; v2.md`);
    expect(header.startsWith("attachment; ")).toBe(true);
    const fallback = header.match(/filename="([^"]*)"/)![1];
    expect(fallback).not.toMatch(/[";\\]/);
    expect(fallback).toMatch(/^[\x20-\x7e]+$/);
    const encoded = header.match(/filename\*=UTF-8''(.+)$/)![1];
    expect(decodeURIComponent(encoded)).toBe(`Compte rendu "été"; v2.md`);
    expect(encoded).not.toMatch(/[\s";']/);
  });
});
