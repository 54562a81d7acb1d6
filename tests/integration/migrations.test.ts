import { NO_MIGRATIONS } from "kysely";
import { afterEach, beforeEach, expect, test } from "vitest";
import { migrations, migrateToLatest, migrator } from "#db/migrations/index.ts";
import type { Database } from "#db/schema.ts";
import { tempDatabase } from "#tests/helpers/db.ts";

// Every table the Database interface declares (typecheck fails if one is missing here):
// the migrations must create exactly these.
const DECLARED: Record<keyof Database, true> = {
  network: true,
  setup_token: true,
  digest: true,
  signing_key: true,
  reply_address: true,
  share_link: true,
  totp_factor: true,
  recovery_code: true,
  sign_in_challenge: true,
  passkey: true,
  webauthn_challenge: true,
  data_export: true,
  backup_run: true,
  user: true,
  user_skill: true,
  user_block: true,
  ask: true,
  ask_skill: true,
  ask_thanks: true,
  conversation: true,
  conversation_member: true,
  message: true,
  contact_request: true,
  conversation_report: true,
  report_message: true,
  directory_version: true,
  session: true,
  password_reset: true,
  sign_in_attempt: true,
  known_device: true,
  space: true,
  space_member: true,
  invitation: true,
  join_request: true,
  activity: true,
  audit_log: true,
  page: true,
  page_revision: true,
  page_link: true,
  page_alias: true,
  wiki_image: true,
  folder: true,
  file: true,
  file_version: true,
  upload: true,
  upload_lock: true,
  page_file: true,
  post: true,
  post_revision: true,
  post_tag: true,
  post_file: true,
  comment: true,
  comment_mention: true,
  notification: true,
  mail_outbox: true,
  job_run: true,
  app_server: true,
  workshop: true,
  workshop_facilitator: true,
  workshop_registration: true,
  workshop_attendance: true,
  workshop_material: true,
  workshop_reminder: true,
  file_text: true,
  search_doc: true,
  search_fts: true,
  search_title: true,
  search_dirty: true,
  notification_choice: true,
  club_notification_level: true,
};
const TABLES = Object.keys(DECLARED);

let database: Awaited<ReturnType<typeof tempDatabase>>;
beforeEach(async () => {
  database = await tempDatabase();
});
afterEach(() => database?.remove());

/** Tables, less SQLite's and Kysely's own and the shadow tables FTS5 keeps behind search_fts and search_title. */
function appTables(): string[] {
  const rows = database.sqlite
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'kysely_%' AND name NOT LIKE 'search_fts_%' AND name NOT LIKE 'search_title_%' ORDER BY name")
    .all() as Array<{ name: string }>;
  return rows.map((r) => r.name);
}

function indexes(): string[] {
  const rows = database.sqlite
    .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    .all() as Array<{ name: string }>;
  return rows.map((r) => r.name);
}

test("the migration list is in time order and names follow YYYYMMDD_HHMM_what", () => {
  const names = Object.keys(migrations);
  expect(names.length).toBeGreaterThan(0);
  expect([...names].sort()).toEqual(names);
  for (const name of names) expect(name).toMatch(/^\d{8}_\d{4}_[a-z0-9_]+$/);
});

test("up to latest creates every table of the schema; a second run does nothing", async () => {
  const applied = await migrateToLatest(database.db);
  expect(applied).toEqual(Object.keys(migrations));
  expect(appTables()).toEqual([...TABLES].sort());
  expect(await migrateToLatest(database.db)).toEqual([]);
});

test("down to zero removes every table and index; up again brings them back", async () => {
  await migrateToLatest(database.db);
  const indexesAtLatest = indexes();
  expect(indexesAtLatest.length).toBeGreaterThan(0);

  const down = await migrator(database.db).migrateTo(NO_MIGRATIONS);
  expect(down.error).toBeUndefined();
  expect(down.results?.map((r) => [r.migrationName, r.direction, r.status])).toEqual(
    Object.keys(migrations)
      .reverse()
      .map((name) => [name, "Down", "Success"]),
  );
  expect(appTables()).toEqual([]);
  expect(indexes()).toEqual([]);

  const up = await migrator(database.db).migrateToLatest();
  expect(up.error).toBeUndefined();
  expect(appTables()).toEqual([...TABLES].sort());
  expect(indexes()).toEqual(indexesAtLatest);
});

