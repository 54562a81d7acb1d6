import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { ServerBuild } from "@remix-run/node";
import { createApp } from "#server/app.ts";
import { bootFrom } from "#server/lifecycle.ts";
import { freshPostgres, onPostgres } from "./postgres.ts";

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const serverBuildFile = path.join(repoRoot, "build", "server", "index.js");
const clientDir = path.join(repoRoot, "build", "client");

export interface TestServer {
  /** Origin of the server, e.g. http://127.0.0.1:41234 (no trailing slash). */
  url: string;
  dataDir: string;
  dbFile: string;
  /** The one-time setup link boot() printed (null once a user exists). */
  setupLink: string | null;
  close(): Promise<void>;
}

/** Variables of the app that a test must not inherit from the shell running it. */
const APP_VARIABLES = [
  "PORT",
  "HOST",
  "DATA_DIR",
  "DATABASE_URL",
  "BASE_URL",
  "SMTP_URL",
  "MAIL_FROM",
  "SESSION_IDLE_DAYS",
  "SESSION_MAX_DAYS",
  "TRUST_PROXY",
];

let started = false;

/**
 * Starts the built app (build/server/index.js) on 127.0.0.1 with a fresh data
 * folder, as server/index.ts does in production: boot() migrates and returns
 * the setup link, then createApp() serves HTTP.
 *
 * The build keeps its singletons (environment, database, mail) per process,
 * so one server per test file: Vitest runs every file in its own process.
 */
export async function startServer(options: { env?: Record<string, string> } = {}): Promise<TestServer> {
  if (started) throw new Error("startServer() was already called in this test file: the build's singletons are per process");
  if (!existsSync(serverBuildFile)) {
    throw new Error(`${path.relative(repoRoot, serverBuildFile)} is missing: run npm run build first`);
  }
  started = true;

  // Listen first so that BASE_URL can name the real port before the build reads the environment.
  const httpServer = http.createServer();
  await new Promise<void>((resolve, reject) => {
    httpServer.once("error", reject);
    httpServer.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = httpServer.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;

  const dataDir = await mkdtemp(path.join(os.tmpdir(), "cercle-test-"));
  // The PostgreSQL run (tests/helpers/postgres.ts): a fresh database per server.
  const postgres = onPostgres() && !options.env?.DATABASE_URL ? await freshPostgres() : null;
  for (const name of APP_VARIABLES) delete process.env[name];
  Object.assign(process.env, { NODE_ENV: "test", DATA_DIR: dataDir, BASE_URL: url, PORT: String(port) }, postgres ? { DATABASE_URL: postgres.url } : {}, options.env);

  let shutdown: (() => Promise<void>) | undefined;
  try {
    const build = (await import(pathToFileURL(serverBuildFile).href)) as ServerBuild;
    const lifecycle = bootFrom(build);
    shutdown = lifecycle.shutdown;
    const config = await lifecycle.boot();
    const app = createApp({
      build,
      baseUrl: config.baseUrl,
      trustProxy: config.trustProxy,
      clientDir,
      mode: "production",
    });
    httpServer.on("request", app);

    return {
      url,
      dataDir,
      // DATA_DIR given in env (a test's own mount) holds the database instead; on PostgreSQL, its URL.
      dbFile: process.env.DATABASE_URL ?? path.join(options.env?.DATA_DIR ?? dataDir, "cercle.db"),
      setupLink: config.setupLink,
      async close() {
        await new Promise<void>((resolve) => {
          httpServer.close(() => resolve());
          httpServer.closeAllConnections();
        });
        await lifecycle.shutdown();
        await rm(dataDir, { recursive: true, force: true });
        await postgres?.drop();
      },
    };
  } catch (error) {
    httpServer.close();
    await shutdown?.().catch(() => {});
    await rm(dataDir, { recursive: true, force: true });
    await postgres?.drop().catch(() => {});
    throw error;
  }
}
