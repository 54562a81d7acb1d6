import type { Executor } from "../client.ts";
import type { AppServerTable } from "../schema.ts";

/**
 * The application servers sharing one PostgreSQL database, as each says it
 * lives (app/servers/presence.server.ts): one row per server, its seen_at
 * pushed forward on a timer. Each function is one short statement.
 */

export type AppServer = AppServerTable;

/** Its row, made or made anew (a second boot in one process, as the tests' in-process servers do, keeps its id). */
export async function registerServer(db: Executor, server: AppServer) {
  const { id, ...rest } = server;
  await db
    .insertInto("app_server")
    .values(server)
    .onConflict((oc) => oc.column("id").doUpdateSet(rest))
    .execute();
}

/** Pushes seen_at forward; false when the row is gone (taken for dead and swept while this process was stalled). */
export async function beatServer(db: Executor, id: string, now: number): Promise<boolean> {
  const result = await db.updateTable("app_server").set({ seen_at: now }).where("id", "=", id).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export function otherServers(db: Executor, id: string): Promise<AppServer[]> {
  return db.selectFrom("app_server").selectAll().where("id", "<>", id).orderBy("seen_at", "desc").execute();
}

export async function removeServer(db: Executor, id: string) {
  await db.deleteFrom("app_server").where("id", "=", id).execute();
}

/** Rows of servers long gone (killed, so they never removed their own): only a record. */
export async function deleteServersSeenBefore(db: Executor, before: number) {
  await db.deleteFrom("app_server").where("seen_at", "<", before).execute();
}
