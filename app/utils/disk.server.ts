import { AsyncLocalStorage } from "node:async_hooks";
import { closeSync, existsSync, openSync, renameSync, statfsSync, unlinkSync, writeSync } from "node:fs";
import path from "node:path";
import { getEnv } from "./env.server.ts";

/**
 * A full disk, said plainly. SQLite cannot write a byte on a full disk, not
 * even a session row, so DATA_DIR keeps a reserve: a file of zeros
 * (disk-reserve.bin, 1 % of the file system, between 4 and 32 MB) made at
 * start. The first write that finds the disk full deletes it, which gives the
 * database room again, and from then on the disk counts as full:
 * - transactions (saves, comments, uploads, every command) are refused
 *   before they begin, with 507 "the server's disk is full";
 * - signing in (the attempt, the audit line, the session and its device)
 *   goes on, from the reserve: its transactions run inside essentialWrites();
 * - /healthz answers 503 "disk full".
 * The reserve's absence is the state, so every worker process sees it. When
 * the disk has room again (three reserves' worth) /healthz makes the reserve
 * anew and writes are accepted again.
 */
const RESERVE_NAME = "disk-reserve.bin";
const MB = 1024 * 1024;

function reservePath() {
  return path.join(getEnv().dataDir, RESERVE_NAME);
}

function reserveBytes(): number {
  const fs = statfsSync(getEnv().dataDir);
  return Math.min(32 * MB, Math.max(4 * MB, Math.round((fs.blocks * fs.bsize * 0.01) / MB) * MB));
}

function freeBytes(): number {
  const fs = statfsSync(getEnv().dataDir);
  return fs.bavail * fs.bsize;
}

/** Makes the reserve if the disk has room for it and some; true when it is there. */
export function ensureReserve(): boolean {
  const file = reservePath();
  if (existsSync(file)) return true;
  const size = reserveBytes();
  if (freeBytes() < 3 * size) return false;
  // One partial file per process: two workers may make it at once.
  const partial = `${file}.${process.pid}.part`;
  const fd = openSync(partial, "w");
  try {
    const chunk = Buffer.alloc(MB);
    for (let written = 0; written < size; written += chunk.byteLength) writeSync(fd, chunk);
  } catch {
    closeSync(fd);
    unlinkSync(partial);
    return false;
  }
  closeSync(fd);
  // Renamed whole, so no process ever sees half a reserve as a whole one.
  renameSync(partial, file);
  return true;
}

const essential = new AsyncLocalStorage<true>();

/**
 * Runs writes that must go on while the disk is full — signing in, so the
 * admins can still reach the server — on the room the spent reserve gave back.
 */
export function essentialWrites<T>(work: () => Promise<T>): Promise<T> {
  return essential.run(true, work);
}

/** Whether the transaction about to begin is refused for lack of disk (see essentialWrites). */
export function refusesWrites(): boolean {
  return essential.getStore() !== true && isDiskFullNow();
}

let guarding = false;

/**
 * Each serving process turns the guard on at boot. Command-line tools (demo,
 * migrate, storage-check) never make a reserve, so for them its absence
 * means nothing and their writes go through (a full disk fails them loudly).
 */
export function guardDisk(): void {
  guarding = true;
}

/** True while the disk counts as full (the reserve was spent, or could not be made). */
export function isDiskFullNow(): boolean {
  return guarding && !existsSync(reservePath());
}

let reportedAt = 0;

/**
 * A write found the disk full: spend the reserve (so signing in keeps
 * working) and say the real cause in the log, once per episode in this
 * process (and again after ten minutes if it lasts).
 */
export function diskIsFull(error: Error): void {
  let released = false;
  try {
    unlinkSync(reservePath());
    released = true;
  } catch {
    // Already spent (by this process or another).
  }
  if (released || Date.now() - reportedAt > 10 * 60_000) {
    reportedAt = Date.now();
    const code = (error as NodeJS.ErrnoException).code ?? "";
    console.error(
      `The disk holding DATA_DIR (${getEnv().dataDir}) is full: ${code} (${error.message}). ` +
        (released ? "Released the disk reserve so that signing in keeps working; " : "") +
        "saves and uploads answer 507 until space is freed.",
    );
  }
}

/** The answer to a write refused because the disk is full: 507 Insufficient Storage. */
export function diskFullResponse(): Response {
  return new Response("Le disque du serveur est plein : rien n’a été enregistré. / The server’s disk is full: nothing was saved.", {
    status: 507,
    statusText: "Insufficient Storage",
    headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" },
  });
}
