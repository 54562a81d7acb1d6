/**
 * patches/ makes Remix hand a loader or action the request itself when
 * stripping its internal search parameters (`index`, `_routes`, `_data`)
 * would change nothing, instead of two fresh copies per loader. This checks
 * that what a loader receives is what Remix's own code gives it, on addresses
 * with and without those parameters; the reference is the package's ES
 * module build, which the patch leaves alone.
 */
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";

const require = createRequire(import.meta.url);

interface CallArgs {
  loadContext: unknown;
  params: Record<string, string>;
  request: Request;
  routeId: string;
  singleFetch: boolean;
}
interface DataModule {
  callRouteLoader(args: CallArgs & { loader: (a: { request: Request }) => unknown }): Promise<unknown>;
  callRouteAction(args: CallArgs & { action: (a: { request: Request }) => unknown }): Promise<unknown>;
}

const patched = require("@remix-run/server-runtime/dist/data.js") as DataModule;
const reference = (await import("@remix-run/server-runtime/dist/esm/data.js" as string)) as DataModule;

async function received(module: DataModule, request: Request, singleFetch: boolean, kind: "loader" | "action" = "loader") {
  let seen: Request | undefined;
  const fn = ({ request }: { request: Request }) => {
    seen = request;
    return null;
  };
  const args = { loadContext: {}, params: {}, request, routeId: "routes/test", singleFetch };
  if (kind === "loader") await module.callRouteLoader({ ...args, loader: fn });
  else await module.callRouteAction({ ...args, action: fn });
  if (!seen) throw new Error("the function was not called");
  return seen;
}

const addresses = [
  "http://cercle.test/spaces/club/wiki/page",
  "http://cercle.test/spaces/club/wiki/page?q=%C3%A9t%C3%A9",
  "http://cercle.test/search?q=c%20d&type=page",
  "http://cercle.test/search?q=a+b",
  "http://cercle.test/spaces?index",
  "http://cercle.test/spaces?index=&page=2",
  "http://cercle.test/spaces?index=keep&x=1",
  "http://cercle.test/spaces/club?_routes=root,routes%2Fspaces.%24space",
  "http://cercle.test/spaces/club?_data=root&tab=wiki",
  "http://cercle.test/spaces/club?index&_routes=root&_data=x",
  "http://cercle.test/path%20with%20spaces/?",
  "http://cercle.test/p#fragment",
];

describe("what a loader or action receives as its request", () => {
  for (const singleFetch of [true, false]) {
    for (const address of addresses) {
      it(`${address} (single fetch ${singleFetch ? "on" : "off"}) is what Remix itself gives`, async () => {
        const headers = { Cookie: "cercle_session=abc", "Accept-Language": "fr" };
        const mine = await received(patched, new Request(address, { headers }), singleFetch);
        const theirs = await received(reference, new Request(address, { headers }), singleFetch);
        expect(mine.url).toBe(theirs.url);
        expect(mine.method).toBe(theirs.method);
        expect([...mine.headers]).toEqual([...theirs.headers]);
      });
    }
  }

  it("is the very request when there is nothing to strip, and a copy otherwise", async () => {
    const plain = new Request("http://cercle.test/spaces/club/wiki/page?q=x");
    expect(await received(patched, plain, true)).toBe(plain);
    const withIndex = new Request("http://cercle.test/spaces?index");
    const stripped = await received(patched, withIndex, true);
    expect(stripped).not.toBe(withIndex);
    expect(stripped.url).toBe("http://cercle.test/spaces");
  });

  it("still follows the original request's abort signal", async () => {
    for (const address of ["http://cercle.test/a", "http://cercle.test/a?index&_routes=root"]) {
      const controller = new AbortController();
      const seen = await received(patched, new Request(address, { signal: controller.signal }), true);
      expect(seen.signal.aborted).toBe(false);
      controller.abort();
      expect(seen.signal.aborted).toBe(true);
    }
  });

  it("keeps an action's form body readable", async () => {
    const body = new URLSearchParams({ intent: "delete", title: "Été" });
    const request = new Request("http://cercle.test/spaces/club/wiki/page", { method: "POST", body });
    const seen = await received(patched, request, true, "action");
    expect(seen.method).toBe("POST");
    expect((await seen.formData()).get("title")).toBe("Été");
  });
});
