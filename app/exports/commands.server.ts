import type { Executor } from "#db/client.ts";
import { audit } from "#db/queries/audit.ts";
import * as exports from "#db/queries/data-exports.ts";
import type { DataExport } from "#db/queries/data-exports.ts";
import type { User } from "#db/schema.ts";
import type { Moment } from "#app/utils/acting.server.ts";

/**
 * A member asks for their data (issue 19). One export under way per member:
 * asking again while one is being built answers that one (the unique index
 * on the table holds it too, should two requests race). The building is the
 * job's (job.server.ts).
 */
export async function requestExport(trx: Executor, ctx: Moment & { user: Pick<User, "id"> }): Promise<{ ok: true; export: DataExport; created: boolean }> {
  const under = await exports.findUnderWay(trx, ctx.user.id);
  if (under) return { ok: true, export: under, created: false };
  const created = await exports.insertRequest(trx, ctx.user.id, ctx.now);
  await audit(trx, { event: "data_export_requested", actorId: ctx.user.id, targetUserId: ctx.user.id, ip: ctx.ip, data: { export: created.id }, now: ctx.now });
  return { ok: true, export: created, created: true };
}

/** The member downloads their zip: recorded, and audited (who, from where, which export). */
export async function recordDownload(trx: Executor, ctx: Moment & { user: Pick<User, "id"> }, exp: Pick<DataExport, "id" | "size">): Promise<{ ok: true }> {
  await exports.markDownloaded(trx, exp.id, ctx.now);
  await audit(trx, { event: "data_export_downloaded", actorId: ctx.user.id, targetUserId: ctx.user.id, ip: ctx.ip, data: { export: exp.id, size: exp.size }, now: ctx.now });
  return { ok: true };
}

/** Whether the member may download it now: theirs (the query says so), ready, not expired. */
export function downloadable(exp: DataExport, now: number): boolean {
  return exp.state === "ready" && exp.storage_key !== null && exp.expires_at !== null && exp.expires_at > now;
}
