import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import express, { type NextFunction, type Request, type Response } from "express";

const TYPES: Record<string, string> = {
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
};

/** The best encoding of ours the client takes: brotli, then gzip (a token with q=0 is a refusal). */
export function pickEncoding(acceptEncoding: string | undefined): "br" | "gzip" | null {
  const accepted = new Set<string>();
  for (const part of (acceptEncoding ?? "").split(",")) {
    const [token, ...params] = part.trim().toLowerCase().split(";");
    const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
    if (token && !(q && Number(q.slice(2)) === 0)) accepted.add(token);
  }
  if (accepted.has("br")) return "br";
  if (accepted.has("gzip") || accepted.has("*")) return "gzip";
  return null;
}

/**
 * The fingerprinted browser build (build/client/assets): scripts and style
 * sheets go out as the brotli or gzip copy `npm run build` made beside them
 * (server/precompress.ts), with their length, to GET and HEAD alike; anything
 * else, or a client that takes neither encoding, gets the file as built.
 * compression() leaves a response that already has a Content-Encoding alone.
 */
export function staticAssets(dir: string) {
  const files = express.static(dir, { immutable: true, maxAge: "1y" });
  // The build does not change while the server runs: its copies are listed once.
  const precompressed = new Set(existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith(".br") || f.endsWith(".gz")) : []);
  return (req: Request, res: Response, next: NextFunction) => {
    const type = TYPES[path.extname(req.path)];
    if (type && (req.method === "GET" || req.method === "HEAD")) {
      res.vary("Accept-Encoding");
      const encoding = pickEncoding(req.get("Accept-Encoding"));
      const copy = encoding && `${req.path.slice(1)}.${encoding === "br" ? "br" : "gz"}`;
      if (copy && precompressed.has(copy)) {
        res.setHeader("Content-Type", type);
        res.setHeader("Content-Encoding", encoding);
        req.url = `/${copy}`;
      }
    }
    files(req, res, next);
  };
}
