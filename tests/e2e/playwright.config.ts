import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { defineConfig } from "@playwright/test";

// Evaluated by the runner and by each worker: the first evaluation picks the
// folders and ports, workers inherit them through the environment.
process.env.CERCLE_E2E_DIR ??= mkdtempSync(path.join(os.tmpdir(), "cercle-e2e-"));
process.env.CERCLE_E2E_PORT ??= "3457";
process.env.CERCLE_E2E_SMTP_PORT ??= "2527";
const dataDir = process.env.CERCLE_E2E_DIR;
const port = process.env.CERCLE_E2E_PORT;
const baseURL = `http://127.0.0.1:${port}`;
const root = path.resolve(import.meta.dirname, "../..");

export default defineConfig({
  testDir: ".",
  testMatch: "**/*.spec.ts",
  outputDir: path.join(root, "test-results"),
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [["list"]],
  globalSetup: "./global-setup.ts",
  // Each run starts on an empty database: the journey sets up the network,
  // the club and the accounts that the later specs sign in with.
  projects: [
    // Its teardown, a11y, runs once the journey and every spec depending on it
    // are done, passed or not: it checks whatever they visited.
    { name: "journey", testMatch: /journey\.spec\.ts/, teardown: "a11y" },
    { name: "wiki", testMatch: /wiki\.spec\.ts/, dependencies: ["journey"] },
    { name: "files", testMatch: /files\.spec\.ts/, dependencies: ["journey"] },
    { name: "comments", testMatch: /comments\.spec\.ts/, dependencies: ["journey"] },
    { name: "blog", testMatch: /blog\.spec\.ts/, dependencies: ["journey"] },
    { name: "hardening", testMatch: /hardening\.spec\.ts/, dependencies: ["journey"] },
    { name: "phone", testMatch: /phone\.spec\.ts/, dependencies: ["journey"] },
    // Its own club and people: a workshop scheduled, the waitlist, the .ics, the agenda on a phone.
    { name: "workshops", testMatch: /workshops\.spec\.ts/, dependencies: ["journey"] },
    // After the journey's club: a facilitator's materials, attendance and notes of a workshop held yesterday.
    { name: "workshop-notes", testMatch: /workshop-notes\.spec\.ts/, dependencies: ["journey"] },
    // Two clubs of its own: a profile filled, previewed, and found from a phone.
    { name: "people", testMatch: /people\.spec\.ts/, dependencies: ["journey"] },
    // Two clubs of its own: a network ask answered across clubs, a contact request, a live conversation, a block.
    { name: "dialogue", testMatch: /dialogue\.spec\.ts/, dependencies: ["journey"] },
    // The home (issue 18): the news of two clubs marked new since the last visit, a club narrowed to what concerns me.
    { name: "home", testMatch: /home\.spec\.ts/, dependencies: ["journey"] },
    // Search (issue 17): the header's box and its suggestions, a phrase inside a PDF, on a phone.
    { name: "search", testMatch: /search\.spec\.ts/, dependencies: ["journey"] },
    // "Mes données" (issue 19): the journey's admin exports her data, is told by mail, downloads the zip.
    { name: "data-export", testMatch: /data-export\.spec\.ts/, dependencies: ["journey"] },
    // Leaving (issue 19): a member deletes his account, anonymised; his comment then reads "Ancien membre".
    { name: "leave", testMatch: /leave\.spec\.ts/, dependencies: ["journey"] },
    // Issue 19: who can read a file, and that file shared with a client for two days, then revoked.
    { name: "share", testMatch: /share\.spec\.ts/, dependencies: ["journey"] },
    // The network admin's console (issue 20): a member found, deactivated (his session gone, sign-in refused), reactivated; the audit CSV.
    { name: "admin", testMatch: /admin\.spec\.ts/, dependencies: ["journey"] },
    // Issue 20: an authenticator set up, a sign-in with password + code, a recovery code, the admins' requirement leading a club admin to the setup.
    { name: "second-factor", testMatch: /second-factor\.spec\.ts/, dependencies: ["journey"] },
    // Issue 20's passkeys: a server of its own at http://localhost (WebAuthn refuses an IP address), Chromium's virtual authenticator.
    { name: "passkeys", testMatch: /passkeys\.spec\.ts/ },
    // A server of its own whose disk counts as full: needs nothing the journey made.
    { name: "disk-full", testMatch: /upload-disk-full\.spec\.ts/ },
    // Last: every address the others visited, again at both widths and in
    // both languages, through axe (a11y.spec.ts).
    { name: "a11y", testMatch: /a11y\.spec\.ts/ },
  ],
  use: {
    baseURL,
    locale: "fr-FR",
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
    },
  },
  webServer: {
    // The built server, on an empty database; its console (with the one-time
    // setup link) goes to a file the journey reads, as a person would.
    command: `node build/server.js > "${path.join(dataDir, "server.log")}" 2>&1`,
    cwd: root,
    url: `${baseURL}/healthz`,
    reuseExistingServer: false,
    timeout: 60_000,
    env: {
      DATA_DIR: dataDir,
      PORT: port,
      HOST: "127.0.0.1",
      BASE_URL: baseURL,
      SMTP_URL: `smtp://127.0.0.1:${process.env.CERCLE_E2E_SMTP_PORT}`,
      MAIL_FROM: "Cercle <cercle@example.test>",
    },
  },
});
