import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import type { CommentContentResult, ContentResult } from "./content.server.ts";
import type { ContentTask, TaskReply } from "./content-worker.ts";
import { documentOrEmpty } from "./document.ts";
import { inputText } from "./input.ts";

/**
 * Markdown conversion and rich-text checks run in worker threads, with a
 * time limit: a request waits for its answer without blocking the thread
 * that serves everyone else, and a job that overruns has its thread stopped
 * (its memory goes with it) and is refused as too complex.
 *
 * The limits on input (bytes, depth, nodes) come first and cost little; they
 * cannot bound the work by themselves, because Lexical's Markdown import is
 * quadratic in the length of a line (230 KB of links took 35 s) and a save
 * at the node limit takes seconds.
 */

export const WORK_LIMITS = {
  /**
   * Wall time of one job once a ready thread has taken it. A 1 MB page of
   * 4,000 links is checked in 1 to 8 s on a busy two-core machine; the
   * hostile imports of the issue would run for minutes.
   */
  timeMs: 10_000,
  /** Threads per server process: saves queue behind two slow jobs at most. */
  threads: 2,
  /** Heap of one thread: a document that needs more is refused, not the process. */
  heapMb: 256,
} as const;

/** The job overran its time or memory: the input asks for more work than we give one request. */
export class TooComplex extends Error {
  constructor(reason: string) {
    super(`content work refused: ${reason}`);
  }
}

/** The job threw (Lexical could not convert the input). */
export class TaskFailed extends Error {}

/**
 * The worker's file. In the build, `npm run build` bundles it as
 * build/server/content-worker.js, beside the server build's entry; this code
 * itself runs from one of Vite's chunks, in build/server/assets/, hence the
 * two places. From the sources (development, tests of the source) it is the
 * TypeScript file, loaded through tsx's API: Node 20 does not apply
 * `--import tsx` to a worker's own file. Names are built at run time so that
 * Vite leaves them alone.
 */
function startWorker(): Worker {
  // Lexical's packages name one file per build under the "production" and
  // "development" conditions; Node names neither by default, and their
  // default file loads both builds (README, Memory at rest).
  const build = process.env.NODE_ENV === "production" ? "production" : "development";
  const options = {
    resourceLimits: { maxOldGenerationSizeMb: WORK_LIMITS.heapMb },
    execArgv: [...process.execArgv, `--conditions=${build}`],
  };
  const name = ["content-worker", "js"].join(".");
  for (const place of [`./${name}`, `../${name}`]) {
    const built = new URL(place, import.meta.url);
    if (existsSync(fileURLToPath(built))) return new Worker(built, options);
  }
  const source = new URL(["./content-worker", "ts"].join("."), import.meta.url);
  if (!existsSync(fileURLToPath(source))) throw new Error(`${name} is missing beside ${fileURLToPath(import.meta.url)}: run npm run build`);
  // tsx's CommonJS entry registers through a path that does not exist; its ES module twin works.
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve("tsx/esm/api").replace(/\.cjs$/, ".mjs")).href;
  const boot = `import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(source.href)}); });`;
  return new Worker(boot, { ...options, eval: true });
}

