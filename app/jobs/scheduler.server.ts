import { hostname } from "node:os";
import { randomBytes } from "node:crypto";
import type { DB } from "#db/client.ts";
import { claimRun, deleteRunsBefore, finishRun, runningElsewhere } from "#db/queries/job-runs.ts";
import { STALE_MS } from "#app/servers/presence.server.ts";
import { logRecord } from "#app/utils/log.ts";

/**
 * The primary's periodic work (publishing, mail retries, housekeeping; soon
 * reminders and digests), each registered once by name with an interval and
 * a function. A job's time is cut into slots of its interval (slot =
 * floor(time / interval)); a run is claimed in the database before it starts
 * (db/queries/job-runs.ts: the insert of (name, slot) is the claim), so
 * however many processes run a scheduler on one database, and across
 * restarts, each slot runs at most once — exactly once while one of them
 * lives. A run whose process dies is not taken up again: the job's next slot
 * does the work (every job here is a sweep of what is due, so nothing is
 * lost, only later). A run that outlasts its interval makes the job skip the
 * slots it overlapped, never run twice at once — across servers too (issue 21:
 * several servers on one PostgreSQL database), as long as the server of the
 * run under way still beats (app/servers/presence.server.ts); once it stops,
 * the job is another server's at its next slot.
 *
 * Each run's start, finish and failure are logged as structured lines
 * (app/utils/log.ts, logRecord) with its duration. By default only failures
 * and runs slower than SLOW_MS reach the console: a job every 15 seconds
 * would otherwise fill it with eight lines a minute, and the server's log
 * stays what it was (every run is in job_run anyway, with its times and error).
 * stop() clears the timers and waits for the runs under way, so the database
 * closes after them.
 */

export interface Job {
  name: string;
  everyMs: number;
  /** The first run, that long after start (in the slot then current); by default at the next slot's beginning. */
  firstAfterMs?: number;
  run: (at: { now: number; slot: number }) => Promise<unknown>;
}

export type RunOutcome = "ran" | "failed" | "taken";

export interface SchedulerOptions {
  db: () => DB;
  /** Who claims: by default host, pid and a random part (a restart gets a new pid, or a new random part). */
  by?: string;
  now?: () => number;
  /** Every start and finish line; by default only finishes slower than SLOW_MS, on the console. */
  log?: (line: string) => void;
  logError?: (line: string) => void;
}

/** A run slower than this is worth a line in the console even when all goes well. */
const SLOW_MS = 1000;

/** Runs older than this many slots of their job are deleted: only a record. */
const KEPT_SLOTS = 100;

/** How long from `t` to the start of the job's next slot. */
const untilNextSlot = (everyMs: number, t: number) => everyMs - (t % everyMs);

function errorText(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).slice(0, 500);
}

export function createScheduler(options: SchedulerOptions) {
  const by = options.by ?? `${hostname()}:${process.pid}:${randomBytes(4).toString("hex")}`;
  const now = options.now ?? Date.now;
  const log = options.log ?? null;
  const logError = options.logError ?? ((line: string) => console.error(line));
  const jobs = new Map<string, Job>();
  const timers = new Map<string, NodeJS.Timeout>();
  const running = new Set<Promise<unknown>>();
  let started = false;
  let stopped = false;

  /** Claims the slot of `at` for the job, runs it if the claim is ours, records the end. */
  async function runSlot(name: string, at = now()): Promise<RunOutcome> {
    const job = jobs.get(name);
    if (!job) throw new Error(`No job named ${name}`);
    const db = options.db();
    const slot = Math.floor(at / job.everyMs);
    // Another server is still on an earlier slot: this one is skipped, as one process skips the slots its own long run overlaps.
    // (Wall-clock time: servers' beats are, whatever `now` a test gives the scheduler.)
    if (await runningElsewhere(db, { name, by, seenSince: Date.now() - STALE_MS })) return "taken";
    if (!(await claimRun(db, { name, slot, by, now: at }))) return "taken";
    const begin = performance.now();
    log?.(logRecord("job.start", { job: name, slot, by }));
    let error: string | null = null;
    try {
      await job.run({ now: at, slot });
    } catch (failure) {
      error = errorText(failure);
    }
    const ms = Math.round(performance.now() - begin);
    await finishRun(db, { name, slot, by, now: now(), error });
    if (error !== null) logError(logRecord("job.fail", { job: name, slot, ms, error }));
    else if (log) log(logRecord("job.finish", { job: name, slot, ms }));
    else if (ms >= SLOW_MS) console.log(logRecord("job.finish", { job: name, slot, ms }));
    await deleteRunsBefore(db, name, slot - KEPT_SLOTS);
    return error === null ? "ran" : "failed";
  }

  function schedule(job: Job, delayMs: number) {
    if (stopped) return;
    const timer = setTimeout(() => {
      timers.delete(job.name);
      const run = runSlot(job.name)
        // The claim or its record failed (the database busy or closing): the next slot tries again.
        .catch((error: unknown) => logError(logRecord("job.fail", { job: job.name, error: errorText(error) })))
        .finally(() => {
          running.delete(run);
          schedule(job, untilNextSlot(job.everyMs, now()));
        });
      running.add(run);
    }, Math.max(0, delayMs));
    timer.unref();
    timers.set(job.name, timer);
  }

  return {
    by,
    register(job: Job) {
      if (jobs.has(job.name)) throw new Error(`A job named ${job.name} is already registered`);
      if (!(job.everyMs > 0)) throw new Error(`Job ${job.name} needs an interval`);
      jobs.set(job.name, job);
      if (started) schedule(job, job.firstAfterMs ?? untilNextSlot(job.everyMs, now()));
    },
    /** Starts the timers of every job registered, and of those registered later. */
    start() {
      if (started) return;
      started = true;
      const t = now();
      for (const job of jobs.values()) schedule(job, job.firstAfterMs ?? untilNextSlot(job.everyMs, t));
    },
    runSlot,
    /** Clears the timers and waits for the runs under way. */
    async stop() {
      stopped = true;
      for (const timer of timers.values()) clearTimeout(timer);
      timers.clear();
      while (running.size > 0) await Promise.allSettled([...running]);
    },
  };
}

export type Scheduler = ReturnType<typeof createScheduler>;
