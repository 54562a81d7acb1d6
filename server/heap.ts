import v8 from "node:v8";

/**
 * What the process holds once it has started (README, Memory at rest).
 *
 * V8's young generation starts at 1 MB per semi-space and doubles whenever
 * more than its size has survived since it last grew. Loading the app is
 * nothing but survivors (modules, code, catalogues, all kept for the life of
 * the process), so start-up alone took it to its 16 MB ceiling: 32 MB of
 * mostly empty semi-spaces, ~20 MB resident, which V8 only gives back after
 * half a minute or more without work. Its growth is held while the app loads and
 * given back (holdYoungGeneration's return) once the process serves, so under
 * requests it grows as V8 decides — throughput as before (bench:wiki).
 *
 * The limit itself (--max-semi-space-size) is fixed when V8 starts, which
 * `node build/server.js` does before any line of ours runs; the growth factor
 * is read at each growth, so v8.setFlagsFromString can change it here. Only
 * 1 (no growth) and V8's default 2 are used: 0 crashes V8.
 */
export function holdYoungGeneration(): () => void {
  v8.setFlagsFromString("--semi-space-growth-factor=1");
  return () => v8.setFlagsFromString("--semi-space-growth-factor=2");
}
