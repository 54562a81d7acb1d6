import { describe, expect, test } from "vitest";
import { parseEnv, type EnvResult } from "#app/utils/env.ts";

const DAY_MS = 24 * 60 * 60 * 1000;

function errorsOf(result: EnvResult): string[] {
  if (result.ok) throw new Error(`expected errors, got a valid environment: ${JSON.stringify(result.env)}`);
  return result.errors;
}

function envOf(result: EnvResult) {
  if (!result.ok) throw new Error(`expected a valid environment, got: ${result.errors.join("; ")}`);
  return result.env;
}

describe("parseEnv", () => {
  test("an empty environment gives the documented defaults", () => {
    const env = envOf(parseEnv({}));
    expect(env).toEqual({
      nodeEnv: "production",
      port: 3000,
      host: "0.0.0.0",
      dataDir: "./data",
      database: { kind: "sqlite", file: "data/cercle.db" },
      baseUrl: new URL("http://localhost:3000"),
      smtpUrl: null,
      mailFrom: "Cercle <cercle@localhost>",
      mailReplyTo: null,
      inboundSmtp: null,
      sessionIdleMs: 14 * DAY_MS,
      sessionMaxMs: 60 * DAY_MS,
      trustProxy: false,
      storage: { driver: "local" },
      maxFileBytes: 5 * 1024 ** 3,
      storageFreeMarginBytes: 256 * 1024 ** 2,
      testCrashBeforeFileRow: false,
      workers: null,
      backup: null,
    });
  });

  test("scheduled backups: off without BACKUP_DIR; interval and number kept are checked", () => {
    expect(envOf(parseEnv({ BACKUP_KEEP: "3" })).backup).toBeNull();
    expect(envOf(parseEnv({ BACKUP_DIR: "/var/backups/cercle" })).backup).toEqual({ dir: "/var/backups/cercle", intervalMs: DAY_MS, keep: 7, copyBucket: null });
    expect(envOf(parseEnv({ BACKUP_DIR: "/b", BACKUP_INTERVAL_HOURS: "6", BACKUP_KEEP: "28" })).backup).toEqual({ dir: "/b", intervalMs: 6 * 60 * 60 * 1000, keep: 28, copyBucket: null });
    expect(errorsOf(parseEnv({ BACKUP_DIR: "/b", BACKUP_INTERVAL_HOURS: "soon" })).join("\n")).toContain("BACKUP_INTERVAL_HOURS must be a number");
    expect(errorsOf(parseEnv({ BACKUP_DIR: "/b", BACKUP_INTERVAL_HOURS: "0" })).join("\n")).toContain("BACKUP_INTERVAL_HOURS must be a number above 0");
    expect(errorsOf(parseEnv({ BACKUP_DIR: "/b", BACKUP_INTERVAL_HOURS: "1000" })).join("\n")).toContain("BACKUP_INTERVAL_HOURS must be between");
    expect(errorsOf(parseEnv({ BACKUP_DIR: "/b", BACKUP_KEEP: "0" })).join("\n")).toContain("BACKUP_KEEP must be between 1 and 1000");
    expect(errorsOf(parseEnv({ BACKUP_DIR: "/b", BACKUP_KEEP: "two" })).join("\n")).toContain("BACKUP_KEEP must be a whole number of snapshots");
    const s3 = { STORAGE_DRIVER: "s3", S3_BUCKET: "cercle-live" };
    expect(envOf(parseEnv({ ...s3, BACKUP_DIR: "/b", BACKUP_COPY_BUCKET: "cercle-copies" })).backup?.copyBucket).toBe("cercle-copies");
    expect(errorsOf(parseEnv({ ...s3, BACKUP_DIR: "/b", BACKUP_COPY_BUCKET: "cercle-live" })).join("\n")).toContain("must be another bucket than S3_BUCKET");
    expect(errorsOf(parseEnv({ BACKUP_DIR: "/b", BACKUP_COPY_BUCKET: "cercle-copies" })).join("\n")).toContain("BACKUP_COPY_BUCKET is for S3 storage");
  });

  test("answers by mail: the listener needs the reply address; its port is checked", () => {
    expect(envOf(parseEnv({ MAIL_REPLY_TO: "reponses@cercle.example", INBOUND_SMTP_PORT: "2525" }))).toMatchObject({
      mailReplyTo: "reponses@cercle.example",
      inboundSmtp: { port: 2525, host: "0.0.0.0" },
    });
    expect(envOf(parseEnv({ MAIL_REPLY_TO: "reponses@cercle.example" })).inboundSmtp).toBeNull();
    const alone = parseEnv({ INBOUND_SMTP_PORT: "2525" });
    expect(alone.ok).toBe(false);
    expect(alone.ok ? [] : alone.errors.join("\n")).toContain("MAIL_REPLY_TO is required when INBOUND_SMTP_PORT is set");
    for (const bad of [{ INBOUND_SMTP_PORT: "0", MAIL_REPLY_TO: "r@x.example" }, { INBOUND_SMTP_PORT: "smtp", MAIL_REPLY_TO: "r@x.example" }, { MAIL_REPLY_TO: "not an address" }]) {
      expect(parseEnv(bad).ok, JSON.stringify(bad)).toBe(false);
    }
  });

  test("empty strings count as unset", () => {
    const env = envOf(parseEnv({ PORT: "", BASE_URL: "", SMTP_URL: "", SESSION_IDLE_DAYS: "" }));
    expect(env.port).toBe(3000);
    expect(env.smtpUrl).toBeNull();
    expect(env.sessionIdleMs).toBe(14 * DAY_MS);
  });

  test("set values are used", () => {
    const env = envOf(
      parseEnv({
        NODE_ENV: "test",
        PORT: "8080",
        HOST: "127.0.0.1",
        DATA_DIR: "/var/lib/cercle",
        BASE_URL: "https://cercle.example.org",
        SMTP_URL: "smtps://user:pass@mail.example.org:465",
        MAIL_FROM: "Réseau <bonjour@example.org>",
        SESSION_IDLE_DAYS: "7",
        SESSION_MAX_DAYS: "30",
        TRUST_PROXY: "1",
        WEB_CONCURRENCY: "3",
      }),
    );
    expect(env.nodeEnv).toBe("test");
    expect(env.port).toBe(8080);
    expect(env.host).toBe("127.0.0.1");
    expect(env.dataDir).toBe("/var/lib/cercle");
    expect(env.baseUrl.origin).toBe("https://cercle.example.org");
    expect(env.smtpUrl).toBe("smtps://user:pass@mail.example.org:465");
    expect(env.mailFrom).toBe("Réseau <bonjour@example.org>");
    expect(env.sessionIdleMs).toBe(7 * DAY_MS);
    expect(env.sessionMaxMs).toBe(30 * DAY_MS);
    expect(env.trustProxy).toBe(true);
    expect(env.workers).toBe(3);
  });

  test("S3 storage takes its settings from S3_*", () => {
    const env = envOf(
      parseEnv({
        STORAGE_DRIVER: "s3",
        S3_BUCKET: "cercle-files",
        S3_REGION: "fr-par",
        S3_ENDPOINT: "https://s3.fr-par.scw.cloud",
        S3_ACCESS_KEY_ID: "key",
        S3_SECRET_ACCESS_KEY: "secret",
        S3_FORCE_PATH_STYLE: "1",
      }),
    );
    expect(env.storage).toEqual({
      driver: "s3",
      bucket: "cercle-files",
      region: "fr-par",
      endpoint: "https://s3.fr-par.scw.cloud",
      accessKeyId: "key",
      secretAccessKey: "secret",
      forcePathStyle: true,
    });
  });

  test("DATABASE_URL selects PostgreSQL; without it, the SQLite file in DATA_DIR", () => {
    expect(envOf(parseEnv({ DATA_DIR: "/srv/cercle" })).database).toEqual({ kind: "sqlite", file: "/srv/cercle/cercle.db" });
    const url = "postgres://cercle:s%40cret@db.internal:5432/cercle";
    expect(envOf(parseEnv({ DATABASE_URL: url })).database).toEqual({ kind: "postgres", url });
    expect(envOf(parseEnv({ DATABASE_URL: "postgresql://db/cercle" })).database.kind).toBe("postgres");
  });

  test("a DATABASE_URL that is not PostgreSQL's, or not a URL, is refused", () => {
    expect(errorsOf(parseEnv({ DATABASE_URL: "mysql://db/cercle" }))).toEqual([expect.stringMatching(/^DATABASE_URL: DATABASE_URL must be a postgres:\/\/ URL.*\(got "mysql:\/\/db\/cercle"\)$/)]);
    expect(errorsOf(parseEnv({ DATABASE_URL: "postgres://cercle:p@ss@:db/x" }))).toEqual([expect.stringMatching(/^DATABASE_URL: DATABASE_URL is not a valid URL/)]);
  });

  test("scheduled backups of the SQLite file are refused on PostgreSQL, with what to do instead", () => {
    const errors = errorsOf(parseEnv({ DATABASE_URL: "postgres://db/cercle", BACKUP_DIR: "/backups" }));
    expect(errors).toEqual([expect.stringMatching(/^BACKUP_DIR: .*pg_dump.*unset BACKUP_DIR/)]);
  });

  test("S3 without a bucket is refused, naming S3_BUCKET", () => {
    const errors = errorsOf(parseEnv({ STORAGE_DRIVER: "s3" }));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^S3_BUCKET: .*STORAGE_DRIVER=s3/);
  });

  test("an access key without its secret is refused", () => {
    const errors = errorsOf(parseEnv({ STORAGE_DRIVER: "s3", S3_BUCKET: "b-files", S3_ACCESS_KEY_ID: "key" }));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^S3_SECRET_ACCESS_KEY: /);
  });

  test("MAX_FILE_MB sets the largest upload", () => {
    expect(envOf(parseEnv({ MAX_FILE_MB: "10" })).maxFileBytes).toBe(10 * 1024 * 1024);
  });

  test("STORAGE_FREE_MARGIN_MB sets the room uploads leave free on the disk; 0 is allowed", () => {
    expect(envOf(parseEnv({ STORAGE_FREE_MARGIN_MB: "64" })).storageFreeMarginBytes).toBe(64 * 1024 * 1024);
    expect(envOf(parseEnv({ STORAGE_FREE_MARGIN_MB: "0" })).storageFreeMarginBytes).toBe(0);
  });

  test("without BASE_URL, the base URL follows PORT", () => {
    expect(envOf(parseEnv({ PORT: "4321" })).baseUrl.href).toBe("http://localhost:4321/");
  });

  test("fractional session lengths are allowed (hours)", () => {
    expect(envOf(parseEnv({ SESSION_IDLE_DAYS: "0.5", SESSION_MAX_DAYS: "1" })).sessionIdleMs).toBe(DAY_MS / 2);
  });

  test.each(["true", "1"])("TRUST_PROXY=%s trusts the proxy", (value) => {
    expect(envOf(parseEnv({ TRUST_PROXY: value })).trustProxy).toBe(true);
  });
  test.each(["false", "0"])("TRUST_PROXY=%s does not", (value) => {
    expect(envOf(parseEnv({ TRUST_PROXY: value })).trustProxy).toBe(false);
  });

  describe("one message per bad value, naming the variable and what was given", () => {
    test.each([
      ["PORT", "abc"],
      ["PORT", "0"],
      ["PORT", "65536"],
      ["PORT", "80.5"],
      ["PORT", "-1"],
      ["BASE_URL", "not a url"],
      ["BASE_URL", "ftp://cercle.example.org"],
      ["BASE_URL", "javascript:alert(1)"],
      ["SMTP_URL", "http://mail.example.org"],
      ["SMTP_URL", "mail.example.org:587"],
      ["SESSION_IDLE_DAYS", "abc"],
      ["SESSION_IDLE_DAYS", "0"],
      ["SESSION_IDLE_DAYS", "-3"],
      ["SESSION_MAX_DAYS", "never"],
      ["TRUST_PROXY", "yes"],
      ["NODE_ENV", "staging"],
      ["STORAGE_DRIVER", "ftp"],
      ["S3_ENDPOINT", "minio:9000"],
      ["S3_FORCE_PATH_STYLE", "yes"],
      ["MAX_FILE_MB", "0"],
      ["STORAGE_FREE_MARGIN_MB", "-1"],
      ["STORAGE_FREE_MARGIN_MB", "lots"],
      ["CERCLE_TEST_CRASH_BEFORE_FILE_ROW", "yes"],
      ["WEB_CONCURRENCY", "0"],
      ["WEB_CONCURRENCY", "two"],
      ["WEB_CONCURRENCY", "1.5"],
      ["WEB_CONCURRENCY", "65"],
    ])("%s=%s", (name, value) => {
      const errors = errorsOf(parseEnv({ [name]: value }));
      expect(errors).toHaveLength(1);
      expect(errors[0].startsWith(`${name}: `)).toBe(true);
      expect(errors[0]).toContain(`"${value}"`);
    });

    test("several bad values give one message each", () => {
      const errors = errorsOf(parseEnv({ PORT: "http", BASE_URL: "ftp://x.example", SMTP_URL: "https://mail.example" }));
      expect(errors).toHaveLength(3);
      expect(errors.map((e) => e.split(":")[0]).sort()).toEqual(["BASE_URL", "PORT", "SMTP_URL"]);
    });

    test("SESSION_MAX_DAYS shorter than SESSION_IDLE_DAYS is refused, naming SESSION_MAX_DAYS", () => {
      const errors = errorsOf(parseEnv({ SESSION_IDLE_DAYS: "30", SESSION_MAX_DAYS: "10" }));
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatch(/^SESSION_MAX_DAYS: /);
      expect(errors[0]).toContain("SESSION_IDLE_DAYS");
    });

    test("SESSION_MAX_DAYS below the default idle length is refused too", () => {
      const errors = errorsOf(parseEnv({ SESSION_MAX_DAYS: "7" }));
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatch(/^SESSION_MAX_DAYS: /);
    });

    test("the session-length mismatch is reported alongside the other bad values, not after they are fixed", () => {
      const errors = errorsOf(parseEnv({ PORT: "x", SESSION_IDLE_DAYS: "30", SESSION_MAX_DAYS: "10" }));
      expect(errors.map((e) => e.split(":")[0]).sort()).toEqual(["PORT", "SESSION_MAX_DAYS"]);
    });

    test("equal lengths are fine", () => {
      expect(parseEnv({ SESSION_IDLE_DAYS: "10", SESSION_MAX_DAYS: "10" }).ok).toBe(true);
    });
  });

  test("variables the app does not know are ignored", () => {
    expect(parseEnv({ PATH: "/usr/bin", HOME: "/root" }).ok).toBe(true);
  });
});
