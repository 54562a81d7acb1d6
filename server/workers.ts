import os from "node:os";

/** What one idle worker process holds, with room to serve (README, Memory). */
export const WORKER_BUDGET_BYTES = 150 * 1024 * 1024;

/**
 * How many worker processes to run when WEB_CONCURRENCY is not set: one per
 * core (rendering is CPU work, a process uses one core), but no more than a
 * quarter of the memory available at start can hold at WORKER_BUDGET_BYTES
 * each, so a small machine shared with a database, a proxy or a mail server
 * is not crowded out; at least one. The memory is the smaller of what the
 * system has available and the container's limit, when there is one.
 */
export function defaultWorkers(machine: { cores: number; availableBytes: number; limitBytes?: number }): number {
  const memory = machine.limitBytes && machine.limitBytes > 0 ? Math.min(machine.availableBytes, machine.limitBytes) : machine.availableBytes;
  const byMemory = Math.floor((memory * 0.25) / WORKER_BUDGET_BYTES);
  return Math.max(1, Math.min(machine.cores, byMemory));
}

/** This machine, as defaultWorkers() needs it. */
export function thisMachine() {
  return {
    cores: os.availableParallelism(),
    // MemAvailable on Linux (libuv), not MemFree: the page cache can be given back.
    availableBytes: os.freemem(),
    // A cgroup's memory limit (Node 19.6+); 0 or a huge number when there is none.
    limitBytes: process.constrainedMemory?.() ?? 0,
  };
}
