import { sql } from "kysely";
import type { Executor } from "../client.ts";
import { newId } from "../ids.ts";
import { preparedFirst } from "../prepared.ts";
import type { ContactRequestStatus, Message } from "../schema.ts";

/**
 * Private conversations, their members and messages, contact requests and
 * reports (issue 16). Every read of a conversation goes through a member:
 * the queries that show one take the reader's id and find nothing for
 * anyone who is not (or no longer) in it.
 */

export interface MessageBody {
  json: string;
  html: string;
  text: string;
}

export async function insertConversation(db: Executor, input: { createdBy: string; memberIds: readonly string[]; now: number }): Promise<string> {
  const id = newId();
  await db.insertInto("conversation").values({ id, created_by: input.createdBy, created_at: input.now, last_message_at: input.now }).execute();
  await db
    .insertInto("conversation_member")
    .values(
      [...new Set([input.createdBy, ...input.memberIds])].map((userId) => ({
        conversation_id: id,
        user_id: userId,
        joined_at: input.now,
        left_at: null,
        // The writer has read what they wrote.
        last_read_at: userId === input.createdBy ? input.now : 0,
        mailed_at: null,
      })),
    )
    .execute();
  return id;
}

/** The reader's own membership of a conversation, if they are (still) in it. */
export function activeMembership(db: Executor, conversationId: string, userId: string) {
  return db
    .selectFrom("conversation_member")
    .selectAll()
    .where("conversation_id", "=", conversationId)
    .where("user_id", "=", userId)
    .where("left_at", "is", null)
    .executeTakeFirst();
}

/** Everyone still in it, with what the mail to them needs. */
export function activeMembers(db: Executor, conversationId: string) {
  return db
    .selectFrom("conversation_member as cm")
    .innerJoin("user as u", "u.id", "cm.user_id")
    .select(["u.id", "u.display_name as name", "u.email", "u.locale", "u.photo_id", "cm.muted", "cm.last_read_at", "cm.mailed_at"])
    .where("cm.conversation_id", "=", conversationId)
    .where("cm.left_at", "is", null)
    .orderBy("u.display_name")
    .execute();
}

export async function insertMessage(db: Executor, input: { conversationId: string; authorId: string; body: MessageBody; now: number }): Promise<Message> {
  const row: Message = {
    id: newId(),
    conversation_id: input.conversationId,
    author_id: input.authorId,
    body_json: input.body.json,
    body_html: input.body.html,
    body_text: input.body.text,
    created_at: input.now,
    deleted_at: null,
  };
  await db.insertInto("message").values(row).execute();
  await db.updateTable("conversation").set({ last_message_at: input.now }).where("id", "=", input.conversationId).execute();
  // The writer has read everything up to their own words.
  await db.updateTable("conversation_member").set({ last_read_at: input.now }).where("conversation_id", "=", input.conversationId).where("user_id", "=", input.authorId).execute();
  return row;
}

export function findMessage(db: Executor, conversationId: string, messageId: string) {
  return db.selectFrom("message").selectAll().where("conversation_id", "=", conversationId).where("id", "=", messageId).executeTakeFirst();
}

/** Emptied, marked deleted: shown as "message deleted". */
export async function markMessageDeleted(db: Executor, id: string, now: number) {
  await db.updateTable("message").set({ body_json: "", body_html: "", body_text: "", deleted_at: now }).where("id", "=", id).where("deleted_at", "is", null).execute();
}

/**
 * Everything up to now is read. Only written when a message came since the
 * last read: an open conversation asks every few seconds, and most of those
 * asks find nothing new and should write nothing.
 */
export async function markRead(db: Executor, conversationId: string, userId: string, now: number) {
  await db
    .updateTable("conversation_member")
    .set({ last_read_at: now })
    .where("conversation_id", "=", conversationId)
    .where("user_id", "=", userId)
    .where("last_read_at", "<", now)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom("message as m")
          .select("m.id")
          .where("m.conversation_id", "=", conversationId)
          .whereRef("m.created_at", ">", "conversation_member.last_read_at"),
      ),
    )
    .execute();
}

export async function setMailed(db: Executor, conversationId: string, userIds: readonly string[], now: number) {
  if (userIds.length === 0) return;
  await db.updateTable("conversation_member").set({ mailed_at: now }).where("conversation_id", "=", conversationId).where("user_id", "in", [...userIds]).execute();
}

export async function setMuted(db: Executor, conversationId: string, userId: string, muted: boolean) {
  await db.updateTable("conversation_member").set({ muted: muted ? 1 : 0 }).where("conversation_id", "=", conversationId).where("user_id", "=", userId).execute();
}

export async function leave(db: Executor, conversationId: string, userId: string, now: number) {
  await db.updateTable("conversation_member").set({ left_at: now }).where("conversation_id", "=", conversationId).where("user_id", "=", userId).where("left_at", "is", null).execute();
}

