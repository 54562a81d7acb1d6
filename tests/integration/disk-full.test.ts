import { execFileSync } from "node:child_process";
import { closeSync, mkdtempSync, openSync, rmSync, rmdirSync, writeSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import type { OpenedDatabase } from "#db/client.ts";
import type { Space } from "#db/schema.ts";
import { signIn, type TestUser } from "#tests/factories.ts";
import { client, type Client } from "#tests/helpers/http.ts";
import { doc, paragraph } from "#tests/helpers/lexical.ts";
import type { TestServer } from "#tests/helpers/server.ts";
import { world, type World } from "#tests/helpers/world.ts";

/**
 * DATA_DIR on a small file system (a 24 MB tmpfs, which refuses writes with
 * ENOSPC as a full disk does), filled to the last byte. Needs root to mount,
 * as CI has (.ci/run runs apt-get).
 */
let mountPoint: string;
let server: TestServer;
let store: OpenedDatabase;
let space: Space;
let editor: Client;
let member: TestUser;
const filler = () => path.join(mountPoint, "filler.bin");
const logged: string[] = [];

/** Writes zeros until the file system says there is no space left. */
function fillDisk() {
  const fd = openSync(filler(), "a");
  const chunk = Buffer.alloc(64 * 1024);
  try {
    for (;;) writeSync(fd, chunk);
  } catch (error) {
    expect((error as NodeJS.ErrnoException).code).toBe("ENOSPC");
  } finally {
    closeSync(fd);
  }
  // The last few bytes too.
  const small = openSync(filler(), "a");
  try {
    for (;;) writeSync(small, Buffer.alloc(512));
  } catch {
    // Full.
  } finally {
    closeSync(small);
  }
}

let w: World<"admin" | "author" | "member", "space">;

beforeAll(async () => {
  mountPoint = mkdtempSync(path.join(os.tmpdir(), "cercle-full-"));
  execFileSync("mount", ["-t", "tmpfs", "-o", "size=24m", "tmpfs", mountPoint]);
  for (const method of ["error", "warn", "log"] as const) {
    const original = console[method].bind(console);
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      logged.push(args.map((a) => (a instanceof Error ? `${a.message} ${(a as NodeJS.ErrnoException).code ?? ""}` : String(a))).join(" "));
      original(...args);
    });
  }
  // This server runs on the mount.
  w = await world({
    env: { DATA_DIR: mountPoint },
    people: {
      admin: { email: "admin@full.test", displayName: "Admin Plein" },
      author: { email: "editrice@full.test", displayName: "Éditrice" },
      member: { email: "membre@full.test", displayName: "Membre" },
    },
    spaces: { space: { createdBy: "admin", slug: "plein", name: "Club Plein", visibility: "secret", members: { author: "editor", member: "member" } } },
    signIn: ["author"],
  });
  ({ server, store } = w);
  ({ member } = w.people);
  ({ space } = w.spaces);
  editor = w.c.author;
  const first = await editor.post(`/spaces/${space.slug}/wiki/new`, { title: "Avant", content: doc(paragraph("Il restait de la place.")), summary: "" });
  expect(first.status).toBe(302);
  // An empty write-ahead log, so the next write must grow a file: a log the migrations grew past
  // its checkpoint is reused from its start, and would take a small save on a full disk.
  await sql`PRAGMA wal_checkpoint(TRUNCATE)`.execute(store.db);
  fillDisk();
}, 60_000);

afterAll(async () => {
  rmSync(filler(), { force: true });
  await w?.close();
  if (mountPoint) {
    execFileSync("umount", [mountPoint]);
    rmdirSync(mountPoint);
  }
});

describe("the disk holding DATA_DIR is full", () => {
  test("a wiki save answers 507 and says the server's disk is full", async () => {
    const save = await editor.post(`/spaces/${space.slug}/wiki/new`, { title: "Après", content: doc(paragraph("Plus de place.")), summary: "" });
    expect(save.status).toBe(507);
    expect(save.text).toContain("Le disque du serveur est plein");
    const rows = await store.db.selectFrom("page").select("title").where("title", "=", "Après").execute();
    expect(rows).toEqual([]);
  });

  test("the log says SQLITE_FULL once, never a rollback error in its place", () => {
    const full = logged.filter((line) => line.includes("SQLITE_FULL"));
    expect(full).toHaveLength(1);
    expect(full[0]).toMatch(/disk/i);
    expect(logged.filter((line) => /cannot rollback/i.test(line))).toEqual([]);
  });

  test("signing in still works, and the session it opens is good", async () => {
    const c = client(server.url);
    const res = await signIn(c, member.email, member.password);
    expect(res.status).toBe(302);
    const page = await c.get(`/spaces/${space.slug}/wiki`);
    expect(page.status).toBe(200);
  });

  test("/healthz answers 503 and says the disk is full", async () => {
    const res = await client(server.url).get("/healthz");
    expect(res.status).toBe(503);
    expect(res.text).toMatch(/disk full/i);
  });

  test("once space is freed, /healthz is ok again and saves go through", async () => {
    rmSync(filler());
    const health = await client(server.url).get("/healthz");
    expect(health.status).toBe(200);
    const save = await editor.post(`/spaces/${space.slug}/wiki/new`, { title: "De nouveau", content: doc(paragraph("La place est revenue.")), summary: "" });
    expect(save.status).toBe(302);
  });
});
