import path from "node:path";
import type { ServerBuild } from "@remix-run/node";
import compression from "compression";
import express from "express";
import { staticAssets } from "./static-assets.ts";
import { answerErrors, rejectMalformedPaths } from "./bad-input.ts";
import { readBodies, refusedBody } from "./body-limit.ts";
import { remixHandler } from "./remix.ts";
import { cspNonce, routesReplaceSecurityHeaders, sameOriginOnly, securityHeaders } from "./security.ts";

export interface AppOptions {
  /** The Remix server build, or (in development) a function that loads it fresh. */
  build: ServerBuild | (() => Promise<ServerBuild>);
  baseUrl: URL;
  trustProxy: boolean;
  /** Folder of the browser build (build/client); absent in development, where Vite serves it. */
  clientDir?: string;
  viteMiddleware?: express.RequestHandler;
  mode: "production" | "development";
}

export function createApp(options: AppOptions) {
  const app = express();
  app.disable("x-powered-by");
  if (options.trustProxy) app.set("trust proxy", 1);

  app.use(rejectMalformedPaths);
  app.use(compression());
  app.use(cspNonce);
  app.use(securityHeaders({ https: options.baseUrl.protocol === "https:", dev: options.mode === "development" }));
  app.use(routesReplaceSecurityHeaders);
  app.use(sameOriginOnly(options.baseUrl));

  if (options.viteMiddleware) {
    app.use(options.viteMiddleware);
  } else if (options.clientDir) {
    // Fingerprinted assets never change; everything else is revalidated.
    app.use("/assets", staticAssets(path.join(options.clientDir, "assets")));
    // The few root files (favicon…) all have an extension; page addresses never
    // do, so they skip a file-system lookup on every request.
    const rootFiles = express.static(options.clientDir, { maxAge: "1h" });
    app.use((req, res, next) => (path.extname(req.path) ? rootFiles(req, res, next) : next()));
  }

  // Bodies are read (and refused past their limit) after the same-origin
  // check, so a cross-origin post is turned away without reading a byte.
  app.use(readBodies);
  app.use(
    remixHandler({
      build: options.build,
      mode: options.mode,
      getLoadContext: (req, res) => ({ cspNonce: res.locals.cspNonce as string, clientIp: req.ip ?? "", refusedBody: refusedBody(res) }),
    }),
  );
  app.use(answerErrors);
  return app;
}
