import { defineConfig } from "vitest/config";

// Kept apart from vite.config.ts: the Remix plugin must not run under Vitest,
// and Playwright specs (tests/e2e) are not Vitest's to pick up.
export default defineConfig({
  test: {
    include: ["tests/unit/**/*.test.ts", "tests/integration/**/*.test.ts"],
    pool: "forks",
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // The built server is plain JavaScript for Node: loaded natively, not
    // through Vite's transform (its 800 KB chunk took seconds per test file to
    // transform, and every request ran slower through the module runner).
    server: { deps: { external: [/\/build\/server\//] } },
  },
});
