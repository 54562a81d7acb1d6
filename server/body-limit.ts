import type { NextFunction, Request, Response } from "express";
import { bilingual, sizeParams } from "./messages.ts";

/**
 * Request bodies are read here, before Remix, and only up to the limit of the
 * route's family: a body that announces more is refused at once, and one sent
 * without a length (chunked) is counted as it streams and refused at the
 * first byte past the limit. What passes is handed to Remix whole
 * (`bufferedBody`), so no route ever reads more than its family allows,
 * whatever it does with the body. Memory is bounded by the limits: the
 * largest, a rich-text save, is 4 MiB.
 *
 * The tus upload route is left alone: its PATCHes are up to 32 MiB by design,
 * streamed to storage, and tus checks them against the declared length itself.
 *
 * Who is refused is told in their terms: a browser submitting a form gets a
 * page in the app's look and the reader's language (Remix renders it, see
 * `refusedBody`); anything else — curl, API and JSON clients — one line of
 * plain text.
 */

export const BODY_LIMITS = {
  /** Every other form: sign-in, settings, invitations, moves… */
  form: 64 * 1024,
  /** A comment: 20,000 bytes of Lexical JSON, each byte up to three once percent-encoded. */
  comment: 128 * 1024,
  /** A page or article save: 1 MiB of Lexical JSON, percent-encoded, and the other fields. */
  richText: 4 * 1024 * 1024,
  /** The wiki's Markdown import: a 1 MiB file and its multipart framing. */
  markdown: 1024 * 1024 + 64 * 1024,
  /** A profile photo: 15 MiB (app/people/photo.server.ts) and its multipart framing. */
  photo: 15 * 1024 * 1024 + 64 * 1024,
  /** The network's logo: 2 MiB (app/admin/logo.server.ts) and its multipart framing. */
  logo: 2 * 1024 * 1024 + 64 * 1024,
} as const;

/** A route's address, with the `.data` suffix of Remix's single-fetch submissions. */
const route = (pattern: string) => new RegExp(`^${pattern}(?:\\.data)?/?$`);

const FAMILIES: ReadonlyArray<readonly [RegExp, number]> = [
  [route("/spaces/[^/]+/wiki/import"), BODY_LIMITS.markdown],
  [route("/spaces/[^/]+/comments"), BODY_LIMITS.comment],
  // The profile's bio is a comment's document, with the other fields beside it.
  [route("/settings/profile"), BODY_LIMITS.comment],
  [route("/settings/profile/photo"), BODY_LIMITS.photo],
  [route("/admin/network/logo"), BODY_LIMITS.logo],
  [route("/spaces/[^/]+/wiki/new"), BODY_LIMITS.richText],
  [route("/spaces/[^/]+/wiki/[^/]+/edit"), BODY_LIMITS.richText],
  [route("/spaces/[^/]+/blog/new"), BODY_LIMITS.richText],
  [route("/spaces/[^/]+/blog/[^/]+/(?:edit|autosave)"), BODY_LIMITS.richText],
];

/** tus: /spaces/:space/files/uploads and everything below it. */
const TUS = /^\/spaces\/[^/]+\/files\/uploads(?:\/|$)/;

/** The most bytes a request to this path may carry; null: not ours to limit (tus). */
export function bodyLimitFor(path: string): number | null {
  if (TUS.test(path)) return null;
  for (const [pattern, limit] of FAMILIES) if (pattern.test(path)) return limit;
  return BODY_LIMITS.form;
}

/**
 * A form a browser submitted, refused for its size: Remix answers it (413)
 * instead of this layer, so the person sees a page of the app, in their
 * language, with a way back. "document": the browser posted the form itself
 * (no JavaScript, or before hydration) and shows whatever comes back;
 * "data": Remix's own client posted it (`.data`) and shows the route's error
 * boundary.
 */
export interface RefusedBody {
  limit: number;
  as: "document" | "data";
}

export function refusedBody(res: Response): RefusedBody | undefined {
  return res.locals.refusedBody as RefusedBody | undefined;
}

const FORM_TYPES = new Set(["application/x-www-form-urlencoded", "multipart/form-data", "text/plain"]);

/** How a browser's form submission arrived, or null for any other client. */
export function browserForm(req: Request): RefusedBody["as"] | null {
  const type = (req.get("Content-Type") ?? "").split(";")[0].trim().toLowerCase();
  if (!FORM_TYPES.has(type)) return null;
  if (req.path.endsWith(".data")) return "data";
  const dest = req.get("Sec-Fetch-Dest");
  if (dest !== undefined) return dest === "document" ? "document" : null;
  // Browsers older than Fetch Metadata: a navigation asks for HTML first.
  return /^\s*text\/html\b/i.test(req.get("Accept") ?? "") ? "document" : null;
}

/** The body read by `readBodies`, for the Remix adapter (server/remix.ts). */
export function bufferedBody(res: Response): Buffer | undefined {
  return res.locals.body as Buffer | undefined;
}

export function readBodies(req: Request, res: Response, next: NextFunction) {
  if (req.method === "GET" || req.method === "HEAD") return next();
  const limit = bodyLimitFor(req.path);
  if (limit === null) return next();

  const declared = req.headers["content-length"];
  if (declared !== undefined && !(Number(declared) <= limit)) return refuse(req, res, limit, next);

  const chunks: Buffer[] = [];
  let size = 0;
  let over = false;
  const onData = (chunk: Buffer) => {
    size += chunk.length;
    if (size <= limit) return void chunks.push(chunk);
    over = true;
    chunks.length = 0;
    req.off("data", onData);
    req.off("end", onEnd);
    refuse(req, res, limit, next);
  };
  const onEnd = () => {
    if (over) return;
    res.locals.body = Buffer.concat(chunks, size);
    next();
  };
  req.on("data", onData);
  req.on("end", onEnd);
  // A client that hangs up mid-body: there is nobody left to answer.
  req.on("error", () => req.off("end", onEnd));
}

/**
 * 413, then the connection closed — but not at once: a sender still pushing
 * its body would get a reset and might never read the answer. What it still
 * sends is read and dropped (never kept) until it stops or for 2 s at most,
 * so nobody can hold the connection by sending for ever.
 */
function refuse(req: Request, res: Response, limit: number, next: NextFunction) {
  const socket = req.socket;
  req.resume();
  // Node would otherwise close the socket the moment the answer is out (a
  // client that sent "Connection: close" asked for that), resetting it under
  // a sender still writing; the socket is closed below instead.
  res.shouldKeepAlive = true;
  res.on("finish", () => {
    if (req.complete) return void socket.end();
    const linger = setTimeout(() => socket.destroy(), 2_000);
    linger.unref();
    req.once("end", () => {
      clearTimeout(linger);
      socket.end();
    });
  });
  const as = browserForm(req);
  if (as) {
    res.locals.refusedBody = { limit, as } satisfies RefusedBody;
    return next();
  }
  res.status(413).type("text/plain").send(bilingual(req, "error.413.text", sizeParams(limit)));
}
