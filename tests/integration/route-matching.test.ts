/**
 * patches/ (applied by patch-package at install) makes the server's route
 * matching compute each route table's ranked branches once, compile each
 * pattern once, and pass over a branch whose whole path cannot match. This
 * checks it answers exactly what React Router's own matching answers, on
 * Cercle's real route table (from the build) and on addresses made to be
 * awkward. The unpatched reference is the package's UMD file, which the
 * patches leave alone.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { repoRoot } from "#tests/helpers/server.ts";

const require = createRequire(import.meta.url);

interface RouteObject {
  id: string;
  path?: string;
  index?: boolean;
  caseSensitive?: boolean;
  children?: RouteObject[];
}
type Match = { params: Record<string, string | undefined>; pathname: string; pathnameBase: string; route: RouteObject };
type MatchRoutes = (routes: RouteObject[], location: string, basename?: string) => Match[] | null;
type To = string | { pathname?: string; search?: string; hash?: string };
type ResolveTo = (to: To, routePathnames: string[], locationPathname: string, isPathRelative?: boolean) => { pathname: string; search: string; hash: string };

const patched = require("@remix-run/router") as { matchRoutes: MatchRoutes; resolveTo: ResolveTo };
const reference = require("@remix-run/router/dist/router.umd.js") as { matchRoutes: MatchRoutes; resolveTo: ResolveTo };

async function routeTable(): Promise<RouteObject[]> {
  const build = (await import(pathToFileURL(path.join(repoRoot, "build", "server", "index.js")).href)) as {
    routes: Record<string, { id: string; parentId?: string; path?: string; index?: boolean; caseSensitive?: boolean }>;
  };
  const byParent = new Map<string, typeof build.routes[string][]>();
  for (const route of Object.values(build.routes)) {
    const key = route.parentId ?? "";
    byParent.set(key, [...(byParent.get(key) ?? []), route]);
  }
  const tree = (parentId: string): RouteObject[] =>
    (byParent.get(parentId) ?? []).map((r) => ({ id: r.id, path: r.path, index: r.index, caseSensitive: r.caseSensitive, children: tree(r.id) }));
  return tree("");
}

/** Every route's full pattern, to make addresses from. */
function patterns(routes: RouteObject[], parent = ""): string[] {
  return routes.flatMap((r) => {
    const full = r.path ? `${parent}/${r.path}`.replace(/\/+/g, "/") : parent || "/";
    return [full, ...patterns(r.children ?? [], full)];
  });
}

