import { readdirSync, readFileSync, statSync } from "node:fs";
import http from "node:http";
import path from "node:path";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { repoRoot, startServer, type TestServer } from "#tests/helpers/server.ts";

/**
 * The browser build's scripts and styles, as a browser and as `curl -I`
 * fetch them: compressed in the encoding asked for, with a length (a HEAD
 * says what the GET will send), and byte for byte the file that was built.
 */
const assetsDir = path.join(repoRoot, "build", "client", "assets");
let server: TestServer;

/** The largest script and the largest style sheet of the build. */
function largest(ext: string): string {
  const files = readdirSync(assetsDir).filter((f) => f.endsWith(ext));
  files.sort((a, b) => statSync(path.join(assetsDir, b)).size - statSync(path.join(assetsDir, a)).size);
  return files[0];
}

/** Raw bytes and headers, without fetch's transparent decompression. */
function get(pathname: string, headers: Record<string, string>, method = "GET") {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
    const req = http.request(`${server.url}${pathname}`, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on("error", reject);
    req.end();
  });
}

beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server?.close();
});

describe("static assets", () => {
  for (const ext of [".js", ".css"]) {
    test(`the largest ${ext} file goes out in brotli to a browser that takes it, with its length, and decodes to the built file`, async () => {
      const file = largest(ext);
      const original = readFileSync(path.join(assetsDir, file));
      const res = await get(`/assets/${file}`, { "Accept-Encoding": "gzip, deflate, br, zstd" });
      expect(res.status).toBe(200);
      expect(res.headers["content-encoding"]).toBe("br");
      expect(res.headers["vary"]).toMatch(/Accept-Encoding/i);
      expect(res.headers["content-type"]).toMatch(ext === ".js" ? /javascript/ : /text\/css/);
      expect(res.headers["cache-control"]).toContain("immutable");
      expect(Number(res.headers["content-length"])).toBe(res.body.byteLength);
      expect(res.body.byteLength).toBeLessThan(original.byteLength / 2);
      expect(brotliDecompressSync(res.body).equals(original)).toBe(true);
    });
  }

  test("gzip to a browser that does not take brotli (Chromium over plain http)", async () => {
    const file = largest(".js");
    const res = await get(`/assets/${file}`, { "Accept-Encoding": "gzip, deflate" });
    expect(res.headers["content-encoding"]).toBe("gzip");
    expect(Number(res.headers["content-length"])).toBe(res.body.byteLength);
    expect(gunzipSync(res.body).equals(readFileSync(path.join(assetsDir, file)))).toBe(true);
  });

  test("the brotli copy is smaller than the gzip one (it is made at brotli's best quality)", async () => {
    const file = largest(".js");
    const br = await get(`/assets/${file}`, { "Accept-Encoding": "br" });
    const gz = await get(`/assets/${file}`, { "Accept-Encoding": "gzip" });
    expect(br.body.byteLength).toBeLessThan(gz.body.byteLength * 0.9);
  });

  test("the file as built to a client that takes no encoding", async () => {
    const file = largest(".js");
    const res = await get(`/assets/${file}`, {});
    expect(res.headers["content-encoding"]).toBeUndefined();
    expect(res.body.equals(readFileSync(path.join(assetsDir, file)))).toBe(true);
  });

  test("a HEAD says what the GET sends: the same encoding and length", async () => {
    const file = largest(".js");
    const headers = { "Accept-Encoding": "gzip, br" };
    const head = await get(`/assets/${file}`, headers, "HEAD");
    const full = await get(`/assets/${file}`, headers);
    expect(head.headers["content-encoding"]).toBe("br");
    expect(head.headers["content-length"]).toBe(full.headers["content-length"]);
  });

  test("a file that is not there is still a 404", async () => {
    const res = await get(`/assets/nothing-here-123.js`, { "Accept-Encoding": "br" });
    expect(res.status).toBe(404);
  });
});
