/**
 * One more process publishing scheduled articles on its own connection to a
 * database file, for tests/integration/blog-schedule.test.ts: run with
 * `node --import tsx tests/helpers/publisher-child.ts <db file> <ms>`.
 * It says "ready" once loaded, waits for a line on stdin (so that two of them
 * start together), then runs the app's publishDuePosts over and over for
 * `ms` milliseconds (while the test keeps adding due articles), and prints
 * the ids it published as one JSON line.
 */
import { createInterface } from "node:readline";
import { openDatabase } from "#db/client.ts";
import { publishDuePosts } from "#app/blog/publisher.server.ts";

const [file, ms = "2000"] = process.argv.slice(2);
const { db, close } = openDatabase(file);
process.stdout.write("ready\n");
const lines = createInterface({ input: process.stdin });
await new Promise<void>((resolve) => lines.once("line", () => resolve()));
lines.close();
const published: string[] = [];
const until = Date.now() + Number(ms);
while (Date.now() < until) {
  for (const post of await publishDuePosts(db, Date.now())) published.push(post.id);
  await new Promise((resolve) => setImmediate(resolve));
}
await close();
process.stdout.write(`${JSON.stringify(published)}\n`);
