import { createRequire } from "node:module";
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

/**
 * When an ES module imports a CommonJS package, Node 20 reads the files the
 * package's entry re-exports to learn their names, and keeps each source in a
 * cache tied to a module record it files in require.cache but never runs.
 * React's entries re-export their production or development build depending
 * on NODE_ENV, so Node reads both and keeps the development one: 2.2 MB of
 * source (react-dom.development.js alone is 2 MB in memory) nobody runs.
 * Those records are the ones never loaded; once the app has loaded, no
 * require is under way, and dropping them lets the sources go. A later
 * require of such a file would only read it again.
 */
export function dropUnloadedModuleRecords(): number {
  const cache = createRequire(import.meta.url).cache;
  let dropped = 0;
  for (const [file, record] of Object.entries(cache)) {
    if (record && !record.loaded) {
      delete cache[file];
      dropped += 1;
    }
  }
  return dropped;
}
