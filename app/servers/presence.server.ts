import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import type { DB } from "#db/client.ts";
import { beatServer, deleteServersSeenBefore, otherServers, registerServer, removeServer, type AppServer } from "#db/queries/app-servers.ts";
import { logLine } from "#app/utils/log.ts";

/**
 * Several application servers on one PostgreSQL database (issue 21). They
 * see each other only through the database: the primary process of each
 * server (the one that runs the jobs) keeps a row in app_server while it
 * lives, beating every BEAT_MS, and removes it when it stops.
 *
 * At start a server refuses to run beside another whose files it could not
 * read: local disk storage keeps a server's files on its own machine, so two
 * servers work only when all of them use one S3 bucket. (SQLite's worker
 * processes are one server on one machine: nothing of this runs there.)
 *
 * The id is also the scheduler's claimant in job_run (app/jobs/), so a run
 * left unfinished can be told apart: its server still beats (it is running),
 * or it does not (it died, and the job is free to run again).
 */

/** This process, as the other servers and job_run know it: host, pid and a random part (a reused pid is another process). */
export const SERVER_ID = `${hostname()}:${process.pid}:${randomBytes(4).toString("hex")}`;

export const BEAT_MS = 5_000;

/** A server not seen for this long (four beats missed) is taken for dead. */
export const STALE_MS = 20_000;

/** Rows of servers not seen for this long are deleted at the next start. */
const FORGET_MS = 24 * 60 * 60 * 1000;

/** The set-up cannot work; the message is the one line to show. */
export class ServersError extends Error {
  override name = "ServersError";
}

/**
 * Whether another server's row stands for a live process. On this same
 * machine its pid says so at once (a server killed a moment ago, restarted
 * by systemd, is not kept waiting for its own ghost; one whose pid is ours
 * was this very process's predecessor in a container, where pid 1 comes
 * back); elsewhere, whether it beat recently.
 */
export function isAlive(other: AppServer, now: number, here = { host: hostname(), pid: process.pid, pidAlive }): boolean {
  if (now - other.seen_at > STALE_MS) return false;
  if (other.host !== here.host) return true;
  return other.pid !== here.pid && here.pidAlive(other.pid);
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, under another user.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Why this server may not run beside the live `others`, in one line; null when it may. */
export function conflict(driver: AppServer["storage_driver"], others: AppServer[]): string | null {
  const who = (s: AppServer) => `host ${s.host}, pid ${s.pid}`;
  if (driver === "local" && others.length > 0) {
    return (
      `Another Cercle server uses this database (${who(others[0])}), and STORAGE_DRIVER=local keeps files on each server's own disk, ` +
      "where the others cannot read them: give every server the same S3 bucket (STORAGE_DRIVER=s3 and the S3_* settings), or run only one server."
    );
  }
  const local = others.find((s) => s.storage_driver === "local");
  if (local) {
    return (
      `Another Cercle server uses this database with STORAGE_DRIVER=local (${who(local)}): its files are on its own disk, where this server cannot read them. ` +
      "Stop it, copy its files to the bucket and set STORAGE_DRIVER=s3 on it too, then start the servers again."
    );
  }
  return null;
}

let beating: NodeJS.Timeout | undefined;
let joined: DB | undefined;

/**
 * Registers this server, then refuses (ServersError) if a live one makes the
 * set-up unworkable, leaving no row behind. Registering first means two
 * servers starting at the same moment each see the other: both refuse,
 * rather than both start.
 */
export async function joinServers(db: DB, driver: AppServer["storage_driver"], now = Date.now()): Promise<void> {
  await deleteServersSeenBefore(db, now - FORGET_MS);
  const self: AppServer = { id: SERVER_ID, host: hostname(), pid: process.pid, storage_driver: driver, started_at: now, seen_at: now };
  await registerServer(db, self);
  const live = (await otherServers(db, SERVER_ID)).filter((other) => isAlive(other, now));
  const problem = conflict(driver, live);
  if (problem) {
    await removeServer(db, SERVER_ID);
    throw new ServersError(problem);
  }
  joined = db;
  clearInterval(beating);
  let failing = false;
  beating = setInterval(() => {
    void beat(db, self)
      .then(() => (failing = false))
      .catch((error: unknown) => {
        // Said once per streak of failures: the database may be restarting, and it beats again after.
        if (!failing) console.error(logLine`Cannot tell the other servers this one lives: ${error instanceof Error ? error.message : String(error)}`);
        failing = true;
      });
  }, BEAT_MS);
  beating.unref();
}

async function beat(db: DB, self: AppServer) {
  const now = Date.now();
  // Stalled so long that its row was swept: it says it lives again.
  if (!(await beatServer(db, self.id, now))) await registerServer(db, { ...self, seen_at: now });
}

/** Stops beating and removes this server's row, so the others (and job_run) know it is gone at once. */
export async function leaveServers(): Promise<void> {
  clearInterval(beating);
  beating = undefined;
  const db = joined;
  joined = undefined;
  if (db) await removeServer(db, SERVER_ID).catch(() => {});
}
