/**
 * One more process sending digests, as the primary's job does (app/digests/job.server.ts),
 * for tests/integration/digest-mail.test.ts: run with
 * `node --import tsx tests/helpers/digest-child.ts <now ms> <run for ms>` and the app's
 * configuration in the environment (DATA_DIR, BASE_URL, SMTP_URL). It says "ready" once
 * loaded, waits for a line on stdin (so that two of them start together), sweeps at that
 * moment over and over for the time given (three times at least), waits for the mails it queued to go out, and
 * prints what it did as one JSON line.
 */
import { createInterface } from "node:readline";
import { sendDueDigests } from "#app/digests/commands.server.ts";
import { send, settleMails } from "#app/mail/outbox.server.ts";
import { closeDb, getDb } from "#app/utils/db.server.ts";
import { closeMail } from "#app/utils/mail.server.ts";

const [now, ms = "1000"] = process.argv.slice(2);
getDb();
process.stdout.write("ready\n");
const lines = createInterface({ input: process.stdin });
await new Promise<void>((resolve) => lines.once("line", () => resolve()));
lines.close();
const totals = { queued: 0, empty: 0, taken: 0, sweeps: 0 };
// For the time given, and at least three times: on a loaded machine a process may get to sweep only
// once in that time, and the other then finds nothing left to race for.
const until = Date.now() + Number(ms);
while (Date.now() < until || totals.sweeps < 3) {
  const counts = await sendDueDigests(getDb(), Number(now), send);
  totals.queued += counts.queued;
  totals.empty += counts.empty;
  totals.taken += counts.taken;
  totals.sweeps += 1;
  await new Promise((resolve) => setImmediate(resolve));
}
await settleMails();
closeMail();
await closeDb();
process.stdout.write(`${JSON.stringify(totals)}\n`);
