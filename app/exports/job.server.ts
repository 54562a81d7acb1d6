import { hostname } from "node:os";
import { randomBytes } from "node:crypto";
import type { DB } from "#db/client.ts";
import { audit } from "#db/queries/audit.ts";
import * as exports from "#db/queries/data-exports.ts";
import type { DataExport } from "#db/queries/data-exports.ts";
import { transact } from "#db/transact.ts";
import { exportKey } from "#storage/keys.ts";
import type { StorageDriver } from "#storage/types.ts";
import { isLocale } from "#app/i18n/index.ts";
import type { Job } from "#app/jobs/scheduler.server.ts";
import { queueMails, send } from "#app/mail/outbox.server.ts";
import { letterhead, type Letterhead } from "#app/utils/acting.server.ts";
import { getDb } from "#app/utils/db.server.ts";
import { logRecord } from "#app/utils/log.ts";
import { getStorage } from "#app/utils/storage.server.ts";
import { gatherExport } from "./content.server.ts";
import { exportReadyMail } from "./mail.ts";
import { writeExportZip } from "./zip.server.ts";

/**
 * Builds the exports members asked for, each exactly once. An export is
 * claimed in the database first (db/queries/data-exports.ts claimNext: one
 * conditional UPDATE), so however many processes sweep, one builds it; the
 * builder pushes its claim forward with its progress, every second. A builder
 * that dies stops doing so: once CLAIM_MS has passed, the next sweep takes the
 * export up again from the start (the zip is rewritten whole under the same
 * key; put() never shows a half-written object). After MAX_ATTEMPTS deaths it
 * is failed, and the member may ask again. A builder that finds its claim
 * taken (it was too slow to report, and presumed dead) stops at once.
 *
 * Ready: the member is told by mail (a link to the settings page, never to
 * the file) and on that page; the export is audited. It expires 7 days later
 * (housekeeping deletes it and its zip).
 */

export const EXPORT_KEPT_MS = 7 * 24 * 60 * 60 * 1000;
export const CLAIM_MS = 2 * 60 * 1000;
const MAX_ATTEMPTS = 3;
const PROGRESS_EVERY_MS = 1000;
const PER_RUN = 5;

const worker = `${hostname()}:${process.pid}:${randomBytes(4).toString("hex")}`;

export interface BuildDeps {
  db: DB;
  storage: StorageDriver;
  letterhead: Letterhead;
  /** Who claims (a test names two builders); default: this process. */
  by?: string;
  now?: () => number;
  /** Hands the queued mails' ids to the outbox once committed; default: send them now. */
  sendMails?: (ids: string[]) => void;
}

export type BuildOutcome = { export: DataExport; state: "ready" | "failed" | "lost"; error?: string };

/** Claims and builds one export; null when none waits. */
export async function buildNextExport(deps: BuildDeps): Promise<BuildOutcome | null> {
  const now = deps.now ?? Date.now;
  const by = deps.by ?? worker;
  const { db, storage } = deps;
  const claimed = await exports.claimNext(db, { by, now: now(), claimMs: CLAIM_MS, maxAttempts: MAX_ATTEMPTS });
  if (!claimed) return null;

  const aborter = new AbortController();
  let lastWrite = 0;
  let writing: Promise<unknown> = Promise.resolve();
  const onProgress = ({ done, total }: { done: number; total: number }) => {
    const at = now();
    if (at - lastWrite < PROGRESS_EVERY_MS || aborter.signal.aborted) return;
    lastWrite = at;
    writing = writing.then(async () => {
      const still = await exports.recordProgress(db, { id: claimed.id, by, done, total, until: now() + CLAIM_MS });
      if (!still) aborter.abort(new Error("claim lost"));
    });
  };

  const key = exportKey(claimed.user_id, claimed.id);
  try {
    const content = await gatherExport(db, { userId: claimed.user_id, baseUrl: deps.letterhead.baseUrl, now: now() });
    const zip = await writeExportZip(storage, key, content, {
      network: deps.letterhead.network.name,
      madeAt: new Date(now()),
      onProgress,
      signal: aborter.signal,
    });
    await writing;
    if (aborter.signal.aborted) return { export: claimed, state: "lost" };
    const readyAt = now();
    const outcome = await transact(db, async (trx) => {
      const ready = await exports.markReady(trx, { id: claimed.id, by, storageKey: key, size: zip.size, files: zip.files, now: readyAt, expiresAt: readyAt + EXPORT_KEPT_MS });
      if (!ready) return { ok: false as const, error: "lost" };
      await audit(trx, {
        event: "data_export_ready",
        actorId: null,
        targetUserId: claimed.user_id,
        ip: "",
        data: { export: claimed.id, size: zip.size, files: zip.files, missing: zip.missing },
        now: readyAt,
      });
      const user = await trx.selectFrom("user").select(["email", "locale", "time_zone"]).where("id", "=", claimed.user_id).executeTakeFirstOrThrow();
      const head = deps.letterhead;
      const mail = exportReadyMail({
        to: user.email,
        locale: isLocale(user.locale) ? user.locale : head.network.locale,
        network: head.network.name,
        settingsUrl: new URL("/settings/data", head.baseUrl).toString(),
        passwordUrl: new URL("/settings/password", head.baseUrl).toString(),
        expiresAt: new Date(readyAt + EXPORT_KEPT_MS),
        timeZone: user.time_zone,
      });
      return { ok: true as const, mailIds: await queueMails(trx, [{ mail }], readyAt) };
    });
    if (!outcome.ok) return { export: claimed, state: "lost" };
    (deps.sendMails ?? send)(outcome.mailIds);
    return { export: claimed, state: "ready" };
  } catch (error) {
    await writing.catch(() => {});
    if (aborter.signal.aborted) return { export: claimed, state: "lost" };
    const message = error instanceof Error ? error.message : String(error);
    console.error(logRecord("export.fail", { export: claimed.id, error: message.slice(0, 300) }));
    // Nothing half-made stays: put() never leaves a partial object, but an earlier attempt's may be there.
    await storage.delete(key).catch(() => {});
    const failed = await exports.markFailed(db, { id: claimed.id, by, error: "build" });
    return { export: claimed, state: failed ? "failed" : "lost", error: message };
  }
}

/** Builds what waits, a few at a time (the next run takes the rest). */
export async function buildPendingExports(deps: BuildDeps): Promise<BuildOutcome[]> {
  const outcomes: BuildOutcome[] = [];
  for (let i = 0; i < PER_RUN; i++) {
    const outcome = await buildNextExport(deps);
    if (!outcome) break;
    outcomes.push(outcome);
  }
  return outcomes;
}

let kicked: Promise<unknown> | null = null;

/**
 * Starts building at once in this process rather than at the job's next run,
 * once a request committed: the claim keeps it to one builder wherever the
 * job runs. A kick while one is under way in this process is not needed (its
 * sweep takes the new request next). A process that stops mid-build leaves
 * the claim to run out: the job takes the export up again.
 */
export function kickExports(): void {
  if (kicked) return;
  kicked = (async () => buildPendingExports({ db: getDb(), storage: getStorage(), letterhead: await letterhead() }))()
    .catch((error: unknown) => console.error(logRecord("export.fail", { error: error instanceof Error ? error.message : String(error) })))
    .finally(() => {
      kicked = null;
    });
}

export const exportJob: Job = {
  name: "data-exports",
  everyMs: 15_000,
  run: async () => buildPendingExports({ db: getDb(), storage: getStorage(), letterhead: await letterhead() }),
};
