import type { DB } from "#db/client.ts";
import { transact } from "#db/transact.ts";
import { getDb } from "#app/utils/db.server.ts";
import { logLine } from "#app/utils/log.ts";
import type { Job } from "#app/jobs/scheduler.server.ts";
import { publishDue } from "./commands.server.ts";

/**
 * Publishes scheduled posts when their moment comes, in the primary process
 * only. The first run happens at start (publishNow, called by boot before the
 * server takes requests), so what fell due while it was down goes out first;
 * then every 15 seconds as a job (app/jobs/). Publishing is one UPDATE …
 * WHERE state = 'scheduled', so a run cut short, a restart or a second
 * process can never publish a post twice, whatever runs it.
 */

const EVERY_MS = 15 * 1000;

/** One run over a database: the blog's publishDue command in a transaction of its own. */
export async function publishDuePosts(db: DB, now: number) {
  const { published } = await transact(db, (trx) => publishDue(trx, { now }));
  return published;
}

export async function publishNow(now = Date.now()) {
  const published = await publishDuePosts(getDb(), now);
  // Titles are the authors' text: escaped, so none can add a line of its own.
  if (published.length > 0) console.log(logLine`Published ${published.length} scheduled article(s): ${published.map((p) => p.title).join(", ")}`);
  return published;
}

export const publisherJob: Job = { name: "publisher", everyMs: EVERY_MS, run: ({ now }) => publishNow(now) };
