/**
 * One more process queueing workshop reminders on its own connection to a
 * database file, for tests/integration/workshop-reminders.test.ts: run with
 * `node --import tsx tests/helpers/reminder-child.ts <db file> <now ms> <run for ms>`.
 * It says "ready" once loaded, waits for a line on stdin (so that two of them
 * start together), runs the app's queueDueReminders over and over at that
 * moment for the time given, and prints the mail ids it queued as one JSON line.
 */
import { createInterface } from "node:readline";
import { openDatabase } from "#db/client.ts";
import { queueDueReminders } from "#app/workshops/reminders.server.ts";

const [file, now, ms = "2000"] = process.argv.slice(2);
const { db, close } = openDatabase(file);
const head = { network: { name: "Réseau de test", locale: "fr" as const }, baseUrl: new URL("http://cercle.test"), mailConfigured: false, mailFrom: "Cercle <cercle@cercle.test>" };
process.stdout.write("ready\n");
const lines = createInterface({ input: process.stdin });
await new Promise<void>((resolve) => lines.once("line", () => resolve()));
lines.close();
const queued: string[] = [];
const until = Date.now() + Number(ms);
while (Date.now() < until) {
  queued.push(...(await queueDueReminders(db, head, Number(now))));
  await new Promise((resolve) => setImmediate(resolve));
}
await close();
process.stdout.write(`${JSON.stringify(queued)}\n`);
