import { afterAll, beforeAll, expect, test } from "vitest";
import { client } from "#tests/helpers/http.ts";
import { startServer, type TestServer } from "#tests/helpers/server.ts";

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server?.close());

test("GET /healthz answers 200 ok in plain text, not cached", async () => {
  const res = await client(server.url).get("/healthz");
  expect(res.status).toBe(200);
  expect(res.text).toBe("ok");
  expect(res.headers["content-type"]).toMatch(/^text\/plain/);
  expect(res.headers["cache-control"]).toBe("no-store");
});

test("GET /healthz needs no session and sets none", async () => {
  const res = await client(server.url).get("/healthz");
  expect(res.setCookies.filter((c) => c.startsWith("cercle_session="))).toEqual([]);
});

test("GET /healthz?details answers JSON with the database, the disk and the last backup (none yet, none scheduled)", async () => {
  const res = await client(server.url).get("/healthz?details");
  expect(res.status).toBe(200);
  expect(res.headers["content-type"]).toMatch(/^application\/json/);
  expect(res.headers["cache-control"]).toBe("no-store");
  expect(JSON.parse(res.text)).toEqual({
    status: "ok",
    database: "ok",
    disk: "ok",
    backup: { scheduled: false, intervalHours: null, keep: null, lastSuccessAt: null, lastSuccessAgeHours: null, lastFailureAt: null, overdue: null },
  });
});
