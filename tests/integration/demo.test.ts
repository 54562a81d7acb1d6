import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import Database from "better-sqlite3";
import { afterAll, expect, test } from "vitest";

// `npm run demo` is the first impression: it runs as a user runs it, in its
// own process on an empty data folder, and the network it loads is there.
const dataDir = mkdtempSync(path.join(os.tmpdir(), "cercle-demo-"));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

test("npm run demo loads the demo network into an empty data folder and says how to sign in", async () => {
  const root = path.resolve(import.meta.dirname, "../..");
  const { stdout } = await promisify(execFile)(process.execPath, [path.join(root, "node_modules/tsx/dist/cli.mjs"), "server/demo.ts"], {
    cwd: root,
    // A user's environment, not Vitest's (which sets BASE_URL to "/").
    env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: "production", DATA_DIR: dataDir },
    timeout: 120_000,
  });
  expect(stdout).toContain("Demo network loaded");
  expect(stdout).toContain("claire.martin@conseil-associes.fr");
  const db = new Database(path.join(dataDir, "cercle.db"), { readonly: true });
  try {
    const count = (table: string) => (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
    expect(count("space")).toBeGreaterThanOrEqual(4);
    expect(count("user")).toBeGreaterThanOrEqual(12);
    expect(count("page")).toBeGreaterThan(0);
  } finally {
    db.close();
  }
}, 150_000);

