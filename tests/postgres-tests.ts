/**
 * The test files that run a second time on PostgreSQL (vitest.postgres.config.ts).
 * Every query module and every concurrency test is here; what stays SQLite's
 * alone tests SQLite itself (its file, its pragmas, its FTS5 index, a full disk).
 */
export const POSTGRES_TESTS = [
  // core
  "tests/integration/postgres-start.test.ts",
  "tests/integration/postgres-schema.test.ts",
  "tests/integration/postgres-outage.test.ts",
  "tests/integration/postgres-writers.test.ts",
  // search
  "tests/integration/search.test.ts",
  "tests/integration/search-access.test.ts",
  // files, wiki, blog
  // (SQLite's alone: upload-locker, whose fake-timer count would also see pg's pool timers of
  // idle connections; the locker across servers runs here as upload-locker-cluster.)
  "tests/integration/files-upload.test.ts",
  "tests/integration/files-download.test.ts",
  "tests/integration/files-trash.test.ts",
  "tests/integration/files-commands.test.ts",
  "tests/integration/files-s3.test.ts",
  "tests/integration/files-upload-disk.test.ts",
  "tests/integration/files-upload-race.test.ts",
  "tests/integration/files/integrity.server.test.ts",
  "tests/integration/files/usage.test.ts",
  "tests/integration/upload-locker-cluster.test.ts",
  "tests/integration/file-text.test.ts",
  "tests/integration/wiki-pages.test.ts",
  "tests/integration/wiki-tree.test.ts",
  "tests/integration/wiki-files.test.ts",
  "tests/integration/wiki-commands.test.ts",
  "tests/integration/wiki-rights.test.ts",
  "tests/integration/blog-commands.test.ts",
  "tests/integration/blog.test.ts",
  "tests/integration/blog-network.test.ts",
  "tests/integration/blog-trash.test.ts",
  "tests/integration/blog-schedule.test.ts",
  "tests/integration/comments.test.ts",
  "tests/integration/comments-commands.test.ts",
  "tests/integration/control-characters.test.ts",
  "tests/integration/share-links.test.ts",
  "tests/integration/data-export.test.ts",
  "tests/integration/data-export-large.test.ts",
  "tests/integration/data-export-s3.test.ts",
  "tests/integration/data-export-routes.test.ts",
  // workshops, people, accounts, authorization
  // (SQLite's alone: demo, which reads the SQLite file `npm run demo` fills; migrations,
  // migration-notification-owner and migration-notification-choices, which arrange and read
  // SQLite's own schema — PostgreSQL's is checked against it by postgres-schema.)
  "tests/integration/authorization.test.ts",
  "tests/integration/authorization-ids.test.ts",
  "tests/integration/audience.test.ts",
  "tests/integration/workshop-attendance.test.ts",
  "tests/integration/workshop-calendar.test.ts",
  "tests/integration/workshop-calendar-rights.test.ts",
  "tests/integration/workshop-commands.test.ts",
  "tests/integration/workshop-page.test.ts",
  "tests/integration/workshop-reminder-settings.test.ts",
  "tests/integration/workshop-materials.test.ts",
  "tests/integration/workshop-notes.test.ts",
  "tests/integration/workshop-registration.test.ts",
  "tests/integration/workshop-registration-race.test.ts",
  "tests/integration/workshop-reminders.test.ts",
  "tests/integration/workshops/*.test.ts",
  "tests/integration/asks.test.ts",
  "tests/integration/conversations*.test.ts",
  "tests/integration/contact-settings.test.ts",
  "tests/integration/notification-choices.test.ts",
  "tests/integration/notifications*.test.ts",
  "tests/integration/club-notifications.test.ts",
  "tests/integration/mail-reply.test.ts",
  "tests/integration/invitation-mail.test.ts",
  "tests/integration/digests.test.ts",
  "tests/integration/digest-mail.test.ts",
  "tests/integration/home.test.ts",
  "tests/integration/sessions.test.ts",
  "tests/integration/second-factor.test.ts",
  "tests/integration/passkeys.test.ts",
  "tests/integration/password-reset.test.ts",
  "tests/integration/admin-console.test.ts",
  "tests/integration/audit.test.ts",
  "tests/integration/account-deletion.test.ts",
  "tests/integration/account-recovery.test.ts",
  "tests/integration/accounts/*.test.ts",
  "tests/integration/members/*.test.ts",
  "tests/integration/spaces/*.test.ts",
  "tests/integration/people/*.test.ts",
  "tests/integration/invitations.test.ts",
  "tests/integration/join-requests.test.ts",
  "tests/integration/directory-hidden.test.ts",
  "tests/integration/jobs-scheduler.test.ts",
  "tests/integration/housekeeping.test.ts",
  "tests/integration/mail-outbox.test.ts",
  "tests/unit/db/prepared.test.ts",
  "tests/unit/utils/env.test.ts",
  // several servers
  "tests/integration/two-servers.test.ts",
  "tests/integration/servers-presence.test.ts",
  // db:copy: in the SQLite run only, where it already copies SQLite into PostgreSQL.
];

/**
 * Files about PostgreSQL itself or several servers on it: they start their own
 * databases whatever the run, so the SQLite run leaves them out (vitest.config.ts).
 */
export const POSTGRES_ONLY = [
  "tests/integration/postgres-start.test.ts",
  "tests/integration/postgres-schema.test.ts",
  "tests/integration/postgres-outage.test.ts",
  "tests/integration/two-servers.test.ts",
  "tests/integration/servers-presence.test.ts",
  "tests/integration/postgres-writers.test.ts",
];
