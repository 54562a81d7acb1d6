import { sql, type Kysely } from "kysely";
import { createTrigger, dropTrigger } from "./postgres.ts";

/**
 * The directory's in-memory index (app/people/directory-index.server.ts)
 * now also holds the spaces and each membership's role, so that a directory
 * view reads no space row: its club filter and counts come from the index.
 * These triggers raise the directory version when a space appears, goes, or
 * changes what the directory shows of it (name, address, who may read its
 * member list), and when a member's role changes. Raw SQL for the reason
 * 20261205_0100 gives: Kysely's schema builder has no triggers.
 */
const bump = "UPDATE directory_version SET version = version + 1 WHERE id = 1;";
const TRIGGERS = {
  directory_space_insert: `AFTER INSERT ON space`,
  directory_space_delete: `AFTER DELETE ON space`,
  directory_space_update: `AFTER UPDATE OF slug, name, kind, visibility, join_policy, archived_at ON space`,
  directory_space_member_role: `AFTER UPDATE OF role ON space_member`,
};

export async function up(db: Kysely<any>): Promise<void> {
  for (const [name, when] of Object.entries(TRIGGERS)) await createTrigger(db, name, when, bump);
  await sql.raw(bump).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const [name, when] of Object.entries(TRIGGERS)) await dropTrigger(db, name, when.split(" ON ")[1]);
}
