import type { NextFunction, Request, Response } from "express";
import { bilingual } from "./messages.ts";

/**
 * Bad input anyone can send is expected: it gets its 4xx and one line in the
 * log (what, from where), never a stack trace — a stack per request would let
 * anyone flood the log. Only failures of our own log their stack.
 */

/** The one log line of an expected refusal. Addresses are cut short: they are the sender's words. */
export function logRefusal(req: Request, status: number, why: string) {
  console.warn(`${status} ${req.method} ${req.originalUrl.slice(0, 200)} from ${req.ip ?? "?"}: ${why}`);
}

/**
 * A path that does not percent-decode (`/%E0%A4%A`, an overlong `%C0%AF`):
 * 400 here, before express's router and Remix each try to decode it (the
 * router threw a URIError whose stack the default error handler printed).
 */
export function rejectMalformedPaths(req: Request, res: Response, next: NextFunction) {
  try {
    decodeURIComponent(req.path);
  } catch {
    logRefusal(req, 400, "badly percent-encoded path");
    return void res.status(400).type("text/plain").send(bilingual(req, "error.400.url"));
  }
  next();
}

/**
 * Last in the chain: errors express or a middleware passed on. One that
 * carries a client status (4xx, as express's own errors do) is an expected
 * refusal; anything else is ours, logged whole, and answered 500.
 */
export function answerErrors(error: unknown, req: Request, res: Response, next: NextFunction) {
  const status = clientStatus(error);
  if (status !== null) logRefusal(req, status, error instanceof Error ? error.message.slice(0, 200) : String(error));
  else console.error(error);
  if (res.headersSent) return next(error);
  res.status(status ?? 500).type("text/plain").send(status === null ? "Internal Server Error\n" : `${status}\n`);
}

function clientStatus(error: unknown): number | null {
  if (typeof error !== "object" || error === null) return null;
  const status = (error as { status?: unknown; statusCode?: unknown }).status ?? (error as { statusCode?: unknown }).statusCode;
  return typeof status === "number" && status >= 400 && status < 500 ? status : null;
}
