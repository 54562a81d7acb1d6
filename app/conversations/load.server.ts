import type { Executor } from "#db/client.ts";
import { blockedEither } from "#db/queries/contact.ts";
import * as conversations from "#db/queries/conversations.ts";
import type { User } from "#db/schema.ts";

/**
 * What the conversation pages show. Only the reader's own conversations:
 * every function here starts from the reader's membership and answers
 * nothing for a conversation they are not (or no longer) in.
 */

export const CONVERSATIONS_PAGE = 30;
/** A thread shows its latest messages; a longer past is for another day. */
export const THREAD_MESSAGES = 200;

export async function loadConversationList(db: Executor, user: Pick<User, "id">, after: string | null) {
  const m = after ? /^(\d{1,16})\.([0-9A-Za-z_-]{1,64})$/.exec(after) : null;
  const rows = await conversations.listForUser(db, user.id, { limit: CONVERSATIONS_PAGE + 1, before: m ? { at: Number(m[1]), id: m[2] } : undefined });
  const page = rows.slice(0, CONVERSATIONS_PAGE);
  const others = await conversations.othersOf(db, user.id, page.map((r) => r.id));
  const requests = await conversations.requestsOf(db, page.map((r) => r.id));
  const requestOf = new Map(requests.map((r) => [r.conversation_id, r]));
  const last = page.at(-1);
  return {
    conversations: page.map((r) => {
      const request = requestOf.get(r.id);
      return {
        id: r.id,
        at: r.last_message_at,
        unread: Number(r.unread) === 1,
        muted: r.muted === 1,
        others: (others.get(r.id) ?? []).map((o) => ({ id: o.id, name: o.name, left: o.left })),
        // Who wrote the last message, when the row's names do not already say it: "you", or one of a group.
        last: {
          by: r.last_author_id === user.id ? ("me" as const) : (others.get(r.id) ?? []).length > 1 ? r.last_author : null,
          text: r.last_deleted !== null ? null : (r.last_text ?? ""),
          deleted: r.last_deleted !== null,
        },
        // A request the reader must answer, or one of theirs still waiting (declined ones look the same).
        request: request && request.state !== "accepted" ? (request.to_id === user.id ? ("toAnswer" as const) : ("waiting" as const)) : null,
      };
    }),
    next: rows.length > CONVERSATIONS_PAGE && last ? `${last.last_message_at}.${last.id}` : null,
  };
}

export async function loadThread(db: Executor, user: Pick<User, "id">, conversationId: string) {
  const membership = await conversations.activeMembership(db, conversationId, user.id);
  if (!membership) return null;
  const [members, everyone, messages, request] = await Promise.all([
    conversations.activeMembers(db, conversationId),
    conversations.othersOf(db, user.id, [conversationId]),
    conversations.messagesOf(db, conversationId, THREAD_MESSAGES),
    conversations.requestOf(db, conversationId),
  ]);
  const others = members.filter((m) => m.id !== user.id);
  const pending = request !== undefined && request.state !== "accepted";
  const blocked = others.length === 1 ? await blockedEither(db, user.id, others[0].id) : false;
  // Who is named: everyone else who was in it. A declined request's recipient has left, but to
  // its sender the request reads as still waiting for them (declining is silent).
  const named = (everyone.get(conversationId) ?? []).filter((o) => !o.left || request?.to_id === o.id);
  return {
    id: conversationId,
    muted: membership.muted === 1,
    /** Where the reader had read up to when they opened it: later messages are marked new. */
    readUpTo: membership.last_read_at,
    others: named.map((o) => ({ id: o.id, name: o.name })),
    request: pending ? (request.to_id === user.id ? ("toAnswer" as const) : ("waiting" as const)) : null,
    messages: messages.map((m) => ({
      id: m.id,
      author: m.author_id && m.author_name !== null ? { id: m.author_id, name: m.author_name } : null,
      html: m.deleted_at === null ? m.body_html : "",
      at: m.created_at,
      deleted: m.deleted_at !== null,
      mine: m.author_id === user.id,
    })),
    can: { write: !pending && others.length > 0 && !blocked },
  };
}