/** The latest `limit` messages, oldest first. */
export async function messagesOf(db: Executor, conversationId: string, limit: number) {
  const rows = await db
    .selectFrom("message as m")
    .leftJoin("user as u", "u.id", "m.author_id")
    .select(["m.id", "m.author_id", "u.display_name as author_name", "m.body_html", "m.body_text", "m.created_at", "m.deleted_at"])
    .where("m.conversation_id", "=", conversationId)
    .orderBy("m.created_at", "desc")
    .orderBy("m.id", "desc")
    .limit(limit)
    .execute();
  return rows.reverse();
}

/** Messages by others after the reader's last read: unread. */
function unreadExpr(userIdRef: "cm.user_id") {
  return sql<number>`exists (select 1 from message m where m.conversation_id = cm.conversation_id and m.created_at > cm.last_read_at and (m.author_id is null or m.author_id <> ${sql.ref(userIdRef)}) and m.deleted_at is null)`;
}

/**
 * The reader's conversations, the latest active first, each with its last
 * message, whether it is unread, and the other members' names.
 */
export async function listForUser(db: Executor, userId: string, options: { limit: number; before?: { at: number; id: string } }) {
  let query = db
    .selectFrom("conversation_member as cm")
    .innerJoin("conversation as c", "c.id", "cm.conversation_id")
    .select([
      "c.id",
      "c.last_message_at",
      "cm.muted",
      // Raw SQL: "has unread messages" and the last message's text, as correlated subqueries
      // (one row per conversation in one statement; SQLite and PostgreSQL read them alike).
      unreadExpr("cm.user_id").as("unread"),
      sql<string | null>`(select substr(m.body_text, 1, 160) from message m where m.conversation_id = c.id order by m.created_at desc, m.id desc limit 1)`.as("last_text"),
      sql<number | null>`(select m.deleted_at from message m where m.conversation_id = c.id order by m.created_at desc, m.id desc limit 1)`.as("last_deleted"),
      sql<string | null>`(select u.display_name from message m join "user" u on u.id = m.author_id where m.conversation_id = c.id order by m.created_at desc, m.id desc limit 1)`.as("last_author"),
      sql<string | null>`(select m.author_id from message m where m.conversation_id = c.id order by m.created_at desc, m.id desc limit 1)`.as("last_author_id"),
    ])
    .where("cm.user_id", "=", userId)
    .where("cm.left_at", "is", null);
  const before = options.before;
  if (before) {
    query = query.where((eb) => eb.or([eb("c.last_message_at", "<", before.at), eb.and([eb("c.last_message_at", "=", before.at), eb("c.id", "<", before.id)])]));
  }
  return query.orderBy("c.last_message_at", "desc").orderBy("c.id", "desc").limit(options.limit).execute();
}

/** The other members (still in it or not) of these conversations, by conversation. */
export async function othersOf(db: Executor, userId: string, conversationIds: readonly string[]) {
  const out = new Map<string, Array<{ id: string; name: string; left: boolean }>>();
  if (conversationIds.length === 0) return out;
  const rows = await db
    .selectFrom("conversation_member as cm")
    .innerJoin("user as u", "u.id", "cm.user_id")
    .select(["cm.conversation_id", "u.id", "u.display_name as name", "cm.left_at"])
    .where("cm.conversation_id", "in", [...conversationIds])
    .where("cm.user_id", "!=", userId)
    .orderBy("u.display_name")
    .execute();
  for (const r of rows) {
    const list = out.get(r.conversation_id) ?? [];
    list.push({ id: r.id, name: r.name, left: r.left_at !== null });
    out.set(r.conversation_id, list);
  }
  return out;
}

// The envelope's number, on every page: compiled once (db/prepared.ts). `except` is "" when no conversation is open.
const unreadCount = preparedFirst((db, userId: string, except: string) =>
  db
    .selectFrom("conversation_member as cm")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("cm.user_id", "=", userId)
    .where("cm.left_at", "is", null)
    .where("cm.conversation_id", "!=", except)
    .where(unreadExpr("cm.user_id"), "=", 1),
);

/** How many of the reader's conversations have unread messages (the header's number), but the one they have open. */
export async function unreadConversations(db: Executor, userId: string, except?: string): Promise<number> {
  const row = await unreadCount(db, userId, except ?? "");
  return Number(row?.n ?? 0);
}

// ---------------------------------------------------------------------------
// Who may write to whom: the facts contactAnswer (app/policies/contact.ts) reads
// ---------------------------------------------------------------------------

/** Which of `others` share at least one space with `userId`. */
export async function clubmatesAmong(db: Executor, userId: string, others: readonly string[]): Promise<Set<string>> {
  if (others.length === 0) return new Set();
  const rows = await db
    .selectFrom("space_member as mine")
    .innerJoin("space_member as theirs", "theirs.space_id", "mine.space_id")
    .select("theirs.user_id")
    .distinct()
    .where("mine.user_id", "=", userId)
    .where("theirs.user_id", "in", [...others])
    .execute();
  return new Set(rows.map((r) => r.user_id));
}

/** The contact request between two members, whichever sent it. */
export function requestBetween(db: Executor, a: string, b: string) {
  return db
    .selectFrom("contact_request")
    .selectAll()
    .where((eb) => eb.or([eb.and([eb("from_id", "=", a), eb("to_id", "=", b)]), eb.and([eb("from_id", "=", b), eb("to_id", "=", a)])]))
    .executeTakeFirst();
}

