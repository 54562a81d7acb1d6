import { ERRORS, type Lock, type Locker, type RequestRelease } from "@tus/utils";
import type { DB } from "#db/client.ts";
import { newId } from "#db/ids.ts";
import {
  deleteDeadUploadLocks,
  findUploadLock,
  releaseUploadLock,
  renewUploadLock,
  requestUploadLockRelease,
  tryAcquireUploadLock,
} from "#db/queries/upload-locks.ts";
import { isDiskFull, refuse } from "./reservations.server.ts";

/**
 * tus's Locker on the SQLite file every worker process shares, so that two
 * requests on one upload (a client retrying a HEAD or a PATCH while its
 * previous PATCH is still being read) are locked against each other whichever
 * workers they land on. @tus/server's default MemoryLocker only sees its own
 * process. Same semantics as that MemoryLocker:
 *
 * - `lock(stopSignal, requestRelease)` resolves once the lock is taken and
 *   rejects with ERRORS.ERR_LOCK_TIMEOUT after `acquireLockTimeout`, or as
 *   soon as `stopSignal` aborts;
 * - while it waits, the holder is asked to let go: the holder's
 *   `requestRelease` is called (once), and tus cancels that request
 *   (after its lockDrainTimeout), which unlocks.
 *
 * How: a row in `upload_lock` is a held lock (db/queries/upload-locks.ts).
 * Taking it is one atomic upsert that only succeeds on a free or expired row.
 * A waiter marks the row `release_requested_at`, then only reads until the
 * row looks free. A holder beats (pushes `expires_at` forward) every
 * `heartbeatInterval` and reads its row every `pollInterval` to see whether
 * someone asked for it — or took it over: a holder whose row is gone or has
 * another holder calls `requestRelease` too, as it no longer owns the upload.
 * A holder not heard from for `staleAfter` (its process died) is taken over.
 * Every statement is short and outside any transaction; every timer is
 * unref'd and cleared on unlock or when the wait ends.
 *
 * On PostgreSQL (several servers) the same rows work unchanged: each statement
 * runs alone, outside a serializable transaction, so none is refused with
 * 40001; the upsert and the conditional UPDATE/DELETE check their WHERE again
 * on the row another server just wrote. There is no SQLITE_BUSY to retry there.
 */

export interface SqliteLockerOptions {
  /** How long lock() waits before rejecting with ERR_LOCK_TIMEOUT. Default 30 s, as tus's MemoryLocker. */
  acquireLockTimeout?: number;
  /** How often a waiter looks whether the lock came free, and a holder whether someone wants it. Default 100 ms. */
  pollInterval?: number;
  /** How often a holder pushes its expiry forward. Default 2 s. */
  heartbeatInterval?: number;
  /** A holder not heard from for this long is presumed dead and its lock taken over. Default 15 s. */
  staleAfter?: number;
}

export const LOCKER_DEFAULTS: Required<SqliteLockerOptions> = {
  acquireLockTimeout: 30_000,
  pollInterval: 100,
  heartbeatInterval: 2_000,
  staleAfter: 15_000,
};

/** Rows expired this long are swept now and then (a dead holder's row nobody wanted since). */
const SWEEP_AFTER_MS = 60 * 60 * 1000;
const SWEEP_EVERY_MS = 10 * 60 * 1000;

export class SqliteLocker implements Locker {
  readonly options: Required<SqliteLockerOptions>;
  private lastSweep = Date.now();

  constructor(
    readonly db: DB,
    options: SqliteLockerOptions = {},
  ) {
    this.options = {
      acquireLockTimeout: options.acquireLockTimeout ?? LOCKER_DEFAULTS.acquireLockTimeout,
      pollInterval: options.pollInterval ?? LOCKER_DEFAULTS.pollInterval,
      heartbeatInterval: options.heartbeatInterval ?? LOCKER_DEFAULTS.heartbeatInterval,
      staleAfter: options.staleAfter ?? LOCKER_DEFAULTS.staleAfter,
    };
    const { pollInterval, heartbeatInterval, staleAfter, acquireLockTimeout } = this.options;
    if (!(pollInterval > 0 && heartbeatInterval > 0 && acquireLockTimeout >= 0)) throw new Error("SqliteLocker: intervals must be positive");
    // A live holder must get at least a couple of beats in before it can be taken for dead.
    if (staleAfter < 2 * heartbeatInterval) throw new Error("SqliteLocker: staleAfter must be at least twice heartbeatInterval");
  }

  newLock(id: string): Lock {
    return new SqliteLock(id, this);
  }

  /** Now and then, after an unlock: drop rows of holders long dead. */
  async sweep(now: number) {
    if (now - this.lastSweep < SWEEP_EVERY_MS) return;
    this.lastSweep = now;
    await deleteDeadUploadLocks(this.db, now - SWEEP_AFTER_MS);
  }
}

type State = "new" | "waiting" | "held" | "released";

class SqliteLock implements Lock {
  /** This lock instance (one request): only it may renew or delete the row it took. */
  private readonly holder = newId();
  private state: State = "new";
  private timer: NodeJS.Timeout | undefined;
  private requestRelease: RequestRelease | undefined;
  /** requestRelease was called: from then on the holder only beats until it unlocks. */
  private releaseAsked = false;
  /** The row is no longer ours (taken over after a stall): nothing left to beat for. */
  private lost = false;
  private lastBeat = 0;

