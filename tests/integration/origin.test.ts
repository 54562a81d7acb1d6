import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { client, type HttpResponse } from "#tests/helpers/http.ts";
import { startServer, type TestServer } from "#tests/helpers/server.ts";

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server?.close());

const form = { email: "nobody@example.test", password: "whatever-it-is", redirectTo: "" };

describe("state-changing requests must come from our own pages", () => {
  test("POST without Origin nor Sec-Fetch-Site is refused", async () => {
    const res = await client(server.url).post("/login", form, { origin: null, secFetchSite: null });
    expect(res.status).toBe(403);
  });

  test("POST with the Origin of another site is refused", async () => {
    const res = await client(server.url).post("/login", form, { origin: "https://evil.example", secFetchSite: null });
    expect(res.status).toBe(403);
  });

  test("POST with Origin: null (sandboxed frame, data: URL) is refused", async () => {
    const res = await client(server.url).post("/login", form, { origin: "null", secFetchSite: null });
    expect(res.status).toBe(403);
  });

  test("POST with our Origin on another port is refused", async () => {
    const other = new URL(server.url);
    other.port = String(Number(other.port) === 65535 ? 1 : Number(other.port) + 1);
    const res = await client(server.url).post("/login", form, { origin: other.origin, secFetchSite: null });
    expect(res.status).toBe(403);
  });

  test.each(["cross-site", "same-site", "none"])("POST with Sec-Fetch-Site: %s is refused, even with our Origin", async (site) => {
    const res = await client(server.url).post("/login", form, { secFetchSite: site });
    expect(res.status).toBe(403);
  });

  test("the refusal happens before the action runs: no sign-in attempt is counted", async () => {
    // Six refused posts with a wrong password would throttle the account if they reached the action.
    const c = client(server.url);
    for (let i = 0; i < 6; i++) {
      expect((await c.post("/login", { ...form, email: "victim@example.test" }, { secFetchSite: "cross-site" })).status).toBe(403);
    }
    const res = await c.post("/login", { ...form, email: "victim@example.test" });
    expect(res.status).toBe(400);
  });

  test("a same-origin POST passes the check (and reaches the form's validation)", async () => {
    const res = await client(server.url).post("/login", { email: "", password: "" });
    expect(res.status).toBe(400);
  });

  test("a same-origin POST with only Origin (an older browser without Sec-Fetch-Site) passes", async () => {
    const res = await client(server.url).post("/login", { email: "", password: "" }, { secFetchSite: null });
    expect(res.status).toBe(400);
  });

  test("GET needs neither header", async () => {
    const res = await client(server.url).get("/login");
    expect(res.status).toBe(200);
  });
});

function csp(res: HttpResponse): Map<string, string[]> {
  const header = res.headers["content-security-policy"];
  expect(typeof header).toBe("string");
  const directives = new Map<string, string[]>();
  for (const part of (header as string).split(";")) {
    const [name, ...values] = part.trim().split(/\s+/);
    if (name) directives.set(name.toLowerCase(), values);
  }
  return directives;
}

function nonceOf(res: HttpResponse): string {
  const scriptSrc = csp(res).get("script-src") ?? [];
  const nonces = scriptSrc.filter((v) => v.startsWith("'nonce-")).map((v) => v.slice("'nonce-".length, -1));
  expect(nonces).toHaveLength(1);
  return nonces[0];
}

describe("security headers", () => {
  test("a page carries a strict CSP and the usual hardening headers", async () => {
    const res = await client(server.url).get("/login");
    expect(res.status).toBe(200);
    const directives = csp(res);
    const scriptSrc = directives.get("script-src");
    expect(scriptSrc).toBeDefined();
    expect(scriptSrc!.some((v) => /^'nonce-[A-Za-z0-9+/=]{16,}'$/.test(v))).toBe(true);
    expect(scriptSrc).not.toContain("'unsafe-inline'");
    expect(scriptSrc).not.toContain("'unsafe-eval'");
    expect(directives.get("frame-ancestors")).toEqual(["'none'"]);
    expect(directives.get("object-src")).toEqual(["'none'"]);
    expect(res.headers["x-content-type-options"]).toBe("nosniff");
    expect(res.headers["referrer-policy"]).toBeTruthy();
    expect(res.headers["x-frame-options"]).toBe("DENY");
    expect(res.headers["x-powered-by"]).toBeUndefined();
  });

  test("every <script> of the page carries the CSP nonce of that response", async () => {
    const res = await client(server.url).get("/login");
    const nonce = nonceOf(res);
    const scripts = res.text.match(/<script\b[^>]*>/g) ?? [];
    expect(scripts.length).toBeGreaterThan(0);
    for (const tag of scripts) {
      expect(tag).toContain(`nonce="${nonce}"`);
    }
  });

  test("the nonce is new on every response", async () => {
    const c = client(server.url);
    const a = nonceOf(await c.get("/login"));
    const b = nonceOf(await c.get("/login"));
    expect(a).not.toBe(b);
  });

  test("plain-HTTP deployments do not get HSTS", async () => {
    const res = await client(server.url).get("/login");
    expect(res.headers["strict-transport-security"]).toBeUndefined();
  });
});
