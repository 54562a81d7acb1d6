import { createHash } from "node:crypto";
import http from "node:http";
import type { Client } from "./http.ts";

/**
 * The tus 1.0 protocol spoken by hand over node:http, as a browser's tus
 * client would: every POST / PATCH / DELETE carries Origin and
 * Sec-Fetch-Site: same-origin (the app's sameOriginOnly check) and the
 * session cookie of a signed-in test client. Bodies are raw bytes both ways
 * (the http.ts client reads text, which would mangle a download).
 */

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** Header lines exactly as received, to count repeated ones. */
  rawHeaders: string[];
  body: Buffer;
  text: string;
  /** The body as JSON, or undefined if it is not JSON. */
  json: <T = Record<string, unknown>>() => T | undefined;
}

export interface RawRequestOptions {
  headers?: Record<string, string>;
  /** null: no body. A Buffer is sent with its Content-Length unless `chunked`. */
  body?: Buffer | null;
  /** Send the body with Transfer-Encoding: chunked (no Content-Length). */
  chunked?: boolean;
}

export function rawRequest(url: string | URL, method: string, options: RawRequestOptions = {}): Promise<RawResponse> {
  const body = options.body ?? null;
  const headers: Record<string, string> = { ...options.headers };
  if (body !== null && !options.chunked && !Object.keys(headers).some((h) => h.toLowerCase() === "content-length")) {
    headers["Content-Length"] = String(body.length);
  }
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("error", reject);
      res.on("end", () => resolve(toRaw(res, Buffer.concat(chunks))));
    });
    req.on("error", reject);
    if (body !== null) req.write(body);
    req.end();
  });
}

function toRaw(res: http.IncomingMessage, body: Buffer): RawResponse {
  const text = body.toString("utf8");
  return {
    status: res.statusCode ?? 0,
    headers: res.headers,
    rawHeaders: res.rawHeaders,
    body,
    text,
    json<T>() {
      try {
        return JSON.parse(text) as T;
      } catch {
        return undefined;
      }
    },
  };
}

/** The Cookie header a signed-in test client would send. */
export function cookieHeader(who: Client | null): Record<string, string> {
  if (!who || who.cookies.size === 0) return {};
  return { Cookie: [...who.cookies].map(([k, v]) => `${k}=${v}`).join("; ") };
}

/** Upload-Metadata: `key base64(value)` pairs; a null value is sent as a bare key. */
export function encodeMetadata(metadata: Record<string, string | null | undefined>): string {
  return Object.entries(metadata)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => (v === null ? k : `${k} ${Buffer.from(v!, "utf8").toString("base64")}`))
    .join(",");
}

export function sha256Hex(bytes: Buffer): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** Reproducible bytes that no type sniffer takes for anything (a NUL-bearing prefix, then a hash stream). */
export function binaryBytes(size: number, seed = "cercle"): Buffer {
  const out = Buffer.alloc(size);
  const prefix = Buffer.from("CERCLE\u0000BIN\u0000");
  let filled = 0;
  for (let i = 0; filled < size; i++) {
    const block = i === 0 ? prefix : createHash("sha256").update(`${seed}:${i}`).digest();
    filled += block.copy(out, filled);
  }
  return out;
}

export interface SameOrigin {
  /** Origin header; default the server's origin; null: none. */
  origin?: string | null;
  /** Sec-Fetch-Site header; default "same-origin"; null: none. */
  secFetchSite?: string | null;
}

export interface CreateOptions extends SameOrigin {
  /** Upload-Length; null sends none (use with deferLength). */
  length: number | null;
  metadata?: Record<string, string | null | undefined>;
  deferLength?: boolean;
  headers?: Record<string, string>;
}

export interface PatchOptions extends SameOrigin {
  headers?: Record<string, string>;
  chunked?: boolean;
}

export interface FinishedUpload {
  location: string;
  uploadId: string;
  fileId: string;
  /** The response that carried the last byte. */
  last: RawResponse;
}

/**
 * One person's tus client. `who` null is an anonymous browser (no cookie).
 * Locations are the relative URLs the server answered with.
 */
export class Tus {
  constructor(
    readonly baseUrl: string,
    readonly who: Client | null,
  ) {}

  endpoint(spaceSlug: string) {
    return `/spaces/${spaceSlug}/files/uploads`;
  }

  private headers(method: string, extra: Record<string, string> = {}, so: SameOrigin = {}): Record<string, string> {
    const h: Record<string, string> = { "Tus-Resumable": "1.0.0", ...cookieHeader(this.who) };
    if (method !== "HEAD" && method !== "GET") {
      const origin = so.origin === undefined ? new URL(this.baseUrl).origin : so.origin;
      if (origin !== null) h.Origin = origin;
      const site = so.secFetchSite === undefined ? "same-origin" : so.secFetchSite;
      if (site !== null) h["Sec-Fetch-Site"] = site;
    }
    return { ...h, ...extra };
  }

