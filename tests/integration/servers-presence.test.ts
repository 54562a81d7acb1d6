import { spawnSync } from "node:child_process";
import { hostname } from "node:os";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { migrateToLatest } from "#db/migrations/index.ts";
import { runsOf } from "#db/queries/job-runs.ts";
import type { AppServer } from "#db/queries/app-servers.ts";
import { createScheduler } from "#app/jobs/scheduler.server.ts";
import { conflict, isAlive, joinServers, leaveServers, SERVER_ID, ServersError, STALE_MS } from "#app/servers/presence.server.ts";
import { tempDatabase } from "#tests/helpers/db.ts";

/**
 * Several servers on one database (issue 21), below the processes that
 * tests/integration/two-servers.test.ts starts: which rows of app_server
 * stand for a live server, which set-ups are refused, and the scheduler
 * leaving a job alone while another live server is still running it.
 */

let database: Awaited<ReturnType<typeof tempDatabase>>;
beforeEach(async () => {
  database = await tempDatabase();
  await migrateToLatest(database.db);
});
afterEach(async () => {
  await leaveServers();
  await database?.remove();
});

const NOW = 1_800_000_000_000;
const row = (over: Partial<AppServer> = {}): AppServer => ({
  id: "autre:4242:abcd",
  host: "autre",
  pid: 4242,
  storage_driver: "s3",
  started_at: NOW - 60_000,
  seen_at: NOW - 1_000,
  ...over,
});

/** A pid no process has: one that has just exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" });
  return Number(child.stdout);
}

describe("which rows stand for a live server", () => {
  const here = { host: "ici", pid: 100, pidAlive: (pid: number) => pid === 200 };
  test("on another machine: seen within STALE_MS", () => {
    expect(isAlive(row({ seen_at: NOW - STALE_MS + 1 }), NOW, here)).toBe(true);
    expect(isAlive(row({ seen_at: NOW - STALE_MS - 1 }), NOW, here)).toBe(false);
  });
  test("on this machine: its pid lives (a killed server restarted at once is not kept waiting for its own row)", () => {
    expect(isAlive(row({ host: "ici", pid: 200 }), NOW, here)).toBe(true);
    expect(isAlive(row({ host: "ici", pid: 300 }), NOW, here)).toBe(false);
    // Our own pid: this process's predecessor in a restarted container (pid 1 again).
    expect(isAlive(row({ host: "ici", pid: 100 }), NOW, here)).toBe(false);
    // A live pid not seen for long is another process that took the number.
    expect(isAlive(row({ host: "ici", pid: 200, seen_at: NOW - STALE_MS - 1 }), NOW, here)).toBe(false);
  });
});

describe("which set-ups are refused", () => {
  test("alone, or S3 beside S3: fine", () => {
    expect(conflict("local", [])).toBeNull();
    expect(conflict("s3", [])).toBeNull();
    expect(conflict("s3", [row(), row({ id: "x", pid: 1 })])).toBeNull();
  });
  test("local disk beside any other server, or S3 beside a local one: one line saying why and what to do", () => {
    const local = conflict("local", [row()]);
    expect(local).toContain("Another Cercle server uses this database (host autre, pid 4242)");
    expect(local).toContain("STORAGE_DRIVER=s3");
    const beside = conflict("s3", [row(), row({ id: "l", pid: 77, storage_driver: "local" })]);
    expect(beside).toContain("with STORAGE_DRIVER=local (host autre, pid 77)");
    expect(beside).toContain("set STORAGE_DRIVER=s3 on it too");
    for (const line of [local, beside]) expect(line).not.toContain("\n");
  });
});

describe("joining the servers of a database", () => {
  const servers = () => database.db.selectFrom("app_server").selectAll().orderBy("id").execute();

  test("local storage beside a live server of this machine is refused, and leaves no row of its own", async () => {
    const now = Date.now();
    // The test runner's parent process lives: a server on this machine as far as the row says.
    const other = row({ id: "voisin", host: hostname(), pid: process.ppid, seen_at: now });
    await database.db.insertInto("app_server").values(other).execute();
    await expect(joinServers(database.db, "local", now)).rejects.toThrow(ServersError);
    expect(await servers()).toEqual([other]);
  });

  test("the row of a server that died on this machine does not stand in the way; leaving removes this one's row", async () => {
    const now = Date.now();
    await database.db.insertInto("app_server").values(row({ id: "mort", host: hostname(), pid: deadPid(), seen_at: now })).execute();
    await joinServers(database.db, "local", now);
    expect((await servers()).map((s) => s.id).sort()).toEqual([SERVER_ID, "mort"].sort());
    const self = (await servers()).find((s) => s.id === SERVER_ID)!;
    expect(self).toMatchObject({ host: hostname(), pid: process.pid, storage_driver: "local", started_at: now, seen_at: now });
    await leaveServers();
    expect((await servers()).map((s) => s.id)).toEqual(["mort"]);
  });

  test("rows not seen for a day are swept at start", async () => {
    const now = Date.now();
    await database.db.insertInto("app_server").values(row({ id: "ancien", seen_at: now - 25 * 60 * 60 * 1000 })).execute();
    await joinServers(database.db, "s3", now);
    expect((await servers()).map((s) => s.id)).toEqual([SERVER_ID]);
  });
});

describe("a job under way on another server", () => {
  test("is left alone while that server beats, and taken up at the next slot once it stops", async () => {
    const db = database.db;
    const now = Date.now();
    await db.insertInto("app_server").values([row({ id: "srv-a", seen_at: now }), row({ id: "srv-b", seen_at: now })]).execute();
    let release!: () => void;
    let began!: () => void;
    const beganA = new Promise<void>((resolve) => (began = resolve));
    const held = new Promise<void>((resolve) => (release = resolve));
    const ranBy: string[] = [];
    const make = (by: string, run: () => Promise<void>) => {
      const s = createScheduler({ db: () => db, by, log: () => {} });
      s.register({ name: "long", everyMs: 1000, run: async () => void (ranBy.push(by), await run()) });
      return s;
    };
    const a = make("srv-a", async () => {
      began();
      await held;
    });
    const b = make("srv-b", async () => {});
    const base = 5_000_000;
    const first = a.runSlot("long", base);
    await beganA;
    // A's run outlasts its slot; B's timer comes to the next ones.
    expect(await b.runSlot("long", base + 1000)).toBe("taken");
    expect(await b.runSlot("long", base + 2000)).toBe("taken");
    expect(ranBy).toEqual(["srv-a"]);
    // A stops beating (killed): B takes the job at its next slot.
    await db.updateTable("app_server").set({ seen_at: now - STALE_MS - 1000 }).where("id", "=", "srv-a").execute();
    expect(await b.runSlot("long", base + 3000)).toBe("ran");
    expect(ranBy).toEqual(["srv-a", "srv-b"]);
    release();
    expect(await first).toBe("ran");
    expect((await runsOf(db, "long")).map((r) => [r.slot, r.claimed_by, r.finished_at !== null])).toEqual([
      [5000, "srv-a", true],
      [5003, "srv-b", true],
    ]);
  });

  test("a run left unfinished by a process that is no known server (SQLite's one primary, restarted) blocks nothing", async () => {
    const db = database.db;
    await db.insertInto("job_run").values({ name: "sweep", slot: 41, claimed_by: "old:1:dead", claimed_at: 41_000, finished_at: null, error: null }).execute();
    const s = createScheduler({ db: () => db, by: "new:2:live", log: () => {} });
    s.register({ name: "sweep", everyMs: 1000, run: async () => {} });
    expect(await s.runSlot("sweep", 42_000)).toBe("ran");
  });
});
