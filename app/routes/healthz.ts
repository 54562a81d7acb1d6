import { sql } from "kysely";
import { getDb } from "#app/utils/db.server.ts";

/** 200 when the database answers; for load balancers and uptime checks. */
export async function loader() {
  try {
    await sql`SELECT 1`.execute(getDb());
    return new Response("ok", { headers: { "Content-Type": "text/plain", "Cache-Control": "no-store" } });
  } catch {
    return new Response("database unavailable", { status: 503, headers: { "Content-Type": "text/plain" } });
  }
}
