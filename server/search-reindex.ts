import "./load-env.ts";
import { closeDb, getDb, migrate } from "#app/utils/db.server.ts";
import { reindex } from "#app/search/indexing.server.ts";

/**
 * `npm run search:reindex`: rebuilds the search index of DATA_DIR/cercle.db
 * in place while the server keeps running (searches find the old rows until
 * the new ones replace them), with its progress on the way.
 */
async function main() {
  await migrate();
  const started = performance.now();
  let shown = 0;
  const { done } = await reindex(getDb(), (n, left) => {
    if (n - shown >= 5000 || left === 0) {
      shown = n;
      console.log(`Indexed ${n.toLocaleString("en")} — ${left.toLocaleString("en")} to go`);
    }
  });
  await closeDb();
  console.log(`Search index rebuilt: ${done.toLocaleString("en")} things in ${((performance.now() - started) / 1000).toFixed(1)} s.`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
