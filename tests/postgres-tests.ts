/**
 * The test files that run a second time on PostgreSQL (vitest.postgres.config.ts).
 * Every query module and every concurrency test is here; what stays SQLite's
 * alone tests SQLite itself (its file, its pragmas, its FTS5 index, a full disk).
 */
export const POSTGRES_TESTS = [
  "tests/integration/wiki-commands.test.ts",
];
