import { describe, expect, it } from "vitest";
import { isPageId, isSafeImageSrc, isSafeLinkUrl, isSameOriginPath, normalizeLinkInput, pageLinkHref } from "#app/editor/url.ts";

describe("isSafeLinkUrl", () => {
  it.each([
    "https://example.org",
    "https://example.org/a/b?c=d&e=f#g",
    "http://localhost:3000/x",
    "HTTPS://EXAMPLE.ORG",
    "mailto:ada@example.org",
    "mailto:ada@example.org?subject=Hello%20there",
    "tel:+33123456789",
    "/spaces/club/wiki/home",
    "/pages/abcdefghij0123456789",
    "/",
  ])("accepts %j", (url) => {
    expect(isSafeLinkUrl(url)).toBe(true);
  });

  it.each([
    "javascript:alert(1)",
    "JavaScript:alert(1)",
    "javascript://example.org/%0Aalert(1)",
    "\tjavascript:alert(1)",
    "java\u0000script:alert(1)",
    "java\u200bscript:alert(1)",
    "&#x6A;avascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "blob:https://example.org/uuid",
    "sms:+33123456789",
    "//evil.example",
    "/\\evil.example",
    "/%5Cevil.example\\",
    "https:/\\evil.example",
    "http:",
    "mailto:",
    "https://user:pass@example.org",
    "https://exa mple.org",
    "example.org",
    "./relative",
    "../relative",
    "?query",
    "#anchor",
    "",
    "x".repeat(3000),
  ])("refuses %j", (url) => {
    expect(isSafeLinkUrl(url)).toBe(false);
  });

  it("refuses what is not a string", () => {
    for (const value of [null, undefined, 42, {}, ["https://example.org"]]) expect(isSafeLinkUrl(value)).toBe(false);
  });
});

describe("same-origin paths and images", () => {
  it("accepts paths on this site only", () => {
    expect(isSameOriginPath("/files/a.png")).toBe(true);
    expect(isSameOriginPath("//evil.example/a.png")).toBe(false);
    expect(isSameOriginPath("/\\evil.example/a.png")).toBe(false);
    expect(isSameOriginPath("/\tx")).toBe(false);
    expect(isSameOriginPath("files/a.png")).toBe(false);
  });

  it("takes images from this site only", () => {
    expect(isSafeImageSrc("/files/a.png")).toBe(true);
    expect(isSafeImageSrc("https://example.org/a.png")).toBe(false);
    expect(isSafeImageSrc("data:image/png;base64,AAAA")).toBe(false);
  });
});

describe("page ids", () => {
  it("follows the id pattern", () => {
    expect(isPageId("abcdefghij")).toBe(true);
    expect(isPageId("a1b2c3d4e5f6g7h8i9j0")).toBe(true);
    expect(isPageId("abcdefghi")).toBe(false);
    expect(isPageId("ABCDEFGHIJ")).toBe(false);
    expect(isPageId("abcdefghij/..")).toBe(false);
    expect(isPageId("a".repeat(41))).toBe(false);
    expect(pageLinkHref("abcdefghij")).toBe("/pages/abcdefghij");
  });
});

describe("normalizeLinkInput (the link form)", () => {
  it("completes what people type", () => {
    expect(normalizeLinkInput("  https://example.org/x  ")).toBe("https://example.org/x");
    expect(normalizeLinkInput("example.org/docs")).toBe("https://example.org/docs");
    expect(normalizeLinkInput("www.example.org")).toBe("https://www.example.org");
    expect(normalizeLinkInput("ada@example.org")).toBe("mailto:ada@example.org");
    expect(normalizeLinkInput("/spaces/club/wiki/home")).toBe("/spaces/club/wiki/home");
  });

  it("gives up on anything unsafe or unclear", () => {
    for (const input of ["", "   ", "javascript:alert(1)", "data:text/html,x", "//evil.example", "hello", "localhost:3000"]) {
      expect(normalizeLinkInput(input)).toBeNull();
    }
  });
});