  constructor(
    private readonly id: string,
    private readonly locker: SqliteLocker,
  ) {}

  async lock(stopSignal: AbortSignal, requestRelease: RequestRelease): Promise<void> {
    if (this.state !== "new") throw new Error(`lock() on a lock already ${this.state}`);
    this.state = "waiting";
    const { db } = this.locker;
    const { acquireLockTimeout, pollInterval, staleAfter } = this.locker.options;
    const deadline = Date.now() + acquireLockTimeout;
    try {
      for (;;) {
        if (stopSignal.aborted) throw ERRORS.ERR_LOCK_TIMEOUT;
        const now = Date.now();
        if (await retryBusy(() => tryAcquireUploadLock(db, { uploadId: this.id, holder: this.holder, now, expiresAt: now + staleAfter }))) {
          this.hold(requestRelease, now);
          return;
        }
        // Held by someone alive: ask them to let go (a no-op if someone already did).
        await retryBusy(() => requestUploadLockRelease(db, { uploadId: this.id, now }));
        // Then only read, until the lock looks free or a new holder appears that nobody asked yet.
        for (;;) {
          const left = deadline - Date.now();
          if (left <= 0) throw ERRORS.ERR_LOCK_TIMEOUT;
          await pause(Math.min(pollInterval, left), stopSignal);
          if (stopSignal.aborted) throw ERRORS.ERR_LOCK_TIMEOUT;
          const row = await retryBusy(() => findUploadLock(db, this.id));
          if (row === null) continue;
          if (!row || row.expires_at <= Date.now() || row.release_requested_at === null) break;
        }
      }
    } catch (error) {
      this.state = "new";
      // The lock is a row: on a full disk it cannot be written, and the request is answered 507, not 500.
      if (isDiskFull(error)) refuse(507, "disk_full");
      throw error;
    }
  }

  async unlock(): Promise<void> {
    if (this.state !== "held") throw new Error("Releasing an unlocked lock!");
    this.state = "released";
    clearTimeout(this.timer);
    this.timer = undefined;
    this.requestRelease = undefined;
    try {
      await releaseUploadLock(this.locker.db, { uploadId: this.id, holder: this.holder });
      await this.locker.sweep(Date.now());
    } catch (error) {
      // The bytes are stored and the answer is right; a row left behind stops being beaten
      // and frees itself after staleAfter. Failing the request for it would help nobody.
      console.error("upload lock not released", this.id, error);
    }
  }

  private hold(requestRelease: RequestRelease, now: number) {
    this.state = "held";
    this.requestRelease = requestRelease;
    this.lastBeat = now;
    this.schedule(now);
  }

  private schedule(now: number) {
    if (this.state !== "held" || this.lost) return;
    const { pollInterval, heartbeatInterval } = this.locker.options;
    const untilBeat = Math.max(0, this.lastBeat + heartbeatInterval - now);
    // Once asked to let go there is nothing more to watch for: only beat until unlock.
    const delay = this.releaseAsked ? untilBeat : Math.min(pollInterval, untilBeat);
    this.timer = setTimeout(() => void this.tick(), delay);
    this.timer.unref();
  }

  private async tick() {
    this.timer = undefined;
    if (this.state !== "held") return;
    const { db } = this.locker;
    const { heartbeatInterval, staleAfter } = this.locker.options;
    try {
      const now = Date.now();
      if (now - this.lastBeat >= heartbeatInterval) {
        const mine = await renewUploadLock(db, { uploadId: this.id, holder: this.holder, expiresAt: now + staleAfter });
        this.lastBeat = now;
        if (!mine) this.lose();
      }
      if (!this.releaseAsked && !this.lost && this.state === "held") {
        const row = await findUploadLock(db, this.id);
        if (!row || row.holder !== this.holder) this.lose();
        else if (row.release_requested_at !== null) this.askRelease();
      }
    } catch (error) {
      // SQLITE_BUSY past busy_timeout, or the database closing at shutdown: try again on the
      // next tick. If this goes on, the row expires and someone else may take the upload over;
      // this holder then finds out at its next successful beat.
      if (!isBusy(error)) console.error("upload lock heartbeat failed", this.id, error);
    }
    this.schedule(Date.now());
  }

  /** Someone else holds the row now: this request must stop, as it would if asked. */
  private lose() {
    this.lost = true;
    this.askRelease();
  }

  private askRelease() {
    if (this.releaseAsked) return;
    this.releaseAsked = true;
    const requestRelease = this.requestRelease;
    if (!requestRelease) return;
    try {
      void Promise.resolve(requestRelease()).catch((error: unknown) => console.error("upload lock: requestRelease failed", this.id, error));
    } catch (error) {
      console.error("upload lock: requestRelease failed", this.id, error);
    }
  }
}

/** Resolves after `ms`, or at once when `signal` aborts; leaves no timer nor listener behind. */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    timer.unref();
    signal.addEventListener("abort", done, { once: true });
  });
}

function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === "SQLITE_BUSY" || code === "SQLITE_LOCKED";
}

/**
 * A waiter's statement that met SQLITE_BUSY (another process held the write
 * lock past busy_timeout) did nothing, atomically: treat it as "not this time"
 * (null) and let the wait go on, bounded by its own timeout.
 */
async function retryBusy<T>(statement: () => Promise<T>): Promise<T | null> {
  try {
    return await statement();
  } catch (error) {
    if (isBusy(error)) return null;
    throw error;
  }
}
