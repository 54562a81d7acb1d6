import path from "node:path";
import { z } from "zod";
import type { StorageConfig } from "#storage/types.ts";

/**
 * The environment, checked once at start. Pure (takes the variables as an
 * argument) so the checks are unit-tested; env.server.ts reads process.env.
 */

const positiveNumber = (name: string) =>
  z.coerce.number({ error: `${name} must be a number` }).refine((n) => Number.isFinite(n) && n > 0, {
    error: `${name} must be a number above 0`,
  });

/** A whole number within [min, max], as a variable's text. */
const wholeNumber = (name: string, min: number, max: number, what = "a whole number") =>
  z
    .string()
    .regex(/^\d+$/, { error: `${name} must be ${what}` })
    .transform(Number)
    .refine((n) => n >= min && n <= max, { error: `${name} must be between ${min} and ${max}` });

const schema = z
  .object({
    NODE_ENV: z.enum(["production", "development", "test"]).default("production"),
    PORT: wholeNumber("PORT", 1, 65535).default(3000),
    HOST: z.string().min(1).default("0.0.0.0"),
    DATA_DIR: z.string().min(1, { error: "DATA_DIR must not be empty" }).default("./data"),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\/./i, { error: "DATABASE_URL must be a postgres:// URL, e.g. postgres://cercle:secret@db.internal:5432/cercle (unset: the SQLite file in DATA_DIR)" })
      .refine((u) => URL.canParse(u), { error: "DATABASE_URL is not a valid URL (a password with @, : or / must be percent-encoded)" })
      .optional(),
    BASE_URL: z
      .url({ protocol: /^https?$/, abort: true, error: "BASE_URL must be an http:// or https:// URL, e.g. https://cercle.example.org" })
      .refine((u) => new URL(u).pathname === "/", { error: "BASE_URL must be an origin without a path (Cercle serves from /)" })
      .optional(),
    SMTP_URL: z
      .url({ protocol: /^smtps?$/, error: "SMTP_URL must be an smtp:// or smtps:// URL, e.g. smtp://user:pass@mail.example.org:587" })
      .optional(),
    MAIL_FROM: z.string().min(3).default("Cercle <cercle@localhost>"),
    // Answering by mail: the address replies go to (a "+token" is added to its local part), and the
    // port of Cercle's own SMTP listener that receives them (off when unset; an MTA may pipe into
    // `npm run mail:receive` instead).
    MAIL_REPLY_TO: z.email({ error: "MAIL_REPLY_TO must be a mail address, e.g. reply@cercle.example.org" }).optional(),
    INBOUND_SMTP_PORT: wholeNumber("INBOUND_SMTP_PORT", 1, 65535).optional(),
    INBOUND_SMTP_HOST: z.string().min(1).default("0.0.0.0"),
    SESSION_IDLE_DAYS: positiveNumber("SESSION_IDLE_DAYS").default(14),
    SESSION_MAX_DAYS: positiveNumber("SESSION_MAX_DAYS").default(60),
    TRUST_PROXY: z.enum(["0", "1", "true", "false"], { error: "TRUST_PROXY must be 1 or 0" }).default("0"),
    STORAGE_DRIVER: z.enum(["local", "s3"], { error: "STORAGE_DRIVER must be local or s3" }).default("local"),
    S3_BUCKET: z.string().min(3).optional(),
    S3_REGION: z.string().min(1).default("us-east-1"),
    S3_ENDPOINT: z.url({ protocol: /^https?$/, error: "S3_ENDPOINT must be an http:// or https:// URL, e.g. https://s3.fr-par.scw.cloud" }).optional(),
    S3_ACCESS_KEY_ID: z.string().min(1).optional(),
    S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
    S3_FORCE_PATH_STYLE: z.enum(["0", "1", "true", "false"], { error: "S3_FORCE_PATH_STYLE must be 1 or 0" }).default("0"),
    MAX_FILE_MB: positiveNumber("MAX_FILE_MB").default(5120),
    STORAGE_FREE_MARGIN_MB: z.coerce
      .number({ error: "STORAGE_FREE_MARGIN_MB must be a number" })
      .refine((n) => Number.isFinite(n) && n >= 0, { error: "STORAGE_FREE_MARGIN_MB must be a number of megabytes, 0 or more" })
      .default(256),
    CERCLE_TEST_CRASH_BEFORE_FILE_ROW: z.enum(["0", "1"], { error: "CERCLE_TEST_CRASH_BEFORE_FILE_ROW must be 1 or 0" }).default("0"),
    WEB_CONCURRENCY: wholeNumber("WEB_CONCURRENCY", 1, 64, "a whole number of processes").optional(),
    // Scheduled backups by the primary process (app/backup/job.server.ts): off unless BACKUP_DIR is set.
    BACKUP_DIR: z.string().min(1).optional(),
    BACKUP_INTERVAL_HOURS: positiveNumber("BACKUP_INTERVAL_HOURS")
      .refine((n) => n >= 1 / 60 && n <= 24 * 31, { error: "BACKUP_INTERVAL_HOURS must be between 0.0167 (one minute) and 744 (31 days)" })
      .default(24),
    BACKUP_KEEP: wholeNumber("BACKUP_KEEP", 1, 1000, "a whole number of snapshots").default(7),
    BACKUP_COPY_BUCKET: z.string().min(3, { error: "BACKUP_COPY_BUCKET must be a bucket name" }).optional(),
  })
  .refine((e) => e.BACKUP_COPY_BUCKET === undefined || (e.STORAGE_DRIVER === "s3" && e.BACKUP_COPY_BUCKET !== e.S3_BUCKET), {
    path: ["BACKUP_COPY_BUCKET"],
    error: "BACKUP_COPY_BUCKET is for S3 storage, and must be another bucket than S3_BUCKET (local backups hold a copy of the files already)",
    when: (payload) => !payload.issues.some((i) => i.path?.[0] === "BACKUP_COPY_BUCKET" || i.path?.[0] === "STORAGE_DRIVER"),
  })
  .refine((e) => e.INBOUND_SMTP_PORT === undefined || e.MAIL_REPLY_TO !== undefined, {
    path: ["MAIL_REPLY_TO"],
    error: "MAIL_REPLY_TO is required when INBOUND_SMTP_PORT is set (the address replies are sent to)",
    when: (payload) => !payload.issues.some((i) => i.path?.[0] === "INBOUND_SMTP_PORT" || i.path?.[0] === "MAIL_REPLY_TO"),
  })
  .refine((e) => e.BACKUP_DIR === undefined || e.DATABASE_URL === undefined, {
    path: ["BACKUP_DIR"],
    error:
      "BACKUP_DIR schedules copies of the SQLite file; with DATABASE_URL back the database up with PostgreSQL's own tools (pg_dump, or base backups with WAL archiving) and unset BACKUP_DIR",
    when: (payload) => !payload.issues.some((i) => i.path?.[0] === "BACKUP_DIR" || i.path?.[0] === "DATABASE_URL"),
  })
  .refine((e) => e.STORAGE_DRIVER !== "s3" || e.S3_BUCKET !== undefined, {
    path: ["S3_BUCKET"],
    error: "S3_BUCKET is required when STORAGE_DRIVER=s3",
    when: (payload) => !payload.issues.some((i) => i.path?.[0] === "STORAGE_DRIVER" || i.path?.[0] === "S3_BUCKET"),
  })
  .refine((e) => (e.S3_ACCESS_KEY_ID === undefined) === (e.S3_SECRET_ACCESS_KEY === undefined), {
    path: ["S3_SECRET_ACCESS_KEY"],
    error: "S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY go together: set both, or neither to use the default AWS credentials",
    when: (payload) => !payload.issues.some((i) => i.path?.[0] === "S3_ACCESS_KEY_ID" || i.path?.[0] === "S3_SECRET_ACCESS_KEY"),
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
  /** Where the data lives: PostgreSQL at DATABASE_URL, or the SQLite file DATA_DIR/cercle.db. */
  database: { kind: "sqlite"; file: string } | { kind: "postgres"; url: string };
  baseUrl: URL;
  smtpUrl: string | null;
  mailFrom: string;
  /** The address replies go to, a token added to its local part; null: mails cannot be answered. */
  mailReplyTo: string | null;
  /** Cercle's own SMTP listener for replies; null: off. */
  inboundSmtp: { port: number; host: string } | null;
  sessionIdleMs: number;
  sessionMaxMs: number;
  trustProxy: boolean;
  storage: StorageSettings;
  /** Largest file one upload may carry. */
  maxFileBytes: number;
  /** Local storage: room an upload must leave free on the disk (for the database, thumbnails, logs). */
  storageFreeMarginBytes: number;
  /**
   * Fault injection for one test (tests/integration/files-upload-crash.test.ts): the process
   * kills itself (SIGKILL) between an upload's last byte and its file row. Never set it otherwise.
   */
  testCrashBeforeFileRow: boolean;
  /** HTTP worker processes; null means one per CPU. */
  workers: number | null;
  /**
   * Scheduled backups into `dir`, every `intervalMs`, the newest `keep` kept; on S3, the objects copied to
   * `copyBucket` (under the snapshot's name) when set. null: none (npm run backup still works).
   */
  backup: { dir: string; intervalMs: number; keep: number; copyBucket: string | null } | null;
}

/** Where files go: DATA_DIR/files (its folder is set from DATA_DIR), or an S3 bucket (AWS, MinIO, Ceph, Scaleway…). */
export type StorageSettings = { driver: "local" } | Extract<StorageConfig, { driver: "s3" }>;

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
      database: e.DATABASE_URL ? { kind: "postgres", url: e.DATABASE_URL } : { kind: "sqlite", file: path.join(e.DATA_DIR, "cercle.db") },
      baseUrl: new URL(e.BASE_URL ?? `http://localhost:${e.PORT}`),
      smtpUrl: e.SMTP_URL ?? null,
      mailFrom: e.MAIL_FROM,
      mailReplyTo: e.MAIL_REPLY_TO ?? null,
      inboundSmtp: e.INBOUND_SMTP_PORT ? { port: e.INBOUND_SMTP_PORT, host: e.INBOUND_SMTP_HOST } : null,
      sessionIdleMs: e.SESSION_IDLE_DAYS * DAY_MS,
      sessionMaxMs: e.SESSION_MAX_DAYS * DAY_MS,
      trustProxy: e.TRUST_PROXY === "1" || e.TRUST_PROXY === "true",
      storage:
        e.STORAGE_DRIVER === "s3"
          ? {
              driver: "s3",
              bucket: e.S3_BUCKET!,
              region: e.S3_REGION,
              endpoint: e.S3_ENDPOINT ?? null,
              accessKeyId: e.S3_ACCESS_KEY_ID ?? null,
              secretAccessKey: e.S3_SECRET_ACCESS_KEY ?? null,
              forcePathStyle: e.S3_FORCE_PATH_STYLE === "1" || e.S3_FORCE_PATH_STYLE === "true",
            }
          : { driver: "local" },
      maxFileBytes: Math.floor(e.MAX_FILE_MB * 1024 * 1024),
      storageFreeMarginBytes: Math.floor(e.STORAGE_FREE_MARGIN_MB * 1024 * 1024),
      testCrashBeforeFileRow: e.CERCLE_TEST_CRASH_BEFORE_FILE_ROW === "1",
      workers: e.WEB_CONCURRENCY ?? null,
      backup: e.BACKUP_DIR ? { dir: e.BACKUP_DIR, intervalMs: Math.round(e.BACKUP_INTERVAL_HOURS * 60 * 60 * 1000), keep: e.BACKUP_KEEP, copyBucket: e.BACKUP_COPY_BUCKET ?? null } : null,
    },
  };
}
