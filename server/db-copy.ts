import "./load-env.ts";
import { isPostgresUrl, openDatabase, type OpenedDatabase } from "#db/client.ts";
import { copyDatabase, networkTablesWithRows, SchemaMismatch, TargetNotEmpty, type TableCopy } from "#db/copy.ts";
import { migrateToLatest } from "#db/migrations/index.ts";
import { postgresProblem } from "#db/postgres.ts";
import { workThroughBacklog } from "#app/search/indexing.server.ts";
import { EnvError, getEnv } from "#app/utils/env.server.ts";
import { existingDatabase, flagsOf, requireMigrated, SetupError, UsageError } from "./cli.ts";

/**
 * `npm run db:copy -- --to postgres://…`: the network in DATA_DIR's SQLite
 * file copied into an empty PostgreSQL database, for a network that moves to
 * several application servers (db/copy.ts says how, and why it is all or
 * nothing). The target is checked, migrated, filled, verified (row counts of
 * every table, a sample of rows column by column), then its search index is
 * built. Stop Cercle first: what it writes after the copy starts stays in
 * the SQLite file only.
 *
 * Exit code: 0 copied and verified, 1 the copy failed or did not match (the
 * target is left empty, nothing committed), 2 it could not run (usage,
 * configuration, a source not migrated, a target unreachable, unsuitable or
 * already holding a network).
 */

const USAGE = `Usage: npm run db:copy -- --to postgres://USER:PASSWORD@HOST:PORT/DATABASE [--index-later]

  --to URL          the PostgreSQL database to fill: empty (or only migrated), UTF8 and sorting
                    by code point (createdb --encoding=UTF8 --locale=C.UTF-8 --template=template0)
  --index-later     do not build the search index at the end: the servers' background job does,
                    and search finds things only as it goes

Copies DATA_DIR's SQLite database (migrated to the latest: npm run db:migrate). Stop Cercle first.
Exit code: 0 copied and verified, 1 the copy failed or did not match (nothing is left in the target),
2 it could not run (or the target already holds a network).`;

function readFlags(argv: string[]) {
  const v = flagsOf(argv, {
    to: { type: "string" },
    "index-later": { type: "boolean", default: false },
    help: { type: "boolean", short: "h", default: false },
  });
  if (v.help) return { help: true as const };
  if (!v.to) throw new UsageError("--to URL is required: the PostgreSQL database to copy into.");
  if (!isPostgresUrl(v.to)) throw new UsageError(`--to must be a postgres:// URL (got "${redact(v.to)}").`);
  return { help: false as const, to: v.to, indexLater: Boolean(v["index-later"]) };
}

const opened: OpenedDatabase[] = [];

