/**
 * One more process running a scheduler on its own connection to a database
 * file, for tests/integration/jobs-scheduler.test.ts: run with
 * `node --import tsx tests/helpers/scheduler-child.ts <db file> <every ms> <run for ms>`.
 * It says "ready" once loaded, waits for a line on stdin (so that two of
 * them start together), runs the app's scheduler with one job "tick" (which
 * takes a little while, so the two overlap) for the time given, stops it,
 * and prints the slots it ran and who it was as one JSON line.
 */
import { createInterface } from "node:readline";
import { openDatabase } from "#db/client.ts";
import { createScheduler } from "#app/jobs/scheduler.server.ts";

const [file, every = "300", ms = "3000"] = process.argv.slice(2);
const { db, close } = openDatabase(file);
process.stdout.write("ready\n");
const lines = createInterface({ input: process.stdin });
await new Promise<void>((resolve) => lines.once("line", () => resolve()));
lines.close();
const ran: number[] = [];
const scheduler = createScheduler({ db: () => db, log: () => {}, logError: (line) => process.stderr.write(`${line}\n`) });
scheduler.register({
  name: "tick",
  everyMs: Number(every),
  run: async ({ slot }) => {
    ran.push(slot);
    await new Promise((resolve) => setTimeout(resolve, 20));
  },
});
scheduler.start();
await new Promise((resolve) => setTimeout(resolve, Number(ms)));
await scheduler.stop();
await close();
process.stdout.write(`${JSON.stringify({ by: scheduler.by, ran })}\n`);