interface Job {
  task: ContentTask;
  timeMs: number;
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

interface Thread {
  worker: Worker;
  ready: boolean;
  job: (Job & { id: number; timer: ReturnType<typeof setTimeout> }) | null;
}

const threads = new Set<Thread>();
const queue: Job[] = [];
let nextId = 1;
let jobsTaken = 0;

/**
 * Jobs handed to this process's pool since it started, whatever became of
 * them: lets a test see how many times a save had its content processed.
 */
export function jobsRun(): number {
  return jobsTaken;
}

const jobWatchers: Array<() => void> = [];

/**
 * Settles as the next job is handed to the pool, in a microtask, so before
 * its answer (a message from the thread) can arrive: lets a test change the
 * database while a save waits on its content, without racing the thread.
 */
export function nextJobTaken(): Promise<void> {
  return new Promise((resolve) => jobWatchers.push(resolve));
}

function spawn(): Thread {
  const worker = startWorker();
  const thread: Thread = { worker, ready: false, job: null };
  worker.on("message", (reply: TaskReply) => {
    if ("ready" in reply) {
      thread.ready = true;
      return dispatch();
    }
    const job = thread.job;
    if (!job || job.id !== reply.id) return;
    clearTimeout(job.timer);
    thread.job = null;
    if ("failure" in reply) job.reject(new TaskFailed(reply.failure));
    else job.resolve(reply.value);
    dispatch();
  });
  // Out of memory, or any other death: the job in hand is refused, the thread replaced on demand.
  // A thread that dies before it is ready is broken (a missing file): the
  // waiting jobs fail as errors of ours, and nothing is retried in a loop.
  const lost = (reason: string) => {
    if (!threads.delete(thread)) return;
    if (!thread.ready) {
      for (const job of queue.splice(0)) job.reject(new Error(`The content worker could not start: ${reason}`));
      return;
    }
    const job = thread.job;
    thread.job = null;
    if (job) {
      clearTimeout(job.timer);
      job.reject(new TooComplex(reason));
    }
    dispatch();
  };
  worker.on("error", (error) => lost(error.message));
  worker.on("exit", (code) => lost(`worker exited (${code})`));
  threads.add(thread);
  return thread;
}

function dispatch() {
  while (queue.length > 0) {
    const thread = [...threads].find((t) => t.ready && t.job === null);
    if (!thread) {
      // Threads still loading take the waiting jobs when ready; start more while the pool has room.
      let starting = [...threads].filter((t) => !t.ready).length;
      while (starting < queue.length && threads.size < WORK_LIMITS.threads) {
        spawn();
        starting++;
      }
      break;
    }
    const job = queue.shift()!;
    const id = nextId++;
    const timer = setTimeout(() => {
      // Stopping the thread is the only way to stop synchronous work; a new one starts for the next job.
      threads.delete(thread);
      thread.job = null;
      void thread.worker.terminate();
      job.reject(new TooComplex(`over ${job.timeMs} ms`));
      dispatch();
    }, job.timeMs);
    thread.job = { ...job, id, timer };
    thread.worker.ref();
    thread.worker.postMessage({ id, task: job.task });
  }
  // Idle threads do not keep the process alive (tests, scripts, shutdown); busy or loading ones do.
  for (const thread of threads) {
    if (thread.ready && thread.job === null) thread.worker.unref();
    else thread.worker.ref();
  }
}

function run<T>(task: ContentTask, timeMs: number = WORK_LIMITS.timeMs): Promise<T> {
  jobsTaken++;
  for (const watcher of jobWatchers.splice(0)) watcher();
  return new Promise<T>((resolve, reject) => {
    queue.push({ task, timeMs, resolve: resolve as (value: unknown) => void, reject });
    dispatch();
  });
}

/** processContent in a worker; a job over the time limit is refused as "too_complex". */
export async function checkContent(raw: string): Promise<ContentResult> {
  try {
    return await run<ContentResult>({ kind: "content", input: raw });
  } catch (error) {
    if (error instanceof TooComplex) return { ok: false, error: "too_complex" };
    throw error;
  }
}

/** A page's or an article's posted document (the empty one when none was posted), checked as above. */
export function checkDocument(raw: string | null | undefined): Promise<ContentResult> {
  return checkContent(documentOrEmpty(raw));
}

/**
 * processCommentContent in a worker, likewise. Input that is not text at all
 * is answered here (inputText), without loading Lexical on this thread.
 */
export async function checkCommentContent(raw: unknown): Promise<CommentContentResult> {
  const input = inputText(raw);
  if (typeof input !== "string") return { ok: false, ...input };
  try {
    return await run<CommentContentResult>({ kind: "comment", input });
  } catch (error) {
    if (error instanceof TooComplex) return { ok: false, error: "too_complex" };
    throw error;
  }
}

/** Markdown → Lexical JSON in a worker (still to be checked by checkContent). */
export async function convertMarkdown(markdown: string, timeMs?: number): Promise<{ ok: true; json: string } | { ok: false; error: "too_complex" | "malformed" }> {
  try {
    return { ok: true, json: await run<string>({ kind: "markdown", input: markdown }, timeMs) };
  } catch (error) {
    if (error instanceof TooComplex) return { ok: false, error: "too_complex" };
    if (error instanceof TaskFailed) return { ok: false, error: "malformed" };
    throw error;
  }
}

/** Stops the threads (shutdown); jobs still queued are refused. */
export async function stopContentWorkers() {
  for (const job of queue.splice(0)) job.reject(new TooComplex("shutting down"));
  await Promise.all([...threads].map((t) => t.worker.terminate()));
}
