import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { OpenedDatabase } from "#db/client.ts";
import type { TestUser } from "#tests/factories.ts";
import { client, type HttpResponse } from "#tests/helpers/http.ts";
import type { TestServer } from "#tests/helpers/server.ts";
import { world, type World } from "#tests/helpers/world.ts";

/**
 * Redirects that take a target from the visitor (sign-in's redirectTo, the
 * language switch's way back), over real HTTP: whatever the target, the
 * Location header resolves on the site's own origin.
 */

let server: TestServer;
let store: OpenedDatabase;
let alice: TestUser;

let w: World<"alice", never>;

beforeAll(async () => {
  w = await world({ network: false, people: { alice: { email: "alice@redirects.test" } }, signIn: [] });
  ({ server, store } = w);
  ({ alice } = w.people);
});
afterAll(() => w?.close());

const HOSTILE = [
  "//evil.example/",
  "https://evil.example/",
  "/.//evil.example/",
  "/..//evil.example/",
  "/a/..//evil.example/",
  "/%2e//evil.example/",
  "/%2E%2E//evil.example/",
  "/\\evil.example/",
  "/.\\/evil.example/",
  "/\t/evil.example/",
  "/\n/evil.example/",
  "//user@evil.example/",
  "//ｅｖｉｌ.example/",
  "javascript:alert(1)",
];

/** Where a browser goes when it follows this answer's Location. */
function landing(res: HttpResponse, from: string) {
  expect(res.status).toBe(302);
  expect(res.location).not.toBeNull();
  return new URL(res.location!, new URL(from, server.url));
}

describe("sign-in's redirectTo", () => {
  test.each(HOSTILE)("%j: the member lands on the site, at the default page", async (target) => {
    const res = await client(server.url).post("/login", { email: alice.email, password: alice.password, redirectTo: target });
    const url = landing(res, "/login");
    expect(url.origin).toBe(server.url);
    expect(url.pathname).toBe("/");
  });

  test("a page of the site is where the member goes back to, with its query and fragment", async () => {
    const res = await client(server.url).post("/login", { email: alice.email, password: alice.password, redirectTo: "/spaces/x?y=1#z" });
    expect(res.location).toBe("/spaces/x?y=1#z");
  });
});

describe("the language switch's way back", () => {
  test.each(HOSTILE)("%j: the visitor stays on the site", async (target) => {
    const res = await client(server.url).post("/locale", { locale: "en", redirectTo: target });
    const url = landing(res, "/login");
    expect(url.origin).toBe(server.url);
    expect(url.pathname).toBe("/");
  });

  test("an unknown language still sends the visitor back on the site only", async () => {
    const res = await client(server.url).post("/locale", { locale: "xx", redirectTo: "/.//evil.example/" });
    expect(landing(res, "/login").origin).toBe(server.url);
  });

  test("the page the visitor was on is where the switch sends them back", async () => {
    const res = await client(server.url).post("/locale", { locale: "en", redirectTo: "/login?redirectTo=%2Fspaces#top" });
    expect(res.location).toBe("/login?redirectTo=%2Fspaces#top");
  });
});
