import { parentPort, workerData } from "node:worker_threads";
import { extractText, type ExtractLimits } from "./text-extract.ts";

/**
 * One extraction in a thread of its own (text-extract-pool.server.ts): the
 * pool stops the thread when it overruns its time, and the thread's heap
 * limit stops a document that asks for too much memory; either way the
 * server's own thread never runs the parser. Built on its own by
 * `npm run build` (build/server/text-extract-worker.js).
 */
const { bytes, contentType, name, limits } = workerData as { bytes: Uint8Array; contentType: string; name: string; limits: Partial<ExtractLimits> };

extractText({ bytes, contentType, name }, limits).then(
  (result) => parentPort!.postMessage(result),
  () => parentPort!.postMessage({ ok: false, reason: "malformed" }),
);
