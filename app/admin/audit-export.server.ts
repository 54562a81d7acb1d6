import type { DB } from "#db/client.ts";
import { listAudit } from "#db/queries/audit.ts";
import { csvLine, UTF8_BOM } from "./csv.ts";

/** Rows read per query: a page of the log at a time, never the whole log in memory. */
export const EXPORT_BATCH = 500;

export const AUDIT_CSV_HEADER = ["date_utc", "event", "event_label", "actor", "actor_email", "target", "space", "ip", "details"] as const;

/**
 * The audit log (or one event of it) as CSV, newest first, streamed: each
 * pull reads the next batch with the same cursor the page uses (time and
 * id), so the export never holds more than one batch, and a long log does
 * not hold the database either (one short read per batch).
 */
export function auditCsvStream(db: DB, options: { event?: string; label: (event: string) => string; batch?: number }): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const batch = options.batch ?? EXPORT_BATCH;
  let before: { at: number; id: string } | undefined;
  let started = false;
  let done = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!started) {
        started = true;
        controller.enqueue(encoder.encode(UTF8_BOM + csvLine([...AUDIT_CSV_HEADER])));
        return;
      }
      if (done) return;
      const rows = await listAudit(db, { before, event: options.event, limit: batch });
      let text = "";
      for (const r of rows) {
        text += csvLine([
          new Date(r.created_at).toISOString(),
          r.event,
          options.label(r.event),
          r.actor_name,
          r.actor_email,
          r.target_name,
          r.space_name,
          r.ip,
          r.data === "{}" ? "" : r.data,
        ]);
      }
      if (text) controller.enqueue(encoder.encode(text));
      if (rows.length < batch) {
        done = true;
        controller.close();
      } else {
        const last = rows[rows.length - 1];
        before = { at: last.created_at, id: last.id };
      }
    },
  });
}
