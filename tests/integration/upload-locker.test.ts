import { getEventListeners } from "node:events";
import { ERRORS, type Lock } from "@tus/utils";
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { SqliteLocker, type SqliteLockerOptions } from "#app/files/upload-locker.server.ts";
import { openDatabase, type OpenedDatabase } from "#db/client.ts";
import { migrateToLatest } from "#db/migrations/index.ts";
import { tempDatabase } from "#tests/helpers/db.ts";
import { sleep } from "#tests/helpers/tus.ts";

/**
 * tus's locker on SQLite (app/files/upload-locker.server.ts), shared by every
 * worker process: on a real database file with two connections to it — two
 * processes as far as SQLite can tell — and short timings. Through the built
 * server with two worker processes: upload-locker-cluster.test.ts.
 */

// ---------------------------------------------------------------------------
// Two connections to one file
// ---------------------------------------------------------------------------

const FAST: SqliteLockerOptions = { pollInterval: 20, heartbeatInterval: 50, staleAfter: 300, acquireLockTimeout: 5_000 };

let database: Awaited<ReturnType<typeof tempDatabase>>;
/** The second "process": its own better-sqlite3 connection to the same file. */
let other: OpenedDatabase | undefined;
let one: SqliteLocker;
let two: SqliteLocker;
/** Locks taken in a test and not yet released, waits not yet ended: undone after it, so nothing outlives its test. */
const held = new Set<Lock>();
const waits = new Set<AbortController>();

const ignore = () => {};

/** lock() that records whether it has settled, and its lock for cleanup. */
function take(lock: Lock, options: { signal?: AbortSignal; onRelease?: () => void } = {}) {
  const state = { settled: false, error: undefined as unknown, at: 0 };
  // A test that brings its own signal aborts it itself.
  const cleanup = new AbortController();
  if (!options.signal) waits.add(cleanup);
  const promise = lock.lock(options.signal ?? cleanup.signal, options.onRelease ?? ignore).then(
    () => {
      held.add(lock);
      Object.assign(state, { settled: true, at: Date.now() });
    },
    (error: unknown) => {
      Object.assign(state, { settled: true, error, at: Date.now() });
    },
  );
  void promise.finally(() => waits.delete(cleanup));
  return { state, promise };
}

async function unlock(lock: Lock) {
  held.delete(lock);
  await lock.unlock();
}

const rows = () => database.db.selectFrom("upload_lock").selectAll().orderBy("upload_id").execute();

