import type { Executor } from "../client.ts";
import { newId } from "../ids.ts";

export async function createJoinRequest(db: Executor, input: { spaceId: string; userId: string; message: string; now: number }) {
  const id = newId();
  await db
    .insertInto("join_request")
    .values({
      id,
      space_id: input.spaceId,
      user_id: input.userId,
      message: input.message,
      status: "pending",
      created_at: input.now,
      decided_by: null,
      decided_at: null,
      refusal_reason: null,
    })
    .execute();
  return id;
}

export function findPendingFor(db: Executor, spaceId: string, userId: string) {
  return db
    .selectFrom("join_request")
    .selectAll()
    .where("space_id", "=", spaceId)
    .where("user_id", "=", userId)
    .where("status", "=", "pending")
    .executeTakeFirst();
}

export function findInSpace(db: Executor, spaceId: string, id: string) {
  return db
    .selectFrom("join_request")
    .selectAll()
    .where("id", "=", id)
    .where("space_id", "=", spaceId)
    .executeTakeFirst();
}

export function listPending(db: Executor, spaceId: string) {
  return db
    .selectFrom("join_request as r")
    .innerJoin("user as u", "u.id", "r.user_id")
    .selectAll("r")
    .select(["u.display_name", "u.email"])
    .where("r.space_id", "=", spaceId)
    .where("r.status", "=", "pending")
    .orderBy("r.created_at")
    .execute();
}

export async function decide(
  db: Executor,
  id: string,
  decision: { status: "approved" | "refused"; by: string; reason?: string; now: number },
) {
  const result = await db
    .updateTable("join_request")
    .set({
      status: decision.status,
      decided_by: decision.by,
      decided_at: decision.now,
      refusal_reason: decision.reason ?? null,
    })
    .where("id", "=", id)
    .where("status", "=", "pending")
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function pendingSpaceIdsForUser(db: Executor, userId: string): Promise<Set<string>> {
  const rows = await db
    .selectFrom("join_request")
    .select("space_id")
    .where("user_id", "=", userId)
    .where("status", "=", "pending")
    .execute();
  return new Set(rows.map((r) => r.space_id));
}
