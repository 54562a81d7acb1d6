import { parentPort, workerData } from "node:worker_threads";
import { extractText, type ExtractLimits } from "./text-extract.ts";

/**
 * One extraction in a thread of its own (text-extract-pool.server.ts): the
 * pool stops the thread when it overruns its time, and the thread's heap
 * limit stops a document that asks for too much memory; either way the
 * server's own thread never runs the parser. Built on its own by
 * `npm run build` (build/server/text-extract-worker.js).
 */
const { bytes, contentType, name, limits, maxBufferMb } = workerData as { bytes: Uint8Array; contentType: string; name: string; limits: Partial<ExtractLimits>; maxBufferMb: number };

/**
 * The heap limit does not count ArrayBuffers, and pdf.js keeps every byte it
 * inflates from a stream in them: a 4 MB PDF whose page inflates to 4 GB grew
 * the process by 150 MB a second until the time limit. pdf.js yields to
 * timers as it works, so a watch every 100 ms sees this thread's buffers
 * and stops it past the limit (a 4 GB bomb stopped at 4.6 s, 684 MB at most).
 */
const watch = setInterval(() => {
  if (process.memoryUsage().arrayBuffers > maxBufferMb * 1024 * 1024) {
    parentPort!.postMessage({ ok: false, reason: "memory" });
    process.exit(1);
  }
}, 100);
watch.unref();

extractText({ bytes, contentType, name }, limits).then(
  (result) => parentPort!.postMessage(result),
  () => parentPort!.postMessage({ ok: false, reason: "malformed" }),
);
