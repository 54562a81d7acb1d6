import { describe, expect, test } from "vitest";
import { clientIp, safeRedirect } from "#app/utils/request.server.ts";

const ORIGIN = "https://cercle.example.org";
const redirectFor = (to: FormDataEntryValue | string | null | undefined, fallback = "/spaces") => safeRedirect(to, fallback, ORIGIN);

/** Where a browser lands when it gets this Location header from a page of ours. */
const landing = (location: string) => new URL(location, `${ORIGIN}/login?redirectTo=x`);

describe("safeRedirect", () => {
  test.each([
    ["/spaces", "/spaces"],
    ["/", "/"],
    // Path, query and fragment all survive.
    ["/spaces/x?y=1#z", "/spaces/x?y=1#z"],
    ["/spaces/achats?tab=members#top", "/spaces/achats?tab=members#top"],
    // A "//" inside the query is data, not a host.
    ["/clubs?x=//evil.example", "/clubs?x=//evil.example"],
    // Dot segments that stay inside the site are resolved, as the browser would.
    ["/spaces/a/../b", "/spaces/b"],
    ["/spaces/./b", "/spaces/b"],
    // Our own origin, written out in full, is still ours.
    [`${ORIGIN}/spaces/x?y=1#z`, "/spaces/x?y=1#z"],
    // Non-ASCII paths come back percent-encoded, which names the same page.
    ["/spaces/café", "/spaces/caf%C3%A9"],
  ])("keeps the local target %j as %j", (to, expected) => {
    expect(redirectFor(to)).toBe(expected);
  });

  // Every one of these, sent back as a Location, would leave the site (or run script).
  test.each([
    // protocol-relative and scheme-bearing
    "//evil.example",
    "//evil.example/spaces",
    "///evil.example",
    "https://evil.example",
    "http://evil.example/",
    "HTTPS://evil.example",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "ftp://evil.example/",
    // dot segments that end in a "//" path (the reported bypass)
    "/.//evil.example/",
    "/..//evil.example/",
    "/a/..//evil.example/",
    "/a/b/../..//evil.example/",
    "/././/evil.example",
    // encoded dots, which URL parsers read as dots in a path
    "/%2e//evil.example/",
    "/%2E//evil.example/",
    "/%2e%2e//evil.example/",
    "/.%2e//evil.example/",
    "/a/%2e%2e//evil.example/",
    // backslashes, which browsers read as slashes
    "/\\evil.example",
    "/\\\\evil.example",
    "\\\\evil.example",
    "\\/evil.example",
    "/.\\/evil.example",
    "/%2e\\/evil.example",
    // tabs and newlines, which browsers drop anywhere in a URL
    "/\t/evil.example",
    "/\n/evil.example",
    "/\r\n/evil.example",
    "\t//evil.example",
    "/.\t//evil.example",
    // leading spaces and C0 controls, which URL parsers strip
    " //evil.example",
    "\u0000//evil.example",
    // user-info
    "//cercle.example.org@evil.example/",
    "https://cercle.example.org@evil.example/",
    "//user:pass@evil.example/",
    // look-alike hosts and IDN
    "https://cercle.example.org.evil.example/",
    "//ｅｖｉｌ.example/",
    "https://xn--e1afmkfd.example/",
    "//évil.example/",
    // our host with another scheme or port is another origin
    "http://cercle.example.org/spaces",
    "https://cercle.example.org:8443/spaces",
  ])("refuses %j: the fallback instead", (to) => {
    expect(redirectFor(to)).toBe("/spaces");
  });

  test.each(["", null, undefined])("a missing value (%j) gives the fallback", (to) => {
    expect(redirectFor(to)).toBe("/spaces");
  });

  test("uses the given fallback", () => {
    expect(redirectFor("https://evil.example", "/")).toBe("/");
    expect(redirectFor(null, "/home")).toBe("/home");
  });

  test("a file from a form is not a path", () => {
    expect(redirectFor(new File(["/spaces"], "x.txt"))).toBe("/spaces");
    expect(redirectFor(new File(["//evil.example"], "/x"), "/fallback")).toBe("/fallback");
  });

  // Whatever comes in, what goes out lands on our origin when a browser follows it.
  test.each([
    "/spaces",
    "/.//evil.example/",
    "/%2e//evil.example/",
    "/\\evil",
    "//evil.example",
    "/ok/../../x",
    "/../../../x",
    "/a/%2e%2e/%2e%2e//evil.example",
    "/\t/evil.example",
    "/spaces?next=//evil.example#//evil.example",
  ])("the result for %j lands on our origin", (to) => {
    const out = redirectFor(to);
    expect(out.startsWith("/")).toBe(true);
    expect(out.startsWith("//")).toBe(false);
    expect(landing(out).origin).toBe(ORIGIN);
  });

  test("without an origin given, targets are judged against a placeholder origin, the same way", () => {
    expect(safeRedirect("/spaces/x?y=1#z")).toBe("/spaces/x?y=1#z");
    expect(safeRedirect("/.//evil.example/")).toBe("/spaces");
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
