import "./load-env.ts";
import cluster from "node:cluster";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { ServerBuild } from "@remix-run/node";
import { createApp, type AppOptions } from "./app.ts";
import { drainOnStop } from "./drain.ts";
import { holdYoungGeneration } from "./heap.ts";
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
 * primary migrates and prints the setup link before forking, so workers only
 * serve; SQLite in WAL mode lets them read side by side, and their
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
  releaseYoungGeneration();

  if (primary && workers > 1) return superviseWorkers(workers, config, lifecycle);
  serve({ build, config, lifecycle, clientDir: path.join(here, "client"), announce: primary });
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

  const server = app.listen(config.port, config.host, () => {
    if (options.announce) announceListening(config, 1);
  });
  const drain = drainOnStop(server);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    if (options.announce) console.log(`${signal} received: finishing requests in flight, then closing the database.`);
    void drain().then(async () => {
      await lifecycle.shutdown();
      process.exit(0);
    });
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
}

/**
 * The primary forks the workers and replaces one that dies. A worker that
 * dies before the cluster is up means the configuration or the port is wrong:
 * forking again would only loop, so the whole process stops with its error.
 */
function superviseWorkers(count: number, config: BootResult, lifecycle: Lifecycle) {
  let ready = false;
  let listening = 0;
  let stopping = false;

  // The workers accept from the listening socket themselves (SCHED_NONE)
  // rather than the primary accepting and handing each connection over
  // (round-robin, Node's default elsewhere than Windows). With round-robin a
  // connection handed to a worker as it died was never answered: it hung for
  // over 15 minutes. Now a worker's death resets only the connections it had
  // itself accepted; those still waiting in the kernel's queue go to the other
  // worker. The cost: Linux spreads connections less evenly across workers
  // (no matter with keep-alive and a few workers). If every worker is gone at
  // once, the socket closes with the last of them and connections are refused
  // (not left hanging) until the replacements listen, about a start's time.
  cluster.schedulingPolicy = cluster.SCHED_NONE;
  for (let i = 0; i < count; i++) cluster.fork();

  cluster.on("listening", (worker) => {
    listening += 1;
    if (!ready && listening === count) {
      ready = true;
      announceListening(config, count);
    } else if (ready) {
      // Said, because until now the site ran one worker short (or not at all).
      console.log(`Worker ${worker.process.pid} is serving in place of the one that stopped.`);
    }
  });

  const finish = async () => {
    await lifecycle.shutdown();
    process.exit(0);
  };

  cluster.on("exit", (worker, code, signal) => {
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) void finish();
      return;
    }
    if (!ready) {
      console.error(`A worker stopped while starting (${signal ?? `exit code ${code}`}); stopping Cercle.`);
      for (const other of Object.values(cluster.workers ?? {})) other?.process.kill("SIGKILL");
      process.exit(1);
    }
    console.error(`Worker ${worker.process.pid} stopped (${signal ?? `exit code ${code}`}); starting another.`);
    cluster.fork();
  });

  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal} received: finishing requests in flight, then closing the database.`);
    const alive = Object.values(cluster.workers ?? {});
    if (alive.length === 0) return void finish();
    // Each worker drains its own connections, then exits; the primary closes last.
    for (const worker of alive) worker?.process.kill("SIGTERM");
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
}

main();
