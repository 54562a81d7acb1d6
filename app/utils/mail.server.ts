import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Transporter } from "nodemailer";
import type { Mail } from "#app/mail/compose.ts";
import { newId } from "#db/ids.ts";
import { getEnv } from "./env.server.ts";
import { logLine } from "./log.ts";

let transport: Transporter | undefined;

/** Nodemailer is loaded at the first mail, not at start (~13 MB in every process). */
async function getTransport(): Promise<Transporter> {
  if (!transport) {
    const { default: nodemailer } = await import("nodemailer");
    const env = getEnv();
    // Two first mails at once both get here: the first transport made is kept.
    transport ??= env.smtpUrl
      ? nodemailer.createTransport(env.smtpUrl)
      : // Without SMTP, messages become .eml files in the outbox so a lone machine still works.
        nodemailer.createTransport({ streamTransport: true, buffer: true, newline: "unix" });
  }
  return transport;
}

export function outboxDir() {
  return path.join(getEnv().dataDir, "outbox");
}

/**
 * Sends one mail. Failures are logged and swallowed: a mail server being down
 * must not undo what the user just did (the link can be sent again).
 */
export async function sendMail(mail: Mail): Promise<boolean> {
  const env = getEnv();
  try {
    const info = await (await getTransport()).sendMail({
      from: env.mailFrom,
      to: mail.to,
      subject: mail.subject,
      text: mail.text,
      html: mail.html,
    });
    if (!env.smtpUrl) {
      const dir = outboxDir();
      await mkdir(dir, { recursive: true });
      const file = path.join(dir, `${new Date().toISOString().replace(/[:.]/g, "-")}-${newId()}.eml`);
      await writeFile(file, (info as { message: Buffer }).message);
      // Subjects carry names: each value is escaped, so the link line below is the only one that can say "Link:".
      console.log(logLine`✉  Mail to ${mail.to}: “${mail.subject}” → ${file}` + (mail.link ? `\n${logLine`   Link: ${mail.link}`}` : ""));
    }
    return true;
  } catch (error) {
    console.error(logLine`✉  Could not send mail to ${mail.to}: ${error instanceof Error ? error.message : String(error)}`);
    return false;
  }
}

/** For graceful shutdown and tests: close pooled SMTP connections. */
export function closeMail() {
  transport?.close();
  transport = undefined;
}
