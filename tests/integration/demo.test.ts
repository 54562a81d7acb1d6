import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import Database from "better-sqlite3";
import { afterAll, expect, test } from "vitest";
import { signIn } from "#tests/factories.ts";
import { client, pageText } from "#tests/helpers/http.ts";
import { startServer } from "#tests/helpers/server.ts";

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
    // A member's upload left half-sent: its row says how far it got, and those bytes are in storage.
    const uploads = db.prepare("SELECT id, name, size, received, finished_file_id FROM upload").all() as Array<{ id: string; name: string; size: number; received: number; finished_file_id: string | null }>;
    expect(uploads).toHaveLength(1);
    const [upload] = uploads;
    expect(upload.finished_file_id).toBeNull();
    expect(upload.received).toBeGreaterThan(0);
    expect(upload.received).toBeLessThan(upload.size);
    expect(statSync(path.join(dataDir, "files", upload.id)).size).toBe(upload.received);
    uploaded = upload;
  } finally {
    db.close();
  }
}, 150_000);

let uploaded: { name: string; size: number; received: number } | undefined;

test("the club's admins see that upload under way, on the page where they may cancel it", async () => {
  expect(uploaded).toBeDefined();
  const server = await startServer({ env: { DATA_DIR: dataDir } });
  try {
    const admin = client(server.url);
    await signIn(admin, "claire.martin@conseil-associes.fr", "cercle-demo-2026");
    const page = await admin.get("/spaces/club-achats/files/in-progress");
    expect(page.status).toBe(200);
    const text = pageText(page.text);
    expect(text).toContain(uploaded!.name);
    expect(text).toContain("Julien Moreau");
    expect(page.text).toContain('value="cancel-upload"');
  } finally {
    await server.close();
  }
}, 60_000);

