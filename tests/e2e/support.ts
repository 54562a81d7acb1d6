import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { expect, type Page } from "@playwright/test";
import { simpleParser } from "mailparser";

const dataDir = () => process.env.CERCLE_E2E_DIR!;

export interface ReceivedMail {
  to: string;
  subject: string;
  text: string;
}

async function readInbox(): Promise<ReceivedMail[]> {
  const inbox = path.join(dataDir(), "received");
  const files = readdirSync(inbox).sort();
  return Promise.all(
    files.map(async (f) => {
      const parsed = await simpleParser(readFileSync(path.join(inbox, f)));
      const to = Array.isArray(parsed.to) ? parsed.to.map((a) => a.text).join(", ") : (parsed.to?.text ?? "");
      return { to, subject: parsed.subject ?? "", text: parsed.text ?? "" };
    }),
  );
}

/** Waits until the SMTP server has received a mail for `to` matching `subject`. */
export async function waitForMail(to: string, subject: RegExp): Promise<ReceivedMail> {
  let found: ReceivedMail | undefined;
  await expect
    .poll(
      async () => {
        found = (await readInbox()).reverse().find((m) => m.to.includes(to) && subject.test(m.subject));
        return Boolean(found);
      },
      { timeout: 15_000, message: `a mail to ${to} with subject ${subject}` },
    )
    .toBe(true);
  return found!;
}

export function linkIn(mail: ReceivedMail, pathPrefix: string): string {
  const match = mail.text.match(new RegExp(`https?://\\S+${pathPrefix.replace(/\//g, "\\/")}\\S+`));
  if (!match) throw new Error(`No ${pathPrefix} link in mail "${mail.subject}":\n${mail.text}`);
  return match[0];
}

/** The one-time setup link, as the server printed it on its console. */
export async function setupLinkFromConsole(): Promise<string> {
  let link = "";
  await expect
    .poll(() => {
      const log = readFileSync(path.join(dataDir(), "server.log"), "utf8");
      link = log.match(/https?:\/\/\S+\/setup\?token=\S+/)?.[0] ?? "";
      return link;
    })
    .not.toBe("");
  return link;
}

const shotsDir = path.resolve(import.meta.dirname, "screenshots");
let shotIndex = 0;

/** A full-page screenshot kept as an artifact (tests/e2e/screenshots). */
export async function snap(page: Page, name: string) {
  shotIndex += 1;
  await page.screenshot({ path: path.join(shotsDir, `${String(shotIndex).padStart(2, "0")}-${name}.png`), fullPage: true });
}
