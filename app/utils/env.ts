import { z } from "zod";

/**
 * The environment, checked once at start. Pure (takes the variables as an
 * argument) so the checks are unit-tested; env.server.ts reads process.env.
 */

const positiveNumber = (name: string) =>
  z.coerce.number({ error: `${name} must be a number` }).refine((n) => Number.isFinite(n) && n > 0, {
    error: `${name} must be a number above 0`,
  });

const schema = z
  .object({
    NODE_ENV: z.enum(["production", "development", "test"]).default("production"),
    PORT: z
      .string()
      .regex(/^\d+$/, { error: "PORT must be a whole number" })
      .transform(Number)
      .refine((n) => n >= 1 && n <= 65535, { error: "PORT must be between 1 and 65535" })
      .default(3000),
    HOST: z.string().min(1).default("0.0.0.0"),
    DATA_DIR: z.string().min(1, { error: "DATA_DIR must not be empty" }).default("./data"),
    BASE_URL: z
      .url({ protocol: /^https?$/, abort: true, error: "BASE_URL must be an http:// or https:// URL, e.g. https://cercle.example.org" })
      .refine((u) => new URL(u).pathname === "/", { error: "BASE_URL must be an origin without a path (Cercle serves from /)" })
      .optional(),
    SMTP_URL: z
      .url({ protocol: /^smtps?$/, error: "SMTP_URL must be an smtp:// or smtps:// URL, e.g. smtp://user:pass@mail.example.org:587" })
      .optional(),
    MAIL_FROM: z.string().min(3).default("Cercle <cercle@localhost>"),
    SESSION_IDLE_DAYS: positiveNumber("SESSION_IDLE_DAYS").default(14),
    SESSION_MAX_DAYS: positiveNumber("SESSION_MAX_DAYS").default(60),
    TRUST_PROXY: z.enum(["0", "1", "true", "false"], { error: "TRUST_PROXY must be 1 or 0" }).default("0"),
    WEB_CONCURRENCY: z
      .string()
      .regex(/^\d+$/, { error: "WEB_CONCURRENCY must be a whole number of processes" })
      .transform(Number)
      .refine((n) => n >= 1 && n <= 64, { error: "WEB_CONCURRENCY must be between 1 and 64" })
      .optional(),
  })
  .refine((e) => e.SESSION_MAX_DAYS >= e.SESSION_IDLE_DAYS, {
    path: ["SESSION_MAX_DAYS"],
    error: "SESSION_MAX_DAYS must be at least SESSION_IDLE_DAYS",
    // Checked even when another variable is bad, so every problem shows at once.
    when: (payload) => !payload.issues.some((i) => i.path?.[0] === "SESSION_IDLE_DAYS" || i.path?.[0] === "SESSION_MAX_DAYS"),
  });

export interface Env {
  nodeEnv: "production" | "development" | "test";
  port: number;
  host: string;
  dataDir: string;
  baseUrl: URL;
  smtpUrl: string | null;
  mailFrom: string;
  sessionIdleMs: number;
  sessionMaxMs: number;
  trustProxy: boolean;
  /** HTTP worker processes; null means one per CPU. */
  workers: number | null;
}

const DAY_MS = 24 * 60 * 60 * 1000;

export type EnvResult = { ok: true; env: Env } | { ok: false; errors: string[] };

export function parseEnv(source: Record<string, string | undefined>): EnvResult {
  // An empty variable means "not set", as in most shells' .env handling.
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ""));
  const result = schema.safeParse(cleaned);
  if (!result.success) {
    return {
      ok: false,
      errors: result.error.issues.map((issue) => {
        const name = issue.path.join(".");
        const given = name ? source[name] : undefined;
        return `${name}: ${issue.message}${given !== undefined ? ` (got "${given}")` : ""}`;
      }),
    };
  }
  const e = result.data;
  return {
    ok: true,
    env: {
      nodeEnv: e.NODE_ENV,
      port: e.PORT,
      host: e.HOST,
      dataDir: e.DATA_DIR,
      baseUrl: new URL(e.BASE_URL ?? `http://localhost:${e.PORT}`),
      smtpUrl: e.SMTP_URL ?? null,
      mailFrom: e.MAIL_FROM,
      sessionIdleMs: e.SESSION_IDLE_DAYS * DAY_MS,
      sessionMaxMs: e.SESSION_MAX_DAYS * DAY_MS,
      trustProxy: e.TRUST_PROXY === "1" || e.TRUST_PROXY === "true",
      workers: e.WEB_CONCURRENCY ?? null,
    },
  };
}
