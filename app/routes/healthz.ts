import { sql } from "kysely";
import { backupState } from "#app/backup/state.server.ts";
import { getDb } from "#app/utils/db.server.ts";
import { ensureReserve, isDiskFullNow } from "#app/utils/disk.server.ts";
import { getEnv } from "#app/utils/env.server.ts";

/**
 * 200 when the database answers and the disk has room; for load balancers
 * and uptime checks. A full disk is a 503 too, though pages still read and
 * people can still sign in: a monitor keyed on the status must call someone,
 * since nothing can be saved until space is freed (restarting does not help).
 * It is also where the disk reserve is made anew once there is room again.
 *
 * `/healthz?details` answers the same status with a JSON body that also says
 * when the last backup succeeded, and whether scheduled backups are overdue
 * (`backup.overdue`: a monitor should alert on it). A stale backup does not
 * change the status: the service is up, and a load balancer must not pull it.
 * Times and counts only: no paths nor error texts, as no one signs in here.
 */
export async function loader({ request }: { request: Request }) {
  const plain = { "Content-Type": "text/plain", "Cache-Control": "no-store" };
  const details = new URL(request.url).searchParams.has("details");
  try {
    await sql`SELECT 1`.execute(getDb());
  } catch {
    if (details) return Response.json({ status: "unavailable", database: "unavailable" }, { status: 503, headers: { "Cache-Control": "no-store" } });
    return new Response("database unavailable", { status: 503, headers: plain });
  }
  const diskFull = isDiskFullNow() && !ensureReserve();
  if (details) {
    return Response.json(
      { status: diskFull ? "disk full" : "ok", database: "ok", disk: diskFull ? "full" : "ok", backup: await backupDetails() },
      { status: diskFull ? 503 : 200, headers: { "Cache-Control": "no-store" } },
    );
  }
  if (diskFull) {
    return new Response("disk full: free space on the disk holding DATA_DIR; saves answer 507 until then", { status: 503, headers: plain });
  }
  return new Response("ok", { headers: plain });
}

/** The backups' state (app/backup/state.server.ts, as the console reads it), in times and counts only. */
async function backupDetails() {
  const now = Date.now();
  const { schedule, lastSuccess, failedSince, overdue } = await backupState(getDb(), { now, schedule: getEnv().backup });
  return {
    scheduled: schedule !== null,
    intervalHours: schedule?.intervalHours ?? null,
    keep: schedule?.keep ?? null,
    lastSuccessAt: lastSuccess ? new Date(lastSuccess.finished_at).toISOString() : null,
    lastSuccessAgeHours: lastSuccess ? Math.round(((now - lastSuccess.finished_at) / 3_600_000) * 10) / 10 : null,
    lastFailureAt: failedSince ? new Date(failedSince.finished_at).toISOString() : null,
    overdue,
  };
}
