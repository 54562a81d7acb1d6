import { sql } from "kysely";
import { getDb } from "#app/utils/db.server.ts";
import { ensureReserve, isDiskFullNow } from "#app/utils/disk.server.ts";

/**
 * 200 when the database answers and the disk has room; for load balancers
 * and uptime checks. A full disk is a 503 too, though pages still read and
 * people can still sign in: a monitor keyed on the status must call someone,
 * since nothing can be saved until space is freed (restarting does not help).
 * It is also where the disk reserve is made anew once there is room again.
 */
export async function loader() {
  const plain = { "Content-Type": "text/plain", "Cache-Control": "no-store" };
  try {
    await sql`SELECT 1`.execute(getDb());
  } catch {
    return new Response("database unavailable", { status: 503, headers: plain });
  }
  if (isDiskFullNow() && !ensureReserve()) {
    return new Response("disk full: free space on the disk holding DATA_DIR; saves answer 507 until then", { status: 503, headers: plain });
  }
  return new Response("ok", { headers: plain });
}
