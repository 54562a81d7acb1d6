import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { sql } from "kysely";
import { expect } from "vitest";
import { openDatabase } from "#db/client.ts";
import type { Client } from "./http.ts";
import { doc, paragraph } from "./lexical.ts";
import { repoRoot } from "./server.ts";
import { sha256Hex } from "./tus.ts";
import type { World } from "./world.ts";

/**
 * What the backup tests (local driver and S3) share: our maintenance commands
 * run as an operator runs them, and people who keep writing — pages,
 * comments, uploads — while a backup is taken, each write noted with the
 * moment the server acknowledged it, so a restored copy can be held to
 * every write acknowledged before the backup began.
 */

/** npm run backup / restore / storage:check / db:copy in its own process, with exactly this configuration. */
export function runCommand(script: "backup" | "restore" | "storage-check" | "db-copy", args: string[], env: Record<string, string>) {
  return new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", path.join(repoRoot, "server", `${script}.ts`), ...args], {
      cwd: repoRoot,
      env: { PATH: process.env.PATH ?? "", NODE_ENV: "production", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (c: Buffer) => (out += c.toString()));
    child.stderr.on("data", (c: Buffer) => (err += c.toString()));
    child.on("exit", (code) => resolve({ code, out, err }));
  });
}

/** A write the server acknowledged, and when. */
export interface Acked {
  kind: "page" | "comment" | "file";
  /** Page title, comment id, or file id. */
  ref: string;
  sha256?: string;
  at: number;
}

type Writers = "alice" | "bob";

/** Writes into the world's space, each answered with its acknowledgement. `chunks`: how many PATCHes an upload takes. */
export function writersOf(w: World<"admin" | Writers, "space">, options: { chunks?: number } = {}) {
  const slug = () => w.spaces.space.slug;
  return {
    async page(cl: Client, title: string): Promise<Acked> {
      const res = await cl.post(`/spaces/${slug()}/wiki/new`, { title, content: doc(paragraph(`Compte rendu : ${title}`)), summary: "" });
      if (res.status !== 302) throw new Error(`page “${title}”: ${res.status}`);
      return { kind: "page", ref: title, at: Date.now() };
    },
    async comment(cl: Client, pageId: string, text: string): Promise<Acked> {
      const res = await cl.post(`/spaces/${slug()}/comments`, { intent: "create", targetType: "page", targetId: pageId, body: doc(paragraph(text)) });
      const id = /#comment-([a-z0-9]+)$/.exec(res.location ?? "")?.[1];
      if (res.status !== 303 || !id) throw new Error(`comment: ${res.status}`);
      return { kind: "comment", ref: id, at: Date.now() };
    },
    async file(who: Writers, size: number, name: string): Promise<Acked> {
      const bytes = randomBytes(size);
      const done = await w.tus[who].upload(slug(), bytes, { filename: name }, options.chunks ? { chunks: options.chunks } : undefined);
      return { kind: "file", ref: done.fileId, sha256: sha256Hex(bytes), at: Date.now() };
    },
  };
}

/**
 * Runs `work` (the backup) while each loop keeps writing, one write after
 * another, from a moment before it starts until it ends; every acknowledged
 * write goes into `acked`. Answers the work's result and when it began.
 */
export async function whileWriting<T>(acked: Acked[], loops: Array<(i: number) => Promise<Acked>>, work: () => Promise<T>) {
  let stop = false;
  const writers = loops.map(async (write) => {
    for (let i = 0; !stop; i++) acked.push(await write(i));
  });
  // The writers are under way before the backup starts.
  await new Promise((r) => setTimeout(r, 300));
  const began = Date.now();
  try {
    const result = await work();
    return { result, began, ended: Date.now() };
  } finally {
    stop = true;
    await Promise.all(writers);
  }
}

/** The restored database passes SQLite's integrity check and holds every write acknowledged before `began`; answers those writes. */
export async function expectWritesBefore(dataDir: string, acked: Acked[], began: number): Promise<Acked[]> {
  const db = openDatabase(path.join(dataDir, "cercle.db"));
  try {
    expect((await sql<{ integrity_check: string }>`PRAGMA integrity_check`.execute(db.db)).rows).toEqual([{ integrity_check: "ok" }]);
    const titles = new Set((await db.db.selectFrom("page").select("title").execute()).map((p) => p.title));
    const comments = new Set((await db.db.selectFrom("comment").select("id").execute()).map((c) => c.id));
    const versions = new Map((await db.db.selectFrom("file_version").select(["file_id", "sha256"]).execute()).map((v) => [v.file_id, v.sha256]));
    const before = acked.filter((a) => a.at < began);
    for (const a of before) {
      if (a.kind === "page") expect(titles.has(a.ref), `page “${a.ref}”`).toBe(true);
      if (a.kind === "comment") expect(comments.has(a.ref), `comment ${a.ref}`).toBe(true);
      if (a.kind === "file") expect(versions.get(a.ref), `file ${a.ref}`).toBe(a.sha256);
    }
    return before;
  } finally {
    await db.close();
  }
}
