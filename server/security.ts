import { randomBytes } from "node:crypto";
import type { NextFunction, Request, Response } from "express";
import helmet from "helmet";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Whether a state-changing request comes from our own pages. Browsers send
 * Sec-Fetch-Site (and Origin) on every form post and fetch; a request without
 * either is not from a browser page of ours and is refused too.
 */
export function isSameOrigin(
  headers: { origin?: string; secFetchSite?: string; host?: string; protocol: string },
  baseUrl: URL,
): boolean {
  if (headers.secFetchSite !== undefined) return headers.secFetchSite === "same-origin";
  if (!headers.origin || headers.origin === "null") return false;
  if (headers.origin === baseUrl.origin) return true;
  return headers.host !== undefined && headers.origin === `${headers.protocol}://${headers.host}`;
}

/**
 * Addresses posted to from elsewhere by design: a mail client's one-click
 * unsubscribe (RFC 8058) posts from its own servers. Each acts only on a
 * signed token it carries, never on a session, so a forged cross-site post
 * can do nothing with it.
 */
const CROSS_ORIGIN_POSTS = new Set(["/mail/unsubscribe"]);

export function sameOriginOnly(baseUrl: URL) {
  return (req: Request, res: Response, next: NextFunction) => {
    if (SAFE_METHODS.has(req.method) || CROSS_ORIGIN_POSTS.has(req.path)) return next();
    const ok = isSameOrigin(
      {
        origin: req.get("Origin"),
        secFetchSite: req.get("Sec-Fetch-Site"),
        host: req.get("Host"),
        protocol: req.protocol,
      },
      baseUrl,
    );
    if (ok) return next();
    res.status(403).type("text/plain").send("Cross-origin request refused / Requête d’une autre origine refusée");
  };
}

/** A fresh nonce per response: the only inline scripts that run are Remix's own. */
export function cspNonce(_req: Request, res: Response, next: NextFunction) {
  res.locals.cspNonce = randomBytes(16).toString("base64");
  next();
}

export function securityHeaders(options: { https: boolean; dev: boolean }) {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        "default-src": ["'self'"],
        "script-src": [
          "'self'",
          (_req, res) => `'nonce-${(res as Response).locals.cspNonce}'`,
          // Vite's dev client evaluates modules; never in production.
          ...(options.dev ? ["'unsafe-eval'"] : []),
        ],
        // React and Radix set style attributes; styles cannot run code.
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'", ...(options.dev ? ["ws:"] : [])],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        ...(options.https ? { "upgrade-insecure-requests": [] } : {}),
      },
    },
    crossOriginEmbedderPolicy: false,
    referrerPolicy: { policy: "strict-origin-when-cross-origin" },
    strictTransportSecurity: options.https ? { maxAge: 63072000, includeSubDomains: true } : false,
    xFrameOptions: { action: "deny" },
  });
}

/**
 * Lets a route replace a security header the defaults set (a stricter CSP on
 * a served file, say, or SAMEORIGIN on the one preview our pages frame): the
 * Remix adapter appends headers, which would otherwise send both values.
 */
const REPLACEABLE = new Set(["content-security-policy", "x-content-type-options", "cross-origin-resource-policy", "x-frame-options", "referrer-policy"]);

export function routesReplaceSecurityHeaders(_req: Request, res: Response, next: NextFunction) {
  const append = res.append.bind(res);
  res.append = (field: string, value?: string | string[]) => {
    if (REPLACEABLE.has(field.toLowerCase()) && value !== undefined) {
      res.setHeader(field, value);
      return res;
    }
    return append(field, value);
  };
  next();
}
