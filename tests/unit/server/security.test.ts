import { describe, expect, test } from "vitest";
import { isSameOrigin } from "#server/security.ts";

const base = new URL("https://cercle.example.org");

describe("isSameOrigin", () => {
  test("Sec-Fetch-Site decides when present: only same-origin passes", () => {
    expect(isSameOrigin({ secFetchSite: "same-origin", protocol: "https" }, base)).toBe(true);
    for (const site of ["same-site", "cross-site", "none", "", "SAME-ORIGIN"]) {
      expect(isSameOrigin({ secFetchSite: site, origin: base.origin, protocol: "https" }, base), site).toBe(false);
    }
  });

  test("Sec-Fetch-Site: cross-site wins over an Origin header claiming to be ours", () => {
    expect(isSameOrigin({ secFetchSite: "cross-site", origin: "https://cercle.example.org", protocol: "https" }, base)).toBe(false);
  });

  test("without Sec-Fetch-Site, the Origin must be the base URL's origin", () => {
    expect(isSameOrigin({ origin: "https://cercle.example.org", protocol: "https" }, base)).toBe(true);
    expect(isSameOrigin({ origin: "https://evil.example", protocol: "https" }, base)).toBe(false);
    expect(isSameOrigin({ origin: "http://cercle.example.org", protocol: "https" }, base)).toBe(false);
    expect(isSameOrigin({ origin: "https://cercle.example.org:8443", protocol: "https" }, base)).toBe(false);
    expect(isSameOrigin({ origin: "https://sub.cercle.example.org", protocol: "https" }, base)).toBe(false);
    expect(isSameOrigin({ origin: "https://cercle.example.org.evil.example", protocol: "https" }, base)).toBe(false);
  });

  test("a request with neither header is refused, as is Origin: null", () => {
    expect(isSameOrigin({ protocol: "https" }, base)).toBe(false);
    expect(isSameOrigin({ origin: "", protocol: "https" }, base)).toBe(false);
    expect(isSameOrigin({ origin: "null", protocol: "https" }, base)).toBe(false);
    expect(isSameOrigin({ origin: "null", host: "null", protocol: "https" }, base)).toBe(false);
  });

  test("the Origin may also match the Host the request came in on (another name for the same server)", () => {
    expect(isSameOrigin({ origin: "http://10.0.0.5:3000", host: "10.0.0.5:3000", protocol: "http" }, base)).toBe(true);
    expect(isSameOrigin({ origin: "https://10.0.0.5:3000", host: "10.0.0.5:3000", protocol: "http" }, base)).toBe(false);
    expect(isSameOrigin({ origin: "http://evil.example", host: "10.0.0.5:3000", protocol: "http" }, base)).toBe(false);
  });
});
