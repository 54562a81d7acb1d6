import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Transporter } from "nodemailer";
import type { Mail } from "#app/mail/compose.ts";
import { newId } from "#db/ids.ts";
import { getNetwork } from "#db/queries/network.ts";
import { senderOf } from "#app/admin/mail-sender.ts";
import { getDb } from "./db.server.ts";
import { getEnv } from "./env.server.ts";
import { logLine } from "./log.ts";

/**
 * The mail transport, and nothing else: every mail is queued in the outbox
 * (app/mail/outbox.server.ts), which calls transmit() after commit.
 *
 * Nodemailer waits 2 minutes for a connection, 30 s for the greeting and 10
 * minutes of silence by default: a server that accepts and never answers held
 * each attempt for half a minute. A few seconds each is plenty for a mail
 * server that works; the outbox retries one that does not.
 */
export const SMTP_TIMEOUTS = { connectionTimeout: 5_000, greetingTimeout: 5_000, socketTimeout: 10_000 };

let transport: Transporter | undefined;

/** Nodemailer is loaded at the first mail, not at start (~13 MB in every process). */
async function getTransport(): Promise<Transporter> {
  if (!transport) {
    const [{ default: nodemailer }, { default: SMTPTransport }] = await Promise.all([
      import("nodemailer"),
      import("nodemailer/lib/smtp-transport/index.js"),
    ]);
    const env = getEnv();
    // Two first mails at once both get here: the first transport made is kept.
    transport ??= env.smtpUrl
      ? // An SMTPTransport built here: createTransport({ url, … }) keeps the URL's settings and drops the timeouts.
        nodemailer.createTransport(new SMTPTransport({ url: env.smtpUrl, ...SMTP_TIMEOUTS }))
      : // Without SMTP, messages become .eml files in the outbox folder so a lone machine still works.
        nodemailer.createTransport({ streamTransport: true, buffer: true, newline: "unix" });
  }
  return transport;
}

/** Whether mail really leaves the machine (SMTP_URL set) or only lands in DATA_DIR/outbox. */
export function mailConfigured(): boolean {
  return getEnv().smtpUrl !== null;
}

export function outboxDir() {
  return path.join(getEnv().dataDir, "outbox");
}

/** Sends one mail now; throws when it cannot (the outbox keeps it for a retry). */
export async function transmit(mail: Mail): Promise<void> {
  const env = getEnv();
  const info = await (await getTransport()).sendMail({
    // MAIL_FROM, or the sender the network admin set in the console (app/admin/mail-sender.ts).
    from: senderOf(env.mailFrom, await getNetwork(getDb())),
    to: mail.to,
    subject: mail.subject,
    text: mail.text,
    html: mail.html,
    ...(mail.replyTo ? { replyTo: mail.replyTo } : {}),
    // RFC 2369 and RFC 8058: mail clients show an "unsubscribe" that posts to the address, no sign-in needed.
    ...(mail.unsubscribe ? { list: { unsubscribe: mail.unsubscribe } } : {}),
    headers: {
      ...(mail.unsubscribe ? { "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" } : {}),
      // RFC 3834: an automatic answer, so that other automatic answers leave it be.
      ...(mail.autoSubmitted ? { "Auto-Submitted": "auto-replied" } : {}),
    },
    // Nodemailer adds it as a text/calendar alternative with its method, and as an .ics attachment.
    ...(mail.calendar ? { icalEvent: { method: mail.calendar.method, filename: mail.calendar.filename, content: mail.calendar.content } } : {}),
  });
  if (!env.smtpUrl) {
    const dir = outboxDir();
    await mkdir(dir, { recursive: true });
    const file = path.join(dir, `${new Date().toISOString().replace(/[:.]/g, "-")}-${newId()}.eml`);
    await writeFile(file, (info as { message: Buffer }).message);
    // Subjects carry names: each value is escaped, so the link line below is the only one that can say "Link:".
    console.log(logLine`✉  Mail to ${mail.to}: “${mail.subject}” → ${file}` + (mail.link ? `\n${logLine`   Link: ${mail.link}`}` : ""));
  }
}

/** For graceful shutdown and tests: close pooled SMTP connections. */
export function closeMail() {
  transport?.close();
  transport = undefined;
}
