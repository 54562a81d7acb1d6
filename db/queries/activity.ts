import type { Executor } from "../client.ts";
import { newId } from "../ids.ts";

export type ActivityVerb =
  | "space_created"
  | "member_joined"
  | "member_left"
  | "member_removed"
  | "role_changed"
  | "space_updated"
  | "page_created"
  | "page_edited"
  | "page_deleted"
  | "page_restored"
  | "file_added"
  | "file_versioned"
  | "file_deleted"
  | "file_restored"
  | "post_published"
  | "workshop_scheduled"
  | "workshop_cancelled"
  | "workshop_attendance_recorded";

export async function recordActivity(
  db: Executor,
  input: { spaceId: string; actorId: string | null; verb: ActivityVerb; data?: Record<string, unknown>; now: number },
) {
  await db
    .insertInto("activity")
    .values({
      id: newId(),
      space_id: input.spaceId,
      actor_id: input.actorId,
      verb: input.verb,
      data: JSON.stringify(input.data ?? {}),
      created_at: input.now,
    })
    .execute();
}

export function listRecent(db: Executor, spaceId: string, limit = 20) {
  return db
    .selectFrom("activity as a")
    .leftJoin("user as u", "u.id", "a.actor_id")
    .select(["a.id", "a.verb", "a.data", "a.created_at", "u.display_name as actor_name"])
    .where("a.space_id", "=", spaceId)
    .orderBy("a.created_at", "desc")
    .limit(limit)
    .execute();
}