/** Contact requests waiting for this member's answer, newest first, from people they have not blocked. */
export function pendingRequestsTo(db: Executor, userId: string, limit: number) {
  return db
    .selectFrom("contact_request as r")
    .innerJoin("user as u", "u.id", "r.from_id")
    .select(["r.id", "r.conversation_id", "r.from_id", "u.display_name as from_name", "r.created_at"])
    .where("r.to_id", "=", userId)
    .where("r.state", "=", "pending")
    .where((eb) => eb.not(eb.exists(eb.selectFrom("user_block as b").select("b.blocker_id").where("b.blocker_id", "=", userId).whereRef("b.blocked_id", "=", "r.from_id"))))
    .orderBy("r.created_at", "desc")
    .orderBy("r.id", "desc")
    .limit(limit)
    .execute();
}

/** The contact requests that opened these conversations. */
export function requestsOf(db: Executor, conversationIds: readonly string[]) {
  if (conversationIds.length === 0) return Promise.resolve([]);
  return db.selectFrom("contact_request").select(["conversation_id", "from_id", "to_id", "state"]).where("conversation_id", "in", [...conversationIds]).execute();
}

/** The members of the spaces this member belongs to, by name: whom they may pick to write to. */
export function clubmatesOf(db: Executor, userId: string, limit: number) {
  return db
    .selectFrom("space_member as mine")
    .innerJoin("space_member as theirs", "theirs.space_id", "mine.space_id")
    .innerJoin("user as u", "u.id", "theirs.user_id")
    .select(["u.id", "u.display_name as name"])
    .distinct()
    .where("mine.user_id", "=", userId)
    .where("u.id", "!=", userId)
    .orderBy("u.display_name")
    .limit(limit)
    .execute();
}

export function requestOf(db: Executor, conversationId: string) {
  return db.selectFrom("contact_request").selectAll().where("conversation_id", "=", conversationId).executeTakeFirst();
}

export async function insertRequest(db: Executor, input: { fromId: string; toId: string; conversationId: string; now: number }) {
  await db
    .insertInto("contact_request")
    .values({ id: newId(), from_id: input.fromId, to_id: input.toId, conversation_id: input.conversationId, state: "pending", created_at: input.now, decided_at: null })
    .execute();
}

export async function decideRequest(db: Executor, id: string, state: Exclude<ContactRequestStatus, "pending">, now: number) {
  await db.updateTable("contact_request").set({ state, decided_at: now }).where("id", "=", id).where("state", "=", "pending").execute();
}

export async function requestsSince(db: Executor, fromId: string, since: number): Promise<number> {
  const row = await db
    .selectFrom("contact_request")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("from_id", "=", fromId)
    .where("created_at", ">=", since)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

// ---------------------------------------------------------------------------
// Reports
// ---------------------------------------------------------------------------

/** A report with a copy of the messages it is about (the latest `limit`, deleted ones as they were: gone). */
export async function insertReport(db: Executor, input: { conversationId: string; reporterId: string; reason: string; limit: number; now: number }): Promise<string> {
  const id = newId();
  await db
    .insertInto("conversation_report")
    .values({ id, conversation_id: input.conversationId, reporter_id: input.reporterId, reason: input.reason, created_at: input.now, handled_at: null, handled_by: null })
    .execute();
  const messages = (await messagesOf(db, input.conversationId, input.limit)).filter((m) => m.deleted_at === null);
  if (messages.length > 0) {
    await db
      .insertInto("report_message")
      .values(messages.map((m, position) => ({ report_id: id, position, author_id: m.author_id, author_name: m.author_name ?? "", body_text: m.body_text, created_at: m.created_at })))
      .execute();
  }
  return id;
}

export function listReports(db: Executor, options: { handled: boolean; limit: number }) {
  return db
    .selectFrom("conversation_report as r")
    .leftJoin("user as u", "u.id", "r.reporter_id")
    .select(["r.id", "r.reason", "r.created_at", "r.handled_at", "u.display_name as reporter_name", "u.id as reporter_id"])
    .where("r.handled_at", options.handled ? "is not" : "is", null)
    .orderBy("r.created_at", "desc")
    .limit(options.limit)
    .execute();
}

export async function reportMessages(db: Executor, reportIds: readonly string[]) {
  const out = new Map<string, Array<{ authorId: string | null; authorName: string; text: string; at: number }>>();
  if (reportIds.length === 0) return out;
  const rows = await db.selectFrom("report_message").selectAll().where("report_id", "in", [...reportIds]).orderBy("report_id").orderBy("position").execute();
  for (const r of rows) {
    const list = out.get(r.report_id) ?? [];
    list.push({ authorId: r.author_id, authorName: r.author_name, text: r.body_text, at: r.created_at });
    out.set(r.report_id, list);
  }
  return out;
}

export async function markReportHandled(db: Executor, id: string, by: string, now: number): Promise<boolean> {
  const result = await db.updateTable("conversation_report").set({ handled_at: now, handled_by: by }).where("id", "=", id).where("handled_at", "is", null).executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}