function addressesFor(pattern: string): string[] {
  const fill = (value: string) => pattern.replace(/:[\w-]+/g, value).replace(/\*$/, "a/b/c");
  const plain = fill("atelier-5000");
  return [
    plain,
    `${plain}/`,
    `${plain}//`,
    plain.toUpperCase(),
    `${plain}/extra`,
    `${plain}/extra/deeper`,
    plain.replace(/\//g, "//"),
    fill("%C3%A9t%C3%A9%20d%C3%A9j%C3%A0"),
    fill("a%2Fb"),
    fill("x.data"),
    fill("-"),
    plain.replace(/\/[^/]*$/, ""),
  ];
}

const summary = (matches: Match[] | null) =>
  matches?.map((m) => ({ id: m.route.id, params: m.params, pathname: m.pathname, pathnameBase: m.pathnameBase })) ?? null;

describe("route matching, patched for speed", () => {
  it("is the patched copy (patch-package ran at install)", () => {
    expect(readFileSync(require.resolve("@remix-run/router"), "utf8")).toContain("Cercle patch");
    expect(readFileSync(require.resolve("@remix-run/router/dist/router.umd.js"), "utf8")).not.toContain("Cercle patch");
  });

  it("matches every address exactly as React Router's own matching does", async () => {
    const routes = await routeTable();
    const addresses = new Set<string>(["/", "", "//", "/nope", "/spaces", "/SPACES/", "/spaces/x/wiki/p/edit/extra", "/%", "/a b"]);
    for (const pattern of patterns(routes)) for (const address of addressesFor(pattern)) addresses.add(address);
    expect(addresses.size).toBeGreaterThan(500);

    let matched = 0;
    for (const address of addresses) {
      // Twice on the patched side: the second answer comes from the caches.
      const first = summary(patched.matchRoutes(routes, address));
      const second = summary(patched.matchRoutes(routes, address));
      const expected = summary(reference.matchRoutes(routes, address));
      expect({ address, matches: first }).toEqual({ address, matches: expected });
      expect(second).toEqual(first);
      if (expected) matched += 1;
    }
    // The addresses exercise real routes, not only 404s.
    expect(matched).toBeGreaterThan(300);
  });

  it("keeps route tables apart: another table with the same shape answers for itself", async () => {
    const routes = await routeTable();
    // Same route ids, the wiki's pages under another word.
    const renamed = JSON.parse(JSON.stringify(routes).replaceAll('"path":"wiki/', '"path":"savoirs/')) as RouteObject[];
    const address = "/spaces/club/savoirs/une-page";
    expect(summary(patched.matchRoutes(routes, address))).toEqual(summary(reference.matchRoutes(routes, address)));
    expect(summary(patched.matchRoutes(renamed, address))).toEqual(summary(reference.matchRoutes(renamed, address)));
    expect(patched.matchRoutes(renamed, address)?.at(-1)?.route.id).toBe("routes/spaces.$space.wiki.$page");
    // In the real table no wiki route takes it: only the catch-all 404 route.
    expect(patched.matchRoutes(routes, address)?.at(-1)?.route.id).toBe("routes/$");
  });
});

describe("link addresses, resolved with the patched shortcut", () => {
  // Every <Link> resolves its \`to\` through resolveTo: plain absolute paths now
  // skip the segment walk, and the error texts are built only when thrown.
  const paths = ["/", "/a", "/a/", "/a/b", "/a/./b", "/a/../b", "/a/..", "/..", "/.", "/./", "/../x", "/a.b/c", "/a/.b", "/a/b..", "/a/..b/c",
    "/a//b", "/spaces/club/wiki/p?x=1#h", "/a/b/./", "/a/b/../", "a/b", "../c", "../../d", "./d", ".", "..", "", "?q=1", "#h", "/é t/%20", "/a/.../b"];
  const froms = [["/"], ["/", "/spaces"], ["/", "/spaces/club", "/spaces/club/wiki/page"], ["/", "/x/"]];
  const locations = ["/", "/spaces/club/wiki/page", "/spaces/club/wiki/page/"];

  function outcome(resolve: ResolveTo, to: To, from: string[], location: string, relative: boolean) {
    try {
      return { ok: resolve(to, from, location, relative) };
    } catch (error) {
      return { threw: (error as Error).message };
    }
  }

  it("gives exactly what React Router's own resolveTo gives, for strings and objects", () => {
    let cases = 0;
    let threw = 0;
    for (const path of paths) {
      const [pathname, search] = path.split("?");
      const tos: To[] = [path, { pathname: path }, { pathname, search: search ? `?${search}` : undefined }, { pathname: path, hash: "#x" }, { search: "?a#b" }];
      for (const to of tos)
        for (const from of froms)
          for (const location of locations)
            for (const relative of [false, true]) {
              const expected = outcome(reference.resolveTo, to, from, location, relative);
              expect({ to, from, location, relative, ...outcome(patched.resolveTo, to, from, location, relative) }).toEqual({ to, from, location, relative, ...expected });
              cases += 1;
              if ("threw" in expected) threw += 1;
            }
    }
    expect(cases).toBeGreaterThan(3000);
    // Objects with "?" or "#" in the wrong field still throw, with the same text.
    expect(threw).toBeGreaterThan(100);
  });
});

