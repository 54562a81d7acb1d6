import { expect, PASSWORD, test, type Page } from "./fixtures.ts";

/**
 * Hardening checks that need a real browser (after the journey, which made
 * the accounts): a crafted sign-in link must not carry the member off the
 * site once they have typed their password.
 */

const admin = { email: "claire@cabinet-martin.fr" };

/** Answers for the other site, so a browser sent there shows it instead of a DNS error. */
async function catchTheOtherSite(page: Page) {
  await page.route(
    (url) => url.hostname.endsWith("evil.example"),
    (route) => route.fulfill({ status: 200, contentType: "text/html", body: "<h1>evil.example</h1>" }),
  );
}

for (const target of ["/.//evil.example/", "/%2e//evil.example/", "/a/..//evil.example/", "/.\\/evil.example/"]) {
  test(`signing in from /login?redirectTo=${target} stays on the site`, async ({ browser, baseURL }) => {
    const context = await browser.newContext({ locale: "fr-FR" });
    const page = await context.newPage();
    await catchTheOtherSite(page);
    await page.goto(`/login?redirectTo=${encodeURIComponent(target)}`);
    await page.locator("html[data-hydrated]").waitFor({ state: "attached" });
    await page.getByLabel(/Adresse e-mail|Email address/).fill(admin.email);
    await page.getByLabel(/^(Mot de passe|Password)$/).fill(PASSWORD);
    await page.getByRole("main").getByRole("button", { name: /^(Se connecter|Sign in)$/ }).click();
    await page.waitForURL((url) => !url.pathname.startsWith("/login"));
    await page.waitForLoadState("load");
    expect(new URL(page.url()).origin).toBe(new URL(baseURL!).origin);
    expect(new URL(page.url()).pathname).toBe("/");
    await expect(page.getByRole("heading", { name: "evil.example" })).toHaveCount(0);
    await context.close();
  });
}
