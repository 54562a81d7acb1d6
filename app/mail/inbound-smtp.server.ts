import type { SMTPServer } from "smtp-server";
import { logRecord } from "#app/utils/log.ts";
import { getDb } from "#app/utils/db.server.ts";
import { letterhead } from "#app/utils/acting.server.ts";
import { send } from "./outbox.server.ts";
import { MAX_REPLY_BYTES, receiveReply, type ReplyOutcome } from "./replies.server.ts";
import { tokenIn } from "./reply-address.server.ts";

/**
 * Cercle's own SMTP listener for answers by mail (INBOUND_SMTP_PORT), built
 * on Nodemailer's smtp-server. It takes mail for reply addresses only (any
 * other recipient: 550 at RCPT), keeps no more than MAX_REPLY_BYTES of a
 * mail while it arrives and refuses a bigger one (552), and answers 451 ("try later") only when Cercle itself
 * fails, so the sending server keeps the mail. Everything about what a mail
 * says is receiveReply's: accepted (250) whatever its outcome, the member
 * being told by mail when their reply was refused. No authentication and no
 * TLS: it is meant behind the network's MX, or on a port only that MX
 * reaches.
 */

let server: SMTPServer | undefined;

const smtpError = (code: number, message: string) => Object.assign(new Error(message), { responseCode: code });

/** Resolves once listening; `onOutcome` hears of each mail taken (tests, logs). */
export async function startInboundSmtp(options: { port: number; host: string; replyTo: string; onOutcome?: (outcome: ReplyOutcome) => void }): Promise<{ port: number }> {
  const { SMTPServer } = await import("smtp-server");
  const { replyTo } = options;
  const smtp = new SMTPServer({
    name: "cercle",
    banner: "Cercle replies",
    authOptional: true,
    disabledCommands: ["AUTH", "STARTTLS"],
    size: MAX_REPLY_BYTES,
    logger: false,
    onRcptTo(address, _session, callback) {
      if (tokenIn(address.address, replyTo) === null) return callback(smtpError(550, "5.1.1 No such reply address here"));
      callback();
    },
    onData(stream, session, callback) {
      // Kept only up to the limit: a mail of gigabytes is read to its end (SMTP has no other way to
      // answer it) but never held, and is refused once it is over.
      const chunks: Buffer[] = [];
      let size = 0;
      stream.on("data", (chunk: Buffer) => {
        size += chunk.length;
        if (size <= MAX_REPLY_BYTES) chunks.push(chunk);
      });
      stream.on("end", () => {
        if (size > MAX_REPLY_BYTES || (stream as unknown as { sizeExceeded?: boolean }).sizeExceeded) return callback(smtpError(552, "5.3.4 Message too big for a reply"));
        const envelope = {
          from: session.envelope.mailFrom === false ? "" : session.envelope.mailFrom.address,
          to: session.envelope.rcptTo.map((r) => r.address),
        };
        void (async () => {
          try {
            const outcome = await receiveReply(getDb(), Buffer.concat(chunks), envelope, { replyTo, letterhead: await letterhead(), now: Date.now() });
            if ("mailIds" in outcome) send(outcome.mailIds);
            console.log(logRecord("mail.reply", { outcome: outcome.outcome, why: "why" in outcome ? outcome.why : outcome.kind }));
            options.onOutcome?.(outcome);
            callback(null, "Received");
          } catch (error) {
            console.error(logRecord("mail.reply.fail", { error: error instanceof Error ? error.message : String(error) }));
            callback(smtpError(451, "4.3.0 Cercle could not take the mail now; try again later"));
          }
        })();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    smtp.once("error", reject);
    smtp.listen(options.port, options.host, () => resolve());
  });
  smtp.on("error", (error: Error) => console.error(logRecord("mail.inbound.error", { error: error.message })));
  server = smtp;
  const address = smtp.server.address();
  return { port: typeof address === "object" && address ? address.port : options.port };
}

export async function stopInboundSmtp() {
  const running = server;
  server = undefined;
  if (running) await new Promise<void>((resolve) => running.close(() => resolve()));
}
