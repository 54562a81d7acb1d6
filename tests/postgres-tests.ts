/**
 * The test files that run a second time on PostgreSQL (vitest.postgres.config.ts).
 * Every query module and every concurrency test is here; what stays SQLite's
 * alone tests SQLite itself (its file, its pragmas, its FTS5 index, a full disk).
 */
export const POSTGRES_TESTS = [
  // core
  "tests/integration/postgres-start.test.ts",
  "tests/integration/postgres-schema.test.ts",
  // search
  // files, wiki, blog
  // workshops, people, accounts, authorization
  // several servers
  "tests/integration/two-servers.test.ts",
  "tests/integration/servers-presence.test.ts",
  // db:copy
  "tests/integration/db-copy.test.ts",
];
