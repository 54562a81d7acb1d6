import type { ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { freePort, spawnServer, waitFor } from "#tests/helpers/process.ts";

// The real process, as `npm start` and `npm run serve` run it: build/server.js
// in a child process, with no NODE_ENV (the README sets none).

interface Started {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

const cleanup: Array<() => void> = [];
afterEach(() => {
  while (cleanup.length) cleanup.pop()!();
});

function start(env: Record<string, string>): Started {
  const server = spawnServer(env);
  cleanup.push(() => server.child.kill("SIGKILL"));
  return { child: server.child, output: server.output, exited: server.exited.then(({ code }) => code) };
}

function tempDir() {
  const dir = mkdtempSync(path.join(os.tmpdir(), "cercle-process-"));
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

describe("the server process", { timeout: 90_000 }, () => {
  test("starts on an empty database, prints the one-time setup link, answers /healthz", async () => {
    const dataDir = tempDir();
    const port = await freePort();
    const server = start({ DATA_DIR: dataDir, PORT: String(port), HOST: "127.0.0.1" });
    // The primary prints the link and each worker its "listening", into one pipe: in no promised order.
    await waitFor(() => server.output().includes("listening") && server.output().includes("/setup?token="), "the server to listen", 60_000);
    expect(server.output()).toMatch(new RegExp(`http://localhost:${port}/setup\\?token=[a-z0-9]{32}`));
    expect(existsSync(path.join(dataDir, "cercle.db"))).toBe(true);
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.text()).toBe("ok");
  });

  test("on SIGTERM, finishes the request in flight, closes the database and exits 0", async () => {
    const dataDir = tempDir();
    const port = await freePort();
    const server = start({ DATA_DIR: dataDir, PORT: String(port), HOST: "127.0.0.1" });
    await waitFor(() => server.output().includes("listening"), "the server to listen", 60_000);
    const origin = `http://127.0.0.1:${port}`;
    // A sign-in attempt hashes a password (tens of milliseconds): still running when the signal comes.
    const inFlight = fetch(`${origin}/login`, {
      method: "POST",
      headers: { Origin: origin, "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ email: "nobody@example.org", password: "not the right one at all" }),
    });
    await new Promise((r) => setTimeout(r, 15));
    server.child.kill("SIGTERM");
    const response = await inFlight;
    expect(response.status).toBe(400);
    expect(await server.exited).toBe(0);
    expect(server.output()).toContain("SIGTERM received");
    // SQLite removes the write-ahead log when the last connection closes cleanly.
    expect(existsSync(path.join(dataDir, "cercle.db-wal"))).toBe(false);
    await expect(fetch(`${origin}/healthz`)).rejects.toThrow();
  });

  test("started without NODE_ENV, it runs in production mode and an unreadable address is a plain 400, not a stack trace", async () => {
    // React, Lexical and Express each pick their development or production
    // build from process.env.NODE_ENV when they are first loaded. Express's is
    // the one a client can see: in development its error page prints the
    // server's stack trace (file paths included) to anyone.
    const port = await freePort();
    const server = start({ DATA_DIR: tempDir(), PORT: String(port), HOST: "127.0.0.1" });
    await waitFor(() => server.output().includes("listening"), "the server to listen", 60_000);
    expect(server.output()).toMatch(/Cercle is listening on .*, production mode\)/);
    const response = await fetch(`http://127.0.0.1:${port}/assets/%E0%A4%A`);
    expect(response.status).toBe(400);
    const body = await response.text();
    expect(body).not.toContain("URIError");
    expect(body).not.toContain("node_modules");
    expect(body).toContain("Badly encoded address");
  });

  test("a bad configuration stops it at start, one line per bad value", async () => {
    const server = start({ DATA_DIR: tempDir(), PORT: "eighty", BASE_URL: "ftp://example.org", SMTP_URL: "mail.example.org" });
    expect(await server.exited).toBe(1);
    const lines = server.output().split("\n").filter((l) => l.trim().startsWith("- "));
    expect(lines).toHaveLength(3);
    expect(lines.find((l) => l.includes("PORT"))).toContain('"eighty"');
    expect(lines.find((l) => l.includes("BASE_URL"))).toContain('"ftp://example.org"');
    expect(lines.find((l) => l.includes("SMTP_URL"))).toContain('"mail.example.org"');
  });
});
