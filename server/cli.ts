import { existsSync } from "node:fs";
import path from "node:path";
import { parseArgs, type ParseArgsConfig } from "node:util";
import type { DB } from "#db/client.ts";
import { migrator } from "#db/migrations/index.ts";
import type { Env } from "#app/utils/env.ts";

/**
 * What the maintenance commands (storage:check, backup, restore) share: how
 * a bad command line and a wrong setup are told apart from a failed run
 * (both exit 2, the first with the usage), their flags, and the checks that
 * DATA_DIR holds a database, migrated, before they touch anything.
 */

/** A command line the command cannot take: said with the usage. */
export class UsageError extends Error {}
/** The configuration or DATA_DIR stops the command before it starts. */
export class SetupError extends Error {}

/** The flags, strictly: an unknown flag or a positional argument is a UsageError, not a crash. */
export function flagsOf<O extends NonNullable<ParseArgsConfig["options"]>>(argv: string[], options: O) {
  try {
    return parseArgs({ args: argv, options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

/**
 * The network's database: its PostgreSQL URL (DATABASE_URL), or DATA_DIR's
 * database file, which must be there: opening one that is not would create
 * an empty network and pass for it.
 */
export function networkDatabase(env: Pick<Env, "dataDir" | "database">): string {
  return env.database.kind === "postgres" ? env.database.url : existingDatabase(env.dataDir);
}

/**
 * The SQLite file alone, for what copies that file (backup, restore): on
 * PostgreSQL the database is backed up by PostgreSQL's own tools.
 */
export function sqliteOnly(env: Pick<Env, "database">, command: string): void {
  if (env.database.kind === "postgres") {
    throw new SetupError(
      `${command} copies the SQLite file and the files it names; with DATABASE_URL the database is PostgreSQL's to back up (pg_dump, or base backups with WAL archiving) and the bucket its provider's (versioning, replication). See README, "Beyond one machine".`,
    );
  }
}

/** DATA_DIR's database file; opening one that is not there would create an empty network and pass for it. */
export function existingDatabase(dataDir: string): string {
  const dbFile = path.join(dataDir, "cercle.db");
  if (!existsSync(dbFile)) throw new SetupError(`No database at ${path.resolve(dbFile)}. Is DATA_DIR right?`);
  return dbFile;
}

/** Refuses a database with migrations pending: the command reads the current schema. */
export async function requireMigrated(db: DB, dbFile: string): Promise<void> {
  const pending = (await migrator(db).getMigrations()).filter((m) => m.executedAt === undefined);
  if (pending.length > 0) {
    throw new SetupError(`${dbFile} has ${pending.length} migration(s) pending (${pending.map((m) => m.name).join(", ")}). Run npm run db:migrate first.`);
  }
}
