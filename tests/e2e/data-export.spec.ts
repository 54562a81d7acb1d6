import { readFile } from "node:fs/promises";
import yauzl from "yauzl";
import { expect, hydrated, signIn, test, type Page } from "./fixtures.ts";
import { newPage } from "./clubs.ts";
import { screenshotSeries, waitForMail } from "./support.ts";

/**
 * "Take my data with me" (issue 19), as a member lives it, after the journey
 * (which made Claire, her club, its pages, articles and files): she opens
 * "Mes données", asks for an export, watches it being prepared, is told by
 * mail, and downloads the zip — which holds a README and her profile. On a
 * phone, the same page.
 */

test.describe.configure({ mode: "serial" });

const claire = { name: "Claire Martin", email: "claire@cabinet-martin.fr" };
const snap = screenshotSeries("data-export");

let page: Page;

/** The names in a zip's central directory and the text of the entries asked for. */
async function zipContents(file: string, wanted: string[]): Promise<{ names: string[]; texts: Map<string, string> }> {
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.fromBuffer(Buffer.from(file, "binary"), { lazyEntries: true }, (error, z) => (error || !z ? reject(error) : resolve(z))),
  );
  const names: string[] = [];
  const texts = new Map<string, string>();
  await new Promise<void>((resolve, reject) => {
    zip.on("end", () => resolve());
    zip.on("error", reject);
    zip.on("entry", (entry: yauzl.Entry) => {
      names.push(entry.fileName);
      if (!wanted.includes(entry.fileName)) return zip.readEntry();
      zip.openReadStream(entry, (error, stream) => {
        if (error || !stream) return reject(error);
        const chunks: Buffer[] = [];
        stream.on("data", (c: Buffer) => chunks.push(c));
        stream.on("end", () => {
          texts.set(entry.fileName, Buffer.concat(chunks).toString("utf8"));
          zip.readEntry();
        });
      });
    });
    zip.readEntry();
  });
  return { names, texts };
}

test("Claire finds “Mes données” in her settings and asks for her export", async ({ browser }) => {
  page = await newPage(browser);
  await signIn(page, claire.email);
  await page.goto("/settings/profile");
  await hydrated(page);
  await page.getByRole("navigation", { name: "Mon compte" }).getByRole("link", { name: "Mes données" }).click();
  await page.waitForURL("**/settings/data");
  await expect(page.getByRole("heading", { name: "Mes données", level: 2 })).toBeVisible();
  await expect(page.getByText("Vous n’avez pas encore demandé d’export.")).toBeVisible();
  await snap(page, "empty");

  await page.getByRole("button", { name: "Exporter mes données" }).click();
  // Prepared in the background: the page follows it on its own until it is ready.
  await expect(page.getByRole("status").filter({ hasText: "Votre export est prêt." })).toBeVisible({ timeout: 30_000 });
  await expect(page.getByText(/Téléchargeable jusqu’au/)).toBeVisible();
  await snap(page, "ready");
});

test("she is told by mail, with a link to the page and not to the file", async () => {
  const mail = await waitForMail(claire.email, /Vos données sur .* sont prêtes/);
  expect(mail.text).toMatch(/https?:\/\/\S+\/settings\/data\b/);
  expect(mail.text).not.toContain("/download");
});

test("she downloads the zip: a README, her profile, her settings", async () => {
  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: "Télécharger le zip" }).click();
  const file = await (await download).path();
  expect((await download).suggestedFilename()).toMatch(/^cercle-mes-donnees-\d{4}-\d{2}-\d{2}\.zip$/);
  const { names, texts } = await zipContents(await readFile(file, "binary"), ["README.txt", "profile.json"]);
  expect(names).toEqual(expect.arrayContaining(["README.txt", "profile.json", "memberships.json", "conversations.json", "settings.json", "files.json"]));
  expect(texts.get("README.txt")).toContain(`— ${claire.name}`);
  expect(JSON.parse(texts.get("profile.json")!)).toMatchObject({ email: claire.email, display_name: claire.name });
  await page.reload();
  await expect(page.getByText(/Dernier téléchargement le/)).toBeVisible();
});

test("on a phone, the same page, readable and usable", async ({ browser }) => {
  const phone = await newPage(browser, { width: 375, height: 812 });
  await signIn(phone, claire.email);
  await phone.goto("/settings/data");
  await hydrated(phone);
  await expect(phone.getByRole("link", { name: "Télécharger le zip" })).toBeVisible();
  const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await snap(phone, "phone");
  await phone.context().close();
});