  url(location: string) {
    return new URL(location, this.baseUrl);
  }

  /** POST: creates an upload. */
  create(spaceSlug: string, options: CreateOptions): Promise<RawResponse> {
    const extra: Record<string, string> = {};
    if (options.length !== null) extra["Upload-Length"] = String(options.length);
    if (options.deferLength) extra["Upload-Defer-Length"] = "1";
    if (options.metadata) extra["Upload-Metadata"] = encodeMetadata(options.metadata);
    return rawRequest(this.url(this.endpoint(spaceSlug)), "POST", {
      headers: this.headers("POST", { ...extra, ...options.headers }, options),
    });
  }

  /** POST that must succeed: returns the upload's location and id. */
  async start(spaceSlug: string, length: number, metadata: Record<string, string | null | undefined>) {
    const res = await this.create(spaceSlug, { length, metadata });
    if (res.status !== 201 || typeof res.headers.location !== "string") {
      throw new Error(`tus POST ${spaceSlug} answered ${res.status}: ${res.text}`);
    }
    const location = res.headers.location;
    return { location, uploadId: location.split("/").filter(Boolean).at(-1)!, res };
  }

  /** PATCH: sends bytes at an offset. */
  patch(location: string, offset: number, bytes: Buffer, options: PatchOptions = {}): Promise<RawResponse> {
    return rawRequest(this.url(location), "PATCH", {
      headers: this.headers(
        "PATCH",
        { "Content-Type": "application/offset+octet-stream", "Upload-Offset": String(offset), ...options.headers },
        options,
      ),
      body: bytes,
      chunked: options.chunked,
    });
  }

  /** HEAD: how far the upload got. */
  head(location: string, options: { headers?: Record<string, string> } = {}): Promise<RawResponse> {
    return rawRequest(this.url(location), "HEAD", { headers: this.headers("HEAD", options.headers) });
  }

  delete(location: string, options: SameOrigin = {}): Promise<RawResponse> {
    return rawRequest(this.url(location), "DELETE", { headers: this.headers("DELETE", {}, options) });
  }

  /**
   * A PATCH announcing all of `bytes` whose connection dies after `sent` of
   * them: the bytes are written, then (once `arrived()` says the server has
   * them, or after a pause) the socket is destroyed, as when a laptop lid closes.
   */
  async interruptedPatch(location: string, offset: number, bytes: Buffer, sent: number, arrived?: () => Promise<boolean>): Promise<void> {
    const req = http.request(this.url(location), {
      method: "PATCH",
      agent: false,
      headers: this.headers("PATCH", {
        "Content-Type": "application/offset+octet-stream",
        "Upload-Offset": String(offset),
        "Content-Length": String(bytes.length),
      }),
    });
    const ended = new Promise<void>((resolve) => {
      req.on("error", () => resolve());
      req.on("close", () => resolve());
      req.on("response", (res) => {
        res.resume();
        res.on("end", () => resolve());
      });
    });
    req.flushHeaders();
    await new Promise<void>((resolve, reject) => req.write(bytes.subarray(0, sent), (e) => (e ? reject(e) : resolve())));
    const deadline = Date.now() + 5_000;
    if (arrived) {
      while (!(await arrived()) && Date.now() < deadline) await sleep(20);
    } else {
      await sleep(300);
    }
    req.destroy();
    await ended;
  }

  /** A whole upload: POST, then the bytes in `chunks` PATCHes. Throws unless the last one finishes it. */
  async upload(
    spaceSlug: string,
    bytes: Buffer,
    metadata: Record<string, string | null | undefined>,
    options: { chunks?: number } = {},
  ): Promise<FinishedUpload> {
    const { location, uploadId } = await this.start(spaceSlug, bytes.length, metadata);
    const chunks = Math.max(1, options.chunks ?? 1);
    const step = Math.ceil(bytes.length / chunks) || 1;
    let offset = 0;
    let last: RawResponse | undefined;
    do {
      const part = bytes.subarray(offset, offset + step);
      last = await this.patch(location, offset, part);
      if (last.status !== 204) throw new Error(`tus PATCH at ${offset} answered ${last.status}: ${last.text}`);
      offset = Number(last.headers["upload-offset"]);
    } while (offset < bytes.length);
    const fileId = last.headers["upload-file-id"];
    if (typeof fileId !== "string") throw new Error(`the last PATCH carried no Upload-File-Id (headers: ${JSON.stringify(last.headers)})`);
    return { location, uploadId, fileId, last };
  }
}

/** GET (or HEAD) of a download URL as `who`, body as raw bytes. */
export function fetchBytes(baseUrl: string, who: Client | null, path: string, headers: Record<string, string> = {}, method = "GET") {
  return rawRequest(new URL(path, baseUrl), method, { headers: { ...cookieHeader(who), ...headers } });
}

export function sleep(ms: number) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
