import http from "node:http";

/** One HTTP answer, read whole. */
export interface HttpResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** Set-Cookie lines exactly as sent. */
  setCookies: string[];
  /** The Location header, or null. */
  location: string | null;
  text: string;
}

export interface RequestOptions {
  headers?: Record<string, string>;
}

export interface PostOptions extends RequestOptions {
  /** Origin header; default: the server's origin; null: none. */
  origin?: string | null;
  /** Sec-Fetch-Site header; default "same-origin"; null: none. */
  secFetchSite?: string | null;
}

export interface Client {
  readonly baseUrl: string;
  /** name → value of the cookies the server has set and not cleared. */
  readonly cookies: Map<string, string>;
  /** The last response, for debugging and for assertions on headers. */
  readonly last: HttpResponse | undefined;
  get(path: string, options?: RequestOptions): Promise<HttpResponse>;
  /** Fields as an object, or as [name, value] pairs when a name repeats (a list of checkboxes). */
  post(path: string, fields?: Record<string, string> | Array<[string, string]>, options?: PostOptions): Promise<HttpResponse>;
  setCookie(name: string, value: string): void;
}

/**
 * A tiny browser stand-in built on node:http (not fetch, so no header is added
 * behind our back): keeps cookies, never follows redirects, and by default
 * sends on POST the headers a browser sends for a same-origin form.
 */
export function client(baseUrl: string, defaults: { headers?: Record<string, string> } = {}): Client {
  const origin = new URL(baseUrl).origin;
  const cookies = new Map<string, string>();
  let last: HttpResponse | undefined;

  async function send(method: string, path: string, body: string | null, headers: Record<string, string>) {
    const all: Record<string, string> = { ...defaults.headers, ...headers };
    if (cookies.size > 0 && !Object.keys(all).some((h) => h.toLowerCase() === "cookie")) {
      all.Cookie = [...cookies].map(([k, v]) => `${k}=${v}`).join("; ");
    }
    const response = await request(new URL(path, origin), method, all, body);
    for (const line of response.setCookies) storeCookie(cookies, line);
    last = response;
    return response;
  }

  return {
    baseUrl: origin,
    cookies,
    get last() {
      return last;
    },
    get(path, options = {}) {
      return send("GET", path, null, { ...options.headers });
    },
    post(path, fields = {}, options = {}) {
      const headers: Record<string, string> = { "Content-Type": "application/x-www-form-urlencoded" };
      const o = options.origin === undefined ? origin : options.origin;
      if (o !== null) headers.Origin = o;
      const site = options.secFetchSite === undefined ? "same-origin" : options.secFetchSite;
      if (site !== null) headers["Sec-Fetch-Site"] = site;
      return send("POST", path, new URLSearchParams(fields).toString(), { ...headers, ...options.headers });
    },
    setCookie(name, value) {
      cookies.set(name, value);
    },
  };
}

function storeCookie(jar: Map<string, string>, line: string) {
  const [pair, ...attributes] = line.split(";");
  const eq = pair.indexOf("=");
  if (eq < 0) return;
  const name = pair.slice(0, eq).trim();
  const value = pair.slice(eq + 1).trim();
  const expired = attributes.some((a) => {
    const [k, v = ""] = a.trim().split("=");
    if (k.toLowerCase() === "max-age") return Number(v) <= 0;
    if (k.toLowerCase() === "expires") return Date.parse(v) <= Date.now();
    return false;
  });
  if (expired || value === "") jar.delete(name);
  else jar.set(name, value);
}

export function request(
  url: URL,
  method: string,
  headers: Record<string, string>,
  body: string | null = null,
): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        method,
        headers: body === null ? headers : { ...headers, "Content-Length": String(Buffer.byteLength(body)) },
        // A fresh connection each time: nothing lingers when the server closes.
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("error", reject);
        res.on("end", () => {
          const setCookie = res.headers["set-cookie"];
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            setCookies: setCookie ?? [],
            location: typeof res.headers.location === "string" ? res.headers.location : null,
            text: Buffer.concat(chunks).toString("utf8"),
          });
        });
      },
    );
    req.on("error", reject);
    if (body !== null) req.write(body);
    req.end();
  });
}

/** One Set-Cookie line of a response, split into its value and attributes (names lower-cased). */
export function findSetCookie(response: HttpResponse, name: string) {
  const line = response.setCookies.find((l) => l.startsWith(`${name}=`));
  if (!line) return undefined;
  const [pair, ...rest] = line.split(";");
  const attributes = new Map<string, string>();
  for (const a of rest) {
    const [k, ...v] = a.trim().split("=");
    attributes.set(k.toLowerCase(), v.join("="));
  }
  return { line, value: pair.slice(name.length + 1), attributes };
}

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: "\u00a0" };

/** The visible text of an HTML page, roughly: tags and scripts removed, entities decoded, spaces collapsed. */
export function pageText(html: string): string {
  return html
    .replace(/<script[\s\S]*?<\/script>/gi, " ")
    .replace(/<style[\s\S]*?<\/style>/gi, " ")
    .replace(/<[^>]+>/g, " ")
    .replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (m, e: string) => {
      if (e[0] === "#") return String.fromCodePoint(e[1].toLowerCase() === "x" ? parseInt(e.slice(2), 16) : Number(e.slice(1)));
      return ENTITIES[e.toLowerCase()] ?? m;
    })
    .replace(/\s+/g, " ")
    .trim();
}
