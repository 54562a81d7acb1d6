import os from "node:os";
import { defineConfig } from "vitest/config";
import { POSTGRES_TESTS } from "./tests/postgres-tests.ts";

// The second run of the suite (issue 21): the test files below, on PostgreSQL.
// Every test database is a fresh PostgreSQL database (tests/helpers/postgres.ts).
export default defineConfig({
  test: {
    include: POSTGRES_TESTS,
    pool: "forks",
    maxWorkers: Math.max(3, os.availableParallelism() - 1),
    testTimeout: 30_000,
    hookTimeout: 60_000,
    env: { CERCLE_TEST_DATABASE: "postgres" },
    globalSetup: ["tests/helpers/postgres-setup.ts"],
    server: { deps: { external: [/\/build\/server\//] } },
  },
});
