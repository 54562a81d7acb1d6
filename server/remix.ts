import {
  createReadableStreamFromReadable,
  createRequestHandler,
  writeReadableStreamToWritable,
  type AppLoadContext,
  type ServerBuild,
} from "@remix-run/node";
import type { NextFunction, Request, Response } from "express";
import { bufferedBody, refusedBody } from "./body-limit.ts";

/**
 * @remix-run/express's request handler, except for where the body comes
 * from: the bytes server/body-limit.ts has already read and counted, when it
 * did; otherwise (tus uploads) the request stream, as the adapter does. The
 * adapter always builds the body from the request stream, which by then has
 * been read. (The adapter's helpers are not in its public types, so the few
 * lines they hold are here too.)
 *
 * A browser's form refused for its size (body-limit.ts) is not handed to its
 * route: Remix renders the 413 page (app/routes/request-too-large.tsx) in its
 * place, the body left unread.
 */
export function remixHandler(options: {
  build: ServerBuild | (() => Promise<ServerBuild>);
  mode: "production" | "development";
  getLoadContext: (req: Request, res: Response) => AppLoadContext;
}) {
  const handle = createRequestHandler(options.build, options.mode);
  return async (req: Request, res: Response, next: NextFunction) => {
    try {
      const response = await handle(remixRequest(req, res), options.getLoadContext(req, res));
      await sendRemixResponse(res, response);
    } catch (error) {
      next(error);
    }
  };
}

/** The adapter's createRemixRequest, with the body above. */
function remixRequest(req: Request, res: Response): globalThis.Request {
  // req.hostname drops the port: take it from X-Forwarded-Host or Host.
  const [, forwardedPort] = req.get("X-Forwarded-Host")?.split(":") ?? [];
  const [, hostPort] = req.get("host")?.split(":") ?? [];
  const port = [Number.parseInt(forwardedPort, 10), Number.parseInt(hostPort, 10)].find(Number.isSafeInteger);
  const origin = `${req.protocol}://${req.hostname}${port ? `:${port}` : ""}`;
  const url = new URL(`${origin}${req.originalUrl}`);

  let controller: AbortController | null = new AbortController();
  const init: RequestInit & { duplex?: "half" } = { method: req.method, headers: createRemixHeaders(req.headers), signal: controller.signal };
  const refused = refusedBody(res);
  if (refused) {
    // The page itself (GET), or for Remix's client the action of that route (an empty POST), which answers 413.
    const headers = init.headers as Headers;
    for (const name of ["Content-Type", "Content-Length", "Transfer-Encoding"]) headers.delete(name);
    init.method = refused.as === "data" ? "POST" : "GET";
    if (refused.as === "data") init.body = new Uint8Array(0);
    res.on("close", () => controller?.abort());
    res.on("finish", () => (controller = null));
    return new Request(`${origin}/request-too-large${refused.as === "data" ? ".data" : ""}`, init);
  }
  if (req.method !== "GET" && req.method !== "HEAD") {
    const buffered = bufferedBody(res);
    // Buffer.concat's result sits on a plain ArrayBuffer, which is what BodyInit asks for.
    init.body = buffered ? (buffered as Uint8Array<ArrayBuffer>) : createReadableStreamFromReadable(req);
    init.duplex = "half";
  }
  // Loaders and actions are aborted when the answer can no longer be written.
  res.on("finish", () => (controller = null));
  res.on("close", () => controller?.abort());
  return new Request(url.href, init);
}

function createRemixHeaders(requestHeaders: Request["headers"]): Headers {
  const headers = new Headers();
  for (const [key, values] of Object.entries(requestHeaders)) {
    if (Array.isArray(values)) for (const value of values) headers.append(key, value);
    else if (values) headers.set(key, values);
  }
  return headers;
}

async function sendRemixResponse(res: Response, response: globalThis.Response) {
  res.statusMessage = response.statusText;
  res.status(response.status);
  for (const [key, value] of response.headers.entries()) res.append(key, value);
  if (response.headers.get("Content-Type")?.match(/text\/event-stream/i)) res.flushHeaders();
  if (response.body) await writeReadableStreamToWritable(response.body, res);
  else res.end();
}
