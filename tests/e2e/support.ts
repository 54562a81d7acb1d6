import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { expect, type Page } from "@playwright/test";
import { simpleParser } from "mailparser";
import { expectAccessible } from "./a11y.ts";

const dataDir = () => process.env.CERCLE_E2E_DIR!;

export interface ReceivedMail {
  to: string;
  subject: string;
  text: string;
  /** The HTML part; "" when there is none. */
  html: string;
}

async function readInbox(): Promise<ReceivedMail[]> {
  const inbox = path.join(dataDir(), "received");
  const files = readdirSync(inbox).sort();
  return Promise.all(
    files.map(async (f) => {
      const parsed = await simpleParser(readFileSync(path.join(inbox, f)));
      const to = Array.isArray(parsed.to) ? parsed.to.map((a) => a.text).join(", ") : (parsed.to?.text ?? "");
      return { to, subject: parsed.subject ?? "", text: parsed.text ?? "", html: typeof parsed.html === "string" ? parsed.html : "" };
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

/**
 * A full-page screenshot kept as an artifact (tests/e2e/screenshots). The
 * moments worth a picture are the states worth checking: axe runs on each.
 */
export async function snap(page: Page, name: string) {
  await expectAccessible(page, name);
  shotIndex += 1;
  await page.screenshot({ path: path.join(shotsDir, `${String(shotIndex).padStart(2, "0")}-${name}.png`), fullPage: true });
}

/**
 * Numbered full-page screenshots under their own prefix ("files-01-….png"),
 * so a spec's shots keep their numbers whatever ran before it. The page is
 * scrolled to the top first: a full-page shot of a scrolled page draws the
 * sticky header mid-page. axe runs on each state pictured.
 */
export function screenshotSeries(prefix: string) {
  let index = 0;
  return async (page: Page, name: string) => {
    await expectAccessible(page, `${prefix} ${name}`);
    index += 1;
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: path.join(shotsDir, `${prefix}-${String(index).padStart(2, "0")}-${name}.png`), fullPage: true });
  };
}

export interface FileToDrop {
  name: string;
  mimeType: string;
  bytes: Buffer;
}

/**
 * A DataTransfer inside the page holding real File objects made of `files`'
 * bytes, as the browser hands one to a drop handler when files are dragged
 * in from the desktop. Dispatch it with locator.dispatchEvent("drop", { dataTransfer }).
 */
export async function filesDataTransfer(page: Page, files: FileToDrop[]) {
  const payload = files.map((f) => ({ name: f.name, type: f.mimeType, base64: f.bytes.toString("base64") }));
  return page.evaluateHandle((list) => {
    const transfer = new DataTransfer();
    for (const f of list) {
      const binary = atob(f.base64);
      const bytes = new Uint8Array(binary.length);
      for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
      transfer.items.add(new File([bytes], f.name, { type: f.type, lastModified: Date.now() }));
    }
    return transfer;
  }, payload);
}

/**
 * Slows this page's uploads to `bytesPerSecond` (Chromium's own network
 * throttling, shared between the requests in flight), so progress can be
 * watched; downloads stay at full speed. Answers the function that lifts it.
 */
export async function throttleUploads(page: Page, bytesPerSecond: number): Promise<() => Promise<void>> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.emulateNetworkConditions", { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: bytesPerSecond });
  return async () => {
    await cdp.send("Network.emulateNetworkConditions", { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
    await cdp.detach();
  };
}

/**
 * A small, valid one-page PDF saying `text`, padded with a comment to about
 * `padBytes` (so its upload takes long enough to be watched); the
 * cross-reference table points at each object's real offset.
 */
export function makePdf(text: string, padBytes = 0): Buffer {
  const stream = `BT /F1 28 Tf 72 720 Td (${text.replace(/[\\()]/g, (c) => `\\${c}`)}) Tj ET`;
  const objects = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
    "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    `<< /Length ${Buffer.byteLength(stream, "latin1")} >>\nstream\n${stream}\nendstream`,
  ];
  let body = "%PDF-1.4\n%\xe2\xe3\xcf\xd3\n";
  // Comment lines of padding (a PDF reader skips them).
  const line = `%${"0123456789abcdef".repeat(7)}\n`;
  body += line.repeat(Math.ceil(padBytes / line.length));
  const offsets: number[] = [];
  objects.forEach((object, i) => {
    offsets.push(Buffer.byteLength(body, "latin1"));
    body += `${i + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xref = Buffer.byteLength(body, "latin1");
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) body += `${String(offset).padStart(10, "0")} 00000 n \n`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, "latin1");
}
