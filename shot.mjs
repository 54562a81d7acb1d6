import { chromium } from "playwright";
const [,, who, ...paths] = process.argv;
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--disable-background-networking"] });
const mobile = process.env.MOBILE === "1";
const ctx = await browser.newContext(mobile ? { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true } : { viewport: { width: 1280, height: 900 } });
const page = await ctx.newPage();
await page.goto("http://127.0.0.1:3977/login");
await page.waitForTimeout(800);
await page.getByLabel(/Adresse e-mail|Email address/).fill(`${who}@conseil-associes.example`);
await page.getByLabel(/^(Mot de passe|Password)$/).fill("cercle-demo-2026");
await page.getByRole("main").getByRole("button", { name: /Se connecter|Sign in/ }).click();
await page.waitForURL((u) => !u.pathname.startsWith("/login"));
let i = 0;
for (const p of paths) {
  await page.goto("http://127.0.0.1:3977" + p);
  await page.waitForTimeout(500);
  const name = `/tmp/shot-${process.env.TAG ?? "x"}-${i++}.png`;
  await page.screenshot({ path: name, fullPage: true });
  console.log(name, page.url());
}
await browser.close();
