import os from "node:os";
import { configDefaults, defineConfig } from "vitest/config";
import { POSTGRES_ONLY } from "./tests/postgres-tests.ts";

// Kept apart from vite.config.ts: the Remix plugin must not run under Vitest,
// and Playwright specs (tests/e2e) are not Vitest's to pick up.
export default defineConfig({
  test: {
    include: ["tests/unit/**/*.test.ts", "tests/integration/**/*.test.ts"],
    // Those run once, in the PostgreSQL run (vitest.postgres.config.ts).
    exclude: [...configDefaults.exclude, ...POSTGRES_ONLY],
    pool: "forks",
    // Vitest's default (one fewer than the cores) is one file at a time on a
    // 2-core machine, while most integration files wait on servers, sockets
    // and timers: three at once ran the suite in 224 s instead of 319 s there
    // (two: 240 s), every test passing.
    maxWorkers: Math.max(3, os.availableParallelism() - 1),
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // The built server is plain JavaScript for Node: loaded natively, not
    // through Vite's transform (its 800 KB chunk took seconds per test file to
    // transform, and every request ran slower through the module runner).
    server: { deps: { external: [/\/build\/server\//] } },
  },
});
