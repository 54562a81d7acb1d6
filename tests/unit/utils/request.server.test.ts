import { describe, expect, test } from "vitest";
import { clientIp, safeRedirect } from "#app/utils/request.server.ts";

const BASE = "https://cercle.example.org";

describe("safeRedirect", () => {
  test.each(["/spaces", "/spaces/achats?tab=members#top", "/", "/clubs?x=//evil.example"])("keeps the local path %s", (to) => {
    expect(safeRedirect(to)).toBe(to);
  });

  test.each([
    "//evil.com",
    "//evil.com/spaces",
    "https://evil.com",
    "http://evil.com/",
    "/\\evil",
    "/\\\\evil.com",
    "javascript:alert(1)",
    "evil.com",
    "",
    " //evil.com",
  ])("sends %j to the default instead", (to) => {
    expect(safeRedirect(to)).toBe("/spaces");
  });

  test("uses the given fallback", () => {
    expect(safeRedirect("https://evil.com", "/")).toBe("/");
    expect(safeRedirect(null, "/home")).toBe("/home");
  });

  test.each([null, undefined])("a missing value (%s) gives the default", (to) => {
    expect(safeRedirect(to)).toBe("/spaces");
  });

  test("a file from a form is not a path", () => {
    expect(safeRedirect(new File(["/spaces"], "x.txt"))).toBe("/spaces");
    expect(safeRedirect(new File(["//evil.com"], "/x"), "/fallback")).toBe("/fallback");
  });

  // Browsers strip tabs and newlines anywhere in a URL, so "/\t/evil.com" is "//evil.com" to them.
  test.each(["/\t/evil.com", "/\n/evil.com", "/\r\n/evil.com", "\t//evil.com"])(
    "whatever it returns for %j stays on our origin when a browser resolves it",
    (to) => {
      const result = safeRedirect(to);
      expect(new URL(result, BASE).origin).toBe(BASE);
    },
  );

  test.each(["/spaces", "/\\evil", "//evil.com", "/ok/../../x"])("the result for %j always resolves on our origin", (to) => {
    expect(new URL(safeRedirect(to), BASE).origin).toBe(BASE);
  });
});

describe("clientIp", () => {
  test("reads the address the HTTP server put in the load context", () => {
    expect(clientIp({ cspNonce: "n", clientIp: "203.0.113.7" })).toBe("203.0.113.7");
  });
  test.each([undefined, null, {}, { clientIp: 42 }])("is empty when the context has none (%j)", (context) => {
    expect(clientIp(context)).toBe("");
  });
});