async function until(check: () => boolean | Promise<boolean>, what: string, ms = 3_000) {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

describe("SqliteLocker on one database file, two connections", () => {
  beforeEach(async () => {
    database = await tempDatabase();
    await migrateToLatest(database.db);
    other = openDatabase(database.file);
    one = new SqliteLocker(database.db, FAST);
    two = new SqliteLocker(other.db, FAST);
  });

  afterEach(async () => {
    for (const wait of waits) wait.abort();
    waits.clear();
    for (const lock of held) await lock.unlock().catch(() => {});
    held.clear();
    await other?.close();
    other = undefined;
    await database?.remove();
    vi.restoreAllMocks();
  });

  test("one holder at a time: the second waits, asks the holder once, and gets the lock as soon as it is unlocked", async () => {
    const a = one.newLock("upload-1");
    let releaseAsked = 0;
    await take(a, { onRelease: () => void releaseAsked++ }).promise;
    expect(await rows()).toMatchObject([{ upload_id: "upload-1", release_requested_at: null }]);

    // Another upload's lock is unrelated.
    const unrelated = two.newLock("upload-2");
    await take(unrelated).promise;
    await unlock(unrelated);

    const b = two.newLock("upload-1");
    const waiting = take(b);
    await until(() => releaseAsked > 0, "the holder to be asked to let go");
    // The waiter keeps polling for a while; the holder is told once, and still holds.
    await sleep(10 * FAST.pollInterval!);
    expect(waiting.state.settled).toBe(false);
    expect(releaseAsked).toBe(1);
    expect((await rows())[0].release_requested_at).not.toBeNull();

    const unlockedAt = Date.now();
    await unlock(a);
    await waiting.promise;
    expect(waiting.state.error).toBeUndefined();
    expect(waiting.state.at - unlockedAt).toBeLessThan(500);
    // A fresh row: the request to let go was meant for the previous holder.
    const [row] = await rows();
    expect(row).toMatchObject({ upload_id: "upload-1", release_requested_at: null });

    await unlock(b);
    expect(await rows()).toEqual([]);
  });

  test("many requests on two connections racing for one upload: never two inside at once, and every one gets its turn", async () => {
    let inside = 0;
    let most = 0;
    let done = 0;
    const worker = async (locker: SqliteLocker, rounds: number) => {
      for (let i = 0; i < rounds; i++) {
        const lock = locker.newLock("contended");
        await lock.lock(new AbortController().signal, ignore);
        inside += 1;
        most = Math.max(most, inside);
        await sleep(2);
        inside -= 1;
        done += 1;
        await lock.unlock();
      }
    };
    await Promise.all([worker(one, 8), worker(two, 8), worker(one, 8), worker(two, 8)]);
    expect(most).toBe(1);
    expect(done).toBe(32);
    expect(await rows()).toEqual([]);
  });

  test("when a third comes in after the first let go, the new holder is asked in turn", async () => {
    const a = one.newLock("relay");
    await take(a).promise;
    const asked: string[] = [];
    const b = two.newLock("relay");
    const c = one.newLock("relay");
    const waitingB = take(b, { onRelease: () => asked.push("b") });
    const waitingC = take(c, { onRelease: () => asked.push("c") });
    await until(async () => (await rows())[0]?.release_requested_at != null, "a request to let go");
    await unlock(a);
    // One of them takes it; the other asks that one to let go.
    await until(() => waitingB.state.settled || waitingC.state.settled, "a new holder");
    const [winner, loser] = waitingB.state.settled ? (["b", waitingC] as const) : (["c", waitingB] as const);
    await until(() => asked.length > 0, "the new holder to be asked");
    expect(asked).toEqual([winner]);
    await unlock(winner === "b" ? b : c);
    await loser.promise;
    expect(loser.state.error).toBeUndefined();
  });

  test("a wait ends at once when its stop signal aborts, rejecting with ERR_LOCK_TIMEOUT; nothing of it is left running", async () => {
    const a = one.newLock("stoppable");
    await take(a).promise;
    const stop = new AbortController();
    // A waiter that looks only once a second: ending sooner than that is the signal's doing.
    const b = new SqliteLocker(other!.db, { ...FAST, pollInterval: 1_000 }).newLock("stoppable");
    const waiting = take(b, { signal: stop.signal });
    await until(async () => (await rows())[0]?.release_requested_at != null, "the waiter to ask");
    const abortedAt = Date.now();
    stop.abort();
    await waiting.promise;
    expect(waiting.state.error).toBe(ERRORS.ERR_LOCK_TIMEOUT);
    // Well under the one-second poll (a loaded machine delays the event loop by a hundred milliseconds or more).
    expect(waiting.state.at - abortedAt).toBeLessThan(500);
    expect(getEventListeners(stop.signal, "abort")).toHaveLength(0);
    // The aborted waiter polls no more (its connection runs no statement), and the holder still holds.
    const before = other!.queryCount();
    await sleep(1_200);
    expect(other!.queryCount()).toBe(before);
    expect((await rows())[0]).toMatchObject({ upload_id: "stoppable" });
    await unlock(a);

    // An already aborted signal does not even try.
    const late = two.newLock("stoppable");
    await expect(late.lock(AbortSignal.abort(), ignore)).rejects.toBe(ERRORS.ERR_LOCK_TIMEOUT);
    expect(await rows()).toEqual([]);
  });

  test("a holder that does not let go: the waiter gives up after acquireLockTimeout with ERR_LOCK_TIMEOUT", async () => {
    const a = one.newLock("stubborn");
    await take(a).promise;
    const impatient = new SqliteLocker(other!.db, { ...FAST, acquireLockTimeout: 400 });
    const startedAt = Date.now();
    const signal = new AbortController().signal;
    await expect(impatient.newLock("stubborn").lock(signal, ignore)).rejects.toBe(ERRORS.ERR_LOCK_TIMEOUT);
    const waited = Date.now() - startedAt;
    expect(waited).toBeGreaterThanOrEqual(390);
    expect(waited).toBeLessThan(1_000);
    expect(getEventListeners(signal, "abort")).toHaveLength(0);
    // The holder's heartbeat kept it alive past staleAfter (300 ms): still its lock.
    const [row] = await rows();
    expect(row.expires_at).toBeGreaterThan(Date.now());
    await unlock(a);
  });

  test("a holder whose process died (no more heartbeat) is taken over once its lock expires, not before", async () => {
    const dying = openDatabase(database.file);
    const doomed = new SqliteLocker(dying.db, FAST);
    const a = doomed.newLock("orphan");
    await take(a).promise;
    // Its heartbeat runs for a while…
    await sleep(4 * FAST.heartbeatInterval!);
    const [beating] = await rows();
    expect(beating.expires_at).toBeGreaterThan(beating.acquired_at + FAST.staleAfter!);
    // …then the process is gone: its connection closes, its row stays behind.
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    await dying.close();
    const lastExpiry = (await rows())[0].expires_at;

    const b = two.newLock("orphan");
    const waiting = take(b);
    await waiting.promise;
    expect(waiting.state.error).toBeUndefined();
    expect(waiting.state.at).toBeGreaterThanOrEqual(lastExpiry);
    expect(waiting.state.at - lastExpiry).toBeLessThan(500);
    const [row] = await rows();
    expect(row.acquired_at).toBeGreaterThanOrEqual(lastExpiry);
    // The dead holder's timers are stopped by its unlock (as tus's finally would, if it still ran).
    await unlock(a);
    errors.mockRestore();
    expect((await rows())[0]).toEqual(row);
  });

  test("a holder whose lock was taken over is told to stop, and its unlock leaves the new holder's row alone", async () => {
    let toldToStop = 0;
    const a = one.newLock("overtaken");
    await take(a, { onRelease: () => void toldToStop++ }).promise;
    // As if its process had stalled past staleAfter: the row has expired.
    await database.db.updateTable("upload_lock").set({ expires_at: Date.now() - 1 }).execute();
    const b = two.newLock("overtaken");
    await take(b).promise;
    await until(() => toldToStop > 0, "the overtaken holder to be told");
    await unlock(a);
    const [row] = await rows();
    expect(row.upload_id).toBe("overtaken");
    // b still holds: a third party waits.
    const c = one.newLock("overtaken");
    const waiting = take(c);
    await sleep(5 * FAST.pollInterval!);
    expect(waiting.state.settled).toBe(false);
    await unlock(b);
    await waiting.promise;
    expect(waiting.state.error).toBeUndefined();
  });

  test("timers never keep the process alive, and none outlives its use: unlock clears the holder's, the end of a wait clears the waiter's", async () => {
    const refTimers = () => process.getActiveResourcesInfo().filter((r) => r === "Timeout").length;
    const before = refTimers();
    const a = one.newLock("timers");
    await take(a).promise;
    const stop = new AbortController();
    const waiting = take(two.newLock("timers"), { signal: stop.signal });
    await until(async () => (await rows())[0]?.release_requested_at != null, "the waiter to ask");
    await sleep(FAST.pollInterval! / 2);
    // Other timers of this process (a sleep of an earlier test) may still be ending on a busy
    // machine: the locker's own, all unref'd, must never add to the count.
    await until(async () => refTimers() <= before, "no timer of the locker's keeping the process alive");
    stop.abort();
    await waiting.promise;
    await unlock(a);

    // The same with timers counted one by one.
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    try {
      const turn = () => new Promise<void>((resolve) => setImmediate(resolve));
      const settle = async (check: () => boolean) => {
        for (let i = 0; i < 1_000 && !check(); i++) await turn();
        return check();
      };
      const b = one.newLock("timers");
      await b.lock(new AbortController().signal, ignore);
      expect(vi.getTimerCount()).toBe(1); // the holder's watch
      const halt = new AbortController();
      const c = two.newLock("timers");
      const waited = c.lock(halt.signal, ignore).catch((error: unknown) => error);
      expect(await settle(() => vi.getTimerCount() === 2)).toBe(true); // + the waiter's pause
      halt.abort();
      expect(await waited).toBe(ERRORS.ERR_LOCK_TIMEOUT);
      expect(vi.getTimerCount()).toBe(1);
      await b.unlock();
      expect(vi.getTimerCount()).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });

  test("after unlock, the holder runs no more statements (its heartbeat and watch are cleared)", async () => {
    const a = one.newLock("quiet");
    await take(a).promise;
    // While held, it beats and watches.
    const start = database.queryCount();
    await sleep(3 * FAST.heartbeatInterval!);
    expect(database.queryCount()).toBeGreaterThan(start);
    await unlock(a);
    const after = database.queryCount();
    await sleep(3 * FAST.heartbeatInterval!);
    expect(database.queryCount()).toBe(after);
    expect(await rows()).toEqual([]);
    await expect(a.unlock()).rejects.toThrow(/unlocked/);
  });
});
