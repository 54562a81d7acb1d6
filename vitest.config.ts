import { defineConfig } from "vitest/config";

// Kept apart from vite.config.ts: the Remix plugin must not run under Vitest,
// and Playwright specs (tests/e2e) are not Vitest's to pick up.
export default defineConfig({
  test: {
    include: ["tests/unit/**/*.test.ts", "tests/integration/**/*.test.ts"],
    pool: "forks",
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
