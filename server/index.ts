import "./load-env.ts";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { ServerBuild } from "@remix-run/node";
import { createApp } from "./app.ts";
import { bootFrom, type Lifecycle } from "./lifecycle.ts";

/**
 * Cercle's process: checks the configuration, applies migrations, serves
 * HTTP, and on SIGTERM/SIGINT finishes in-flight requests before closing the
 * database. `npm start` runs the bundled copy of this file (build/server.js).
 */
async function main() {
  const dev = process.env.NODE_ENV === "development";
  let build: ServerBuild | (() => Promise<ServerBuild>);
  let viteMiddleware;
  let initial: ServerBuild;
  if (dev) {
    const vite = await import("vite");
    const devServer = await vite.createServer({ server: { middlewareMode: true } });
    viteMiddleware = devServer.middlewares;
    build = () => devServer.ssrLoadModule("virtual:remix/server-build") as Promise<ServerBuild>;
    initial = await build();
  } else {
    const here = path.dirname(fileURLToPath(import.meta.url));
    initial = (await import(path.join(here, "server", "index.js"))) as ServerBuild;
    build = initial;
  }

  const lifecycle: Lifecycle = bootFrom(initial);
  const config = await lifecycle.boot().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  });

  const clientDir = path.join(path.dirname(fileURLToPath(import.meta.url)), "client");
  const app = createApp({
    build,
    baseUrl: config.baseUrl,
    trustProxy: config.trustProxy,
    clientDir: dev ? undefined : clientDir,
    viteMiddleware,
    mode: dev ? "development" : "production",
  });

  const server = app.listen(config.port, config.host, () => {
    console.log(`Cercle is listening on ${config.baseUrl.origin} (port ${config.port})`);
    if (config.setupLink) {
      console.log(`\nFirst run: open this one-time link to name the network and create its administrator:\n  ${config.setupLink}\n`);
    }
  });

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal} received: finishing requests in flight, then closing the database.`);
    // Stop accepting; let open requests finish; idle keep-alive sockets go now.
    server.close(async () => {
      await lifecycle.shutdown();
      process.exit(0);
    });
    server.closeIdleConnections();
    setTimeout(() => {
      console.error("Requests still open after 10 s; closing anyway.");
      server.closeAllConnections();
    }, 10_000).unref();
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
}

main();
