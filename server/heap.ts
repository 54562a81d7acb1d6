import type { IncomingMessage } from "node:http";
import v8 from "node:v8";

/**
 * V8's young generation starts at 1 MB per semi-space and doubles whenever
 * more than its size has survived since it last grew, up to 16 MB (32 MB for
 * the pair). Loading the app is nothing but survivors (modules, code,
 * catalogues, all kept for the life of the process), so start-up alone grew
 * it: to the ceiling before the server build was slimmed, to 16 MB after
 * (~12 MB resident, 3–5 MB of it in use), and V8 gives that back only after
 * a long idle spell (45 s in one run here, not within a minute in another).
 * Its growth is held while the app loads and boots, and allowed again
 * (holdYoungGeneration's return) at the first request that is not a health
 * probe (releaseAtFirstVisit): under requests it grows as V8 decides, so
 * throughput is as before (bench:wiki). Released at boot's end instead, it
 * grew in about two starts out of five with no request at all: V8 counts
 * what survived since it last grew, boot leaves that count anywhere below
 * the threshold, and the idle-time scavenge V8 runs just after boot tipped
 * it over. A primary that forks workers serves nothing, so it stays held.
 * Held, it stays at the 8 MB that the packages server.js imports before
 * any line of ours runs grew it to: 5–9 MB less resident per process
 * (README, Memory at rest).
 *
 * The ceiling itself (--max-semi-space-size) is fixed when V8 starts, which
 * `node build/server.js` does before our code runs; the growth factor is
 * read at each growth, so v8.setFlagsFromString can change it here. Only 1
 * (no growth) and V8's default 2 are used: 0 crashes V8. The flag is the
 * process's, so it applies to any worker thread too: none starts at boot.
 */
export function holdYoungGeneration(): () => void {
  v8.setFlagsFromString("--semi-space-growth-factor=1");
  return () => v8.setFlagsFromString("--semi-space-growth-factor=2");
}

/**
 * A request listener that calls `release` once, at the first request other
 * than GET /healthz: load balancers probe an idle process every few seconds,
 * and such a probe allocates too little to need a larger young generation.
 */
export function releaseAtFirstVisit(release: () => void): (request: IncomingMessage) => void {
  let held = true;
  return (request) => {
    if (!held || request.url === "/healthz" || request.url?.startsWith("/healthz?")) return;
    held = false;
    release();
  };
}
