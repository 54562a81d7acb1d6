import "./load-env.ts";
import cluster from "node:cluster";
import http from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { ServerBuild } from "@remix-run/node";
import { createApp, type AppOptions } from "./app.ts";
import { serveAsWorker, superviseWorkers } from "./cluster.ts";
import { drainOnStop } from "./drain.ts";
import { holdYoungGeneration, releaseAtFirstVisit } from "./heap.ts";
import { defaultWorkers, thisMachine } from "./workers.ts";
import { bootFrom, type BootResult, type Lifecycle } from "./lifecycle.ts";

/**
 * Cercle's process: checks the configuration, applies migrations, serves
 * HTTP, and on SIGTERM/SIGINT finishes in-flight requests before closing the
 * database. `npm start` runs the bundled copy of this file (build/server.js).
 *
 * In production it serves from one worker process per CPU, as far as a
 * quarter of the available memory allows (server/workers.ts; WEB_CONCURRENCY
 * sets it): rendering a page is CPU work, and one Node process uses one core. The
 * primary migrates, prints the setup link and binds the port before forking,
 * so workers only serve (server/cluster.ts); SQLite in WAL mode lets them read side by side, and their
 * transactions take the write lock up front (db/client.ts).
 */
const here = path.dirname(fileURLToPath(import.meta.url));

async function main() {
  if (process.env.NODE_ENV === "development") return development();

  const releaseYoungGeneration = holdYoungGeneration();
  const build = (await import(path.join(here, "server", "index.js"))) as ServerBuild;
  const lifecycle = bootFrom(build);
  const primary = cluster.isPrimary;
  const config = await lifecycle.boot({ primary }).catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  });
  const workers = config.workers ?? defaultWorkers(thisMachine());

  // The primary of several workers serves nothing: its young generation stays held (server/heap.ts).
  if (primary && workers > 1) {
    return superviseWorkers({
      count: workers,
      host: config.host,
      port: config.port,
      onListening: () => announceListening(config, workers),
      shutdown: () => lifecycle.shutdown(),
    });
  }
  serve({ build, config, lifecycle, clientDir: path.join(here, "client"), announce: primary, firstVisit: releaseYoungGeneration });
}

async function development() {
  const vite = await import("vite");
  const devServer = await vite.createServer({ server: { middlewareMode: true } });
  const build = () => devServer.ssrLoadModule("virtual:remix/server-build") as Promise<ServerBuild>;
  const lifecycle = bootFrom(await build());
  const config = await lifecycle.boot({ primary: true }).catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  });
  serve({ build, config, lifecycle, viteMiddleware: devServer.middlewares, announce: true });
}

function announceListening(config: BootResult, workers: number) {
  const across = workers > 1 ? `, ${workers} worker processes` : "";
  // The mode is said because it is the one React, Lexical and Express loaded (server/load-env.ts).
  console.log(`Cercle is listening on ${config.baseUrl.origin} (port ${config.port}${across}, ${process.env.NODE_ENV} mode)`);
  if (config.setupLink) {
    console.log(`\nFirst run: open this one-time link to name the network and create its administrator:\n  ${config.setupLink}\n`);
  }
}

/** One HTTP server in this process: the only one, or one cluster worker. */
function serve(options: {
  build: AppOptions["build"];
  config: BootResult;
  lifecycle: Lifecycle;
  clientDir?: string;
  viteMiddleware?: AppOptions["viteMiddleware"];
  announce: boolean;
  /** Called once, at the first request that is not a health probe (server/heap.ts). */
  firstVisit?: () => void;
}) {
  const { config, lifecycle } = options;
  const app = createApp({
    build: options.build,
    baseUrl: config.baseUrl,
    trustProxy: config.trustProxy,
    clientDir: options.clientDir,
    viteMiddleware: options.viteMiddleware,
    mode: options.viteMiddleware ? "development" : "production",
  });

  const server = http.createServer(app);
  if (options.firstVisit) server.prependListener("request", releaseAtFirstVisit(options.firstVisit));
  const drain = drainOnStop(server);
  void drain.done.then(async () => {
    await lifecycle.shutdown();
    process.exit(0);
  });
  // A cluster worker takes the listening socket from the primary, and closes it when the primary says (server/cluster.ts).
  if (cluster.isWorker) return serveAsWorker(server, drain);

  server.listen(config.port, config.host, () => {
    if (options.announce) announceListening(config, 1);
  });
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    if (options.announce) console.log(`${signal} received: finishing requests in flight, then closing the database.`);
    void drain.closeListener({ last: true });
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
}

main();
