import "./load-env.ts";
import { closeDb, migrate } from "#app/utils/db.server.ts";
import { getEnv } from "#app/utils/env.server.ts";

/** `npm run db:migrate`: applies pending migrations to DATA_DIR/cercle.db. */
async function main() {
  const env = getEnv();
  const applied = await migrate();
  await closeDb();
  console.log(applied.length ? `Applied: ${applied.join(", ")}` : `${env.dataDir}/cercle.db is up to date.`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
