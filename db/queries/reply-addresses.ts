import type { Executor } from "../client.ts";
import { newId } from "../ids.ts";
import type { OwnerKind } from "../owners.ts";

/** The thread a reply address answers. */
export type ReplyThread =
  | { thread: "comment"; spaceId: string; owner: { kind: OwnerKind; id: string }; commentId: string | null }
  | { thread: "conversation"; conversationId: string };

export async function createReplyAddress(db: Executor, input: { userId: string; to: ReplyThread; now: number; expiresAt: number }): Promise<string> {
  const id = newId();
  const t = input.to;
  await db
    .insertInto("reply_address")
    .values({
      id,
      user_id: input.userId,
      thread: t.thread,
      space_id: t.thread === "comment" ? t.spaceId : null,
      owner_kind: t.thread === "comment" ? t.owner.kind : null,
      owner_id: t.thread === "comment" ? t.owner.id : null,
      comment_id: t.thread === "comment" ? t.commentId : null,
      conversation_id: t.thread === "conversation" ? t.conversationId : null,
      created_at: input.now,
      expires_at: input.expiresAt,
    })
    .execute();
  return id;
}

export function findReplyAddress(db: Executor, id: string) {
  return db.selectFrom("reply_address").selectAll().where("id", "=", id).executeTakeFirst();
}

/** Housekeeping: addresses past their end answer nothing; their rows go. */
export async function deleteExpiredReplyAddresses(db: Executor, now: number): Promise<number> {
  const result = await db.deleteFrom("reply_address").where("expires_at", "<", now).executeTakeFirst();
  return Number(result.numDeletedRows);
}