test("each migration can be undone one step at a time", async () => {
  await migrateToLatest(database.db);
  const m = migrator(database.db);
  for (let i = Object.keys(migrations).length; i > 0; i--) {
    const { error, results } = await m.migrateDown();
    expect(error).toBeUndefined();
    expect(results).toHaveLength(1);
  }
  expect(appTables()).toEqual([]);
  const { results } = await m.migrateDown();
  expect(results).toEqual([]);
});

test("after migrating, columns have their defaults and constraints are enforced", async () => {
  await migrateToLatest(database.db);
  const now = Date.now();
  // Raw SQL: the columns left out must take their defaults.
  const insertUser = database.sqlite.prepare(
    "INSERT INTO user (id, email, display_name, password_hash, created_at, updated_at) VALUES (?, ?, ?, 'x', ?, ?)",
  );
  insertUser.run("u1", "a@example.test", "A", now, now);
  const user = await database.db.selectFrom("user").selectAll().where("id", "=", "u1").executeTakeFirstOrThrow();
  expect(user).toMatchObject({ is_network_admin: 0, headline: "", bio: "", skills: "[]", region: "", locale: null, sponsor_id: null });

  expect(() => insertUser.run("u2", "a@example.test", "B", now, now)).toThrow(/UNIQUE/);
  expect(() =>
    database.sqlite
      .prepare("INSERT INTO session (id, user_id, secret_hash, created_at, last_seen_at) VALUES ('s1', 'nobody', x'00', ?, ?)")
      .run(now, now),
  ).toThrow(/FOREIGN KEY/);

  // Deleting a user takes their sessions with them.
  database.sqlite
    .prepare("INSERT INTO session (id, user_id, secret_hash, created_at, last_seen_at) VALUES ('s1', 'u1', x'00', ?, ?)")
    .run(now, now);
  await database.db.deleteFrom("user").where("id", "=", "u1").execute();
  expect(await database.db.selectFrom("session").selectAll().execute()).toEqual([]);
});

test("moving to the one outbox keeps every notification mail still to send, with its attempts; the others stay behind", async () => {
  const m = migrator(database.db);
  const { error } = await m.migrateTo("20261204_0920_known_device");
  expect(error).toBeUndefined();
  const now = Date.now();
  // Raw SQL: these are the tables as they were before the outbox (the Database interface no longer knows mail_state).
  const run = (text: string, ...args: unknown[]) => database.sqlite.prepare(text).run(...args);
  run("INSERT INTO user (id, email, display_name, password_hash, created_at, updated_at) VALUES ('u1', 'bob@example.test', 'Bob', 'x', ?, ?)", now, now);
  // The space and comment they name do not matter here: only the user's address moves with the mail.
  database.sqlite.pragma("foreign_keys = OFF");
  const notify = run.bind(null, "INSERT INTO notification (id, user_id, kind, space_id, comment_id, actor_id, created_at, mail_state, mail_attempts) VALUES (?, 'u1', 'mention', 's1', 'c1', 'u1', ?, ?, ?)");
  notify("n-pending", now - 5_000, "pending", 2);
  notify("n-sent", now - 4_000, "sent", 1);
  notify("n-none", now - 3_000, "none", 0);
  notify("n-failed", now - 2_000, "failed", 5);
  database.sqlite.pragma("foreign_keys = ON");

  // Up to the migrations this test is about: later ones have tests of their own.
  const moved = await m.migrateTo("20261204_0940_upload_activity");
  expect(moved.error).toBeUndefined();
  expect(moved.results?.map((r) => r.migrationName)).toEqual(["20261204_0930_mail_outbox", "20261204_0940_upload_activity"]);
  const rows = await database.db.selectFrom("mail_outbox").selectAll().execute();
  expect(rows).toEqual([
    {
      id: "n-pending",
      recipient: "bob@example.test",
      payload: null,
      notification_id: "n-pending",
      invitation_id: null,
      state: "pending",
      attempts: 2,
      created_at: now - 5_000,
      claimed_at: null,
      sent_at: null,
      last_error: null,
    },
  ]);
  // The notifications themselves are all still there.
  expect((await database.db.selectFrom("notification").select("id").orderBy("id").execute()).map((n) => n.id)).toEqual(["n-failed", "n-none", "n-pending", "n-sent"]);
});
