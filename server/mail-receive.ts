import "./load-env.ts";
import { letterhead } from "#app/utils/acting.server.ts";
import { closeDb, getDb, migrate } from "#app/utils/db.server.ts";
import { getEnv } from "#app/utils/env.server.ts";
import { send, settleMails } from "#app/mail/outbox.server.ts";
import { MAX_REPLY_BYTES, receiveReply } from "#app/mail/replies.server.ts";
import { stopContentWorkers } from "#app/editor/content-pool.server.ts";
import { closeMail } from "#app/utils/mail.server.ts";

/**
 * `npm run mail:receive`: one mail on standard input, as an MTA's pipe
 * delivers it (Postfix `pipe`, Exim `pipe` transport…), taken as the SMTP
 * listener takes it. The envelope comes from the MTA's usual variables or
 * arguments: `--sender <address>` (SENDER) and `--recipient <address>`
 * (RECIPIENT). Exit codes as sysexits.h says an MTA reads them: 0 taken
 * (posted, refused with a word to the member, or dropped), 65 a mail over
 * the size limit (the MTA bounces it), 75 Cercle failed (the MTA keeps the
 * mail and tries again later).
 */

const EX_DATAERR = 65;
const EX_TEMPFAIL = 75;

function argument(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function readStdin(limit: number): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) return null;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

async function main(): Promise<number> {
  const env = getEnv();
  if (!env.mailReplyTo) {
    console.error("MAIL_REPLY_TO is not set: this network's mails carry no reply address, so no reply can be taken.");
    return EX_TEMPFAIL;
  }
  const raw = await readStdin(MAX_REPLY_BYTES);
  if (!raw) {
    console.error(`The mail is over ${MAX_REPLY_BYTES} bytes: refused.`);
    return EX_DATAERR;
  }
  await migrate();
  const sender = argument("sender") ?? process.env.SENDER ?? null;
  const recipient = argument("recipient") ?? process.env.RECIPIENT;
  const outcome = await receiveReply(getDb(), raw, { from: sender, to: recipient ? [recipient] : [] }, { replyTo: env.mailReplyTo, letterhead: await letterhead(), now: Date.now() });
  if ("mailIds" in outcome) send(outcome.mailIds);
  console.log(outcome.outcome === "posted" ? `Posted as a ${outcome.kind} (${outcome.id}).` : `${outcome.outcome === "refused" ? "Refused" : "Ignored"}: ${outcome.why}.`);
  return 0;
}

main()
  .then(async (code) => {
    await settleMails();
    closeMail();
    await stopContentWorkers();
    await closeDb();
    process.exit(code);
  })
  .catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(EX_TEMPFAIL);
  });
