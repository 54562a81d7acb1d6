import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Worker, type WorkerOptions } from "node:worker_threads";
import type { ExtractLimits, ExtractResult } from "./text-extract.ts";

/**
 * Text extraction in a worker thread of its own per file, bounded in wall
 * time and heap: a document that makes pdf.js loop or allocate without end
 * is given up ("timeout", "memory") and its thread goes with its memory.
 * Files come one at a time from the background job (file-text.server.ts),
 * so a thread per file costs little and leaves nothing behind.
 */

export const THREAD_LIMITS = {
  /** A 300-page PDF reads in a few seconds on a busy two-core machine; past this it is hostile or hopeless. */
  timeMs: 30_000,
  /** pdf.js on a large real document stays well under this. */
  heapMb: 256,
  /** Buffers (what pdf.js inflates), which the heap limit leaves out. */
  bufferMb: 512,
};

/**
 * The worker's file: build/server/text-extract-worker.js in the build (beside
 * the entry, or one folder up from Vite's chunks), the TypeScript source
 * through tsx's API otherwise — as app/editor/content-pool.server.ts does,
 * for the same reasons.
 */
function startWorker(options: WorkerOptions): Worker {
  const name = ["text-extract-worker", "js"].join(".");
  for (const place of [`./${name}`, `../${name}`]) {
    const built = new URL(place, import.meta.url);
    if (existsSync(fileURLToPath(built))) return new Worker(built, options);
  }
  const source = new URL(["./text-extract-worker", "ts"].join("."), import.meta.url);
  if (!existsSync(fileURLToPath(source))) throw new Error(`${name} is missing beside ${fileURLToPath(import.meta.url)}: run npm run build`);
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve("tsx/esm/api").replace(/\.cjs$/, ".mjs")).href;
  const boot = `import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(source.href)}); });`;
  return new Worker(boot, { ...options, eval: true });
}

export function extractInWorker(
  input: { bytes: Uint8Array; contentType: string; name: string },
  limits: Partial<ExtractLimits> & { timeMs?: number; heapMb?: number; bufferMb?: number } = {},
): Promise<ExtractResult> {
  const { timeMs = THREAD_LIMITS.timeMs, heapMb = THREAD_LIMITS.heapMb, bufferMb = THREAD_LIMITS.bufferMb, ...extract } = limits;
  return new Promise((resolve) => {
    const worker = startWorker({
      workerData: { ...input, limits: extract, maxBufferMb: bufferMb },
      resourceLimits: { maxOldGenerationSizeMb: heapMb, maxYoungGenerationSizeMb: 32 },
    });
    let settled = false;
    const settle = (result: ExtractResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker.terminate();
      resolve(result);
    };
    // The clock starts with the thread: loading pdf.js is part of what a file may cost.
    const timer = setTimeout(() => settle({ ok: false, reason: "timeout" }), timeMs);
    worker.on("message", (result: ExtractResult) => settle(result));
    worker.on("error", (error) => settle({ ok: false, reason: /memory/i.test(error.message) || (error as { code?: string }).code === "ERR_WORKER_OUT_OF_MEMORY" ? "memory" : "malformed" }));
    worker.on("exit", () => settle({ ok: false, reason: "malformed" }));
  });
}