async function main(): Promise<number> {
  const flags = readFlags(process.argv.slice(2));
  if (flags.help) {
    console.log(USAGE);
    return 0;
  }
  const env = getEnv();
  const dbFile = existingDatabase(env.dataDir);
  const source = openDatabase(dbFile);
  opened.push(source);
  await requireMigrated(source.db, dbFile).catch((error: unknown) => {
    // db:migrate migrates the database DATABASE_URL names, when it is set: not this file.
    if (error instanceof SetupError && env.database.kind === "postgres") throw new SetupError(`${error.message.replace(/\.$/, "")}, with DATABASE_URL unset.`);
    throw error;
  });

  const target = openDatabase(flags.to);
  opened.push(target);
  const where = redact(flags.to);
  const problem = await postgresProblem(target.db);
  if (problem) throw new SetupError(problem.replace(/^DATABASE_URL: /, `--to ${where}: `));
  // Before migrating: a database in use by another Cercle is not to be touched at all.
  await refuseTaken(target, where);
  const applied = await migrateToLatest(target.db).catch((error: unknown) => {
    throw new SetupError(`--to ${where}: ${error instanceof Error ? error.message : String(error)}`);
  });
  if (applied.length > 0) say(`Migrated ${where} (${applied.length} migrations).`);

  say(`Copying ${dbFile} into ${where}…`);
  const started = performance.now();
  let result;
  try {
    result = await copyDatabase(source.db, target.db, { onProgress: progressPrinter() });
  } catch (error) {
    if (error instanceof TargetNotEmpty) throw new SetupError(`--to ${where}: ${error.message}; db:copy fills an empty database only.`);
    if (error instanceof SchemaMismatch) throw new SetupError(`Cannot copy: ${error.message}`);
    console.error(`Copy FAILED: ${error instanceof Error ? error.message : String(error)}\nNothing was committed: ${where} holds no network.`);
    return 1;
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  if (!result.ok) {
    const lines = [`Copy FAILED its verification: ${result.differences.length} difference(s) between SQLite and PostgreSQL:`];
    for (const d of result.differences.slice(0, 50)) lines.push(`  ${d}`);
    if (result.differences.length > 50) lines.push(`  … and ${result.differences.length - 50} more`);
    lines.push(`Nothing was committed: ${where} holds no network.`);
    console.error(lines.join("\n"));
    return 1;
  }

  let indexed = "";
  if (flags.indexLater) indexed = `left to the servers' background job (${result.searchBacklog} things to index)`;
  else {
    say(`Building the search index (${result.searchBacklog} things)…`);
    let shown = 0;
    const { done } = await workThroughBacklog(target.db, {
      onBatch: (n, left) => {
        if (n - shown >= 5000 || left === 0) {
          shown = n;
          say(`  indexed ${n} — ${left} to go`);
        }
      },
    });
    indexed = `built (${done} things)`;
  }

  const files =
    env.storage.driver === "s3"
      ? `Stored files: not in the database; they stay in bucket "${env.storage.bucket}", which every server reads.`
      : `Stored files are not in the database and were not copied: they are under ${env.dataDir}/files. Several servers\n` +
        `  need them in shared storage: move them to S3 (STORAGE_DRIVER=s3) before pointing more than one server at PostgreSQL.`;
  console.log(
    [
      `Copied and verified: ${result.rows} rows in ${result.tables.length} tables, in ${seconds} s, into ${where}`,
      `  verified      row counts of every table; ${result.sampled} rows compared column by column`,
      `  search index  ${indexed}`,
      `  ${files}`,
      `Next: set DATABASE_URL to this database on every server, and start them. ${dbFile} is left as it was.`,
    ].join("\n"),
  );
  return 0;
}

async function refuseTaken(target: OpenedDatabase, where: string) {
  const taken = await networkTablesWithRows(target.db);
  if (taken.length > 0) {
    throw new SetupError(`--to ${where}: the database already holds a network (rows in ${taken.join(", ")}); db:copy fills an empty database only.`);
  }
}

/** Progress on stderr, as the other maintenance commands: a line per table, and every few seconds in a long one. */
function progressPrinter() {
  let lastLine = performance.now();
  const line = (t: TableCopy) => `  ${t.table.padEnd(26)} ${String(t.copied).padStart(9)} / ${t.total}`;
  return (p: TableCopy & { done: boolean }) => {
    if (p.done) {
      say(line(p));
      lastLine = performance.now();
    } else if (performance.now() - lastLine > 5_000) {
      say(`${line(p)} …`);
      lastLine = performance.now();
    }
  };
}

function say(text: string) {
  process.stderr.write(`${text}\n`);
}

/** The URL as printed: without its password. */
function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return url.replace(/:[^:@/]*@/, ":***@");
  }
}

async function closeAll() {
  for (const o of opened.splice(0)) await o.close().catch(() => {});
}

main().then(
  (code) => closeAll().then(() => process.exit(code)),
  async (error: unknown) => {
    await closeAll();
    if (error instanceof UsageError) console.error(`${error.message}\n\n${USAGE}`);
    else if (error instanceof EnvError || error instanceof SetupError) console.error(error.message);
    else console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exit(2);
  },
);
