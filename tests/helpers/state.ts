import { createCookie } from "@remix-run/node";
import type Database from "better-sqlite3";
import type { HttpResponse } from "./http.ts";

/** Every row of every table the space routes may touch (sessions aside: reading refreshes them). */
const DOMAIN_TABLES = ["network", "user", "space", "space_member", "invitation", "join_request", "activity", "audit_log"] as const;

/** A refused write must leave every one of these rows as it was. */
export function snapshot(sqlite: Database.Database) {
  return Object.fromEntries(DOMAIN_TABLES.map((t) => [t, sqlite.prepare(`SELECT * FROM "${t}" ORDER BY rowid`).all()]));
}

const flashCookie = createCookie("cercle_flash");

/** The flash message a response sets, as the app wrote it. */
export async function flashOf(res: HttpResponse): Promise<{ kind: string; key: string } | null> {
  const line = res.setCookies.find((c) => c.startsWith("cercle_flash="));
  if (!line) return null;
  return (await flashCookie.parse(line.split(";")[0])) as { kind: string; key: string } | null;
}
