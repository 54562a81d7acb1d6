import { sql } from "kysely";
import type { Executor } from "../client.ts";
import { dialectOf } from "../dialect.ts";
import { queueChanged } from "../search/indexer.ts";
import type { DeletionMode } from "../schema.ts";
import { markCommentDeleted } from "./comments.ts";
import { purgeFile, type PurgedObjects } from "./files.ts";
import { EMPTY_PROFILE } from "./users.ts";

/**
 * Leaving the network (issue 19): the facts and writes behind an account's
 * deletion, inside the caller's transaction. The account's row stays once
 * deleted — the co-optation records (who sponsored whom), the invitations a
 * member sent and the audit name accounts by id — but nothing personal is
 * left on it or beside it. app/accounts/deletion.server.ts holds the rules.
 */

/** Days between the request and the deletion: signing in meanwhile cancels it. */
export const DELETION_GRACE_DAYS = 14;

/**
 * The spaces where this member is the only admin who stays (another admin
 * whose own deletion is due is leaving too): they must hand over before
 * leaving the network.
 */
export function spacesLastAdminOf(db: Executor, userId: string) {
  return db
    .selectFrom("space_member as m")
    .innerJoin("space as s", "s.id", "m.space_id")
    .select(["s.id", "s.slug", "s.name"])
    .where("m.user_id", "=", userId)
    .where("m.role", "=", "admin")
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom("space_member as o")
            .innerJoin("user as u", "u.id", "o.user_id")
            .select("o.user_id")
            .whereRef("o.space_id", "=", "m.space_id")
            .where("o.role", "=", "admin")
            .where("o.user_id", "!=", userId)
            .where("u.deletion_due_at", "is", null),
        ),
      ),
    )
    .orderBy("s.name")
    .execute();
}

/** How many network admins there are besides this member. */
export async function otherNetworkAdmins(db: Executor, userId: string): Promise<number> {
  const row = await db
    .selectFrom("user")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("is_network_admin", "=", 1)
    .where("id", "!=", userId)
    .where("deleted_at", "is", null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function scheduleDeletion(db: Executor, userId: string, input: { mode: DeletionMode; now: number; dueAt: number }) {
  await db
    .updateTable("user")
    .set({ deletion_requested_at: input.now, deletion_due_at: input.dueAt, deletion_mode: input.mode, updated_at: input.now })
    .where("id", "=", userId)
    .where("deleted_at", "is", null)
    .execute();
}

/** Clears a pending deletion; true when there was one (a deletion already carried out is not undone). */
export async function unscheduleDeletion(db: Executor, userId: string, now: number): Promise<boolean> {
  const result = await db
    .updateTable("user")
    .set({ deletion_requested_at: null, deletion_due_at: null, deletion_mode: null, updated_at: now })
    .where("id", "=", userId)
    .where("deletion_due_at", "is not", null)
    .where("deleted_at", "is", null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Accounts whose grace period is over and that are not deleted yet, oldest first. */
export async function dueDeletions(db: Executor, now: number, limit: number): Promise<string[]> {
  const rows = await db
    .selectFrom("user")
    .select("id")
    .where("deletion_due_at", "is not", null)
    .where("deletion_due_at", "<=", now)
    .where("deleted_at", "is", null)
    .orderBy("deletion_due_at")
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}

/**
 * The claim: marks the account deleted if it is due and not deleted yet, and
 * answers what the deletion needs to know. Run first in the transaction that
 * does the whole deletion: of two processes, the second finds it done (the
 * write lock orders them), and a crash before commit leaves it due.
 */
export async function claimDeletion(db: Executor, userId: string, now: number) {
  const result = await db
    .updateTable("user")
    .set({ deleted_at: now })
    .where("id", "=", userId)
    .where("deleted_at", "is", null)
    .where("deletion_due_at", "is not", null)
    .where("deletion_due_at", "<=", now)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) return null;
  return db.selectFrom("user").select(["id", "email", "photo_id", "deletion_mode"]).where("id", "=", userId).executeTakeFirstOrThrow();
}

/** What a removal deletes, and what it leaves to the anonymisation: counted for the settings page too. */
export async function ownWriting(db: Executor, userId: string) {
  const [posts, asks, comments, pages, files] = await Promise.all([
    db.selectFrom("post").select("id").where("author_id", "=", userId).execute(),
    db.selectFrom("ask").select("id").where("author_id", "=", userId).execute(),
    db.selectFrom("comment").select("id").where("author_id", "=", userId).where("deleted_at", "is", null).execute(),
    // Pages every revision of which is theirs; a page another person (or a former member) also wrote stays.
    db
      .selectFrom("page as p")
      .select(["p.id", "p.parent_id"])
      .where((eb) => eb.exists(eb.selectFrom("page_revision as r").select("r.id").whereRef("r.page_id", "=", "p.id").where("r.author_id", "=", userId)))
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom("page_revision as r")
              .select("r.id")
              .whereRef("r.page_id", "=", "p.id")
              .where((w) => w.or([w("r.author_id", "is", null), w("r.author_id", "!=", userId)])),
          ),
        ),
      )
      .execute(),
    // Files every version of which they uploaded.
    db
      .selectFrom("file as f")
      .select("f.id")
      .where((eb) => eb.exists(eb.selectFrom("file_version as v").select("v.id").whereRef("v.file_id", "=", "f.id").where("v.uploaded_by", "=", userId)))
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom("file_version as v")
              .select("v.id")
              .whereRef("v.file_id", "=", "f.id")
              .where((w) => w.or([w("v.uploaded_by", "is", null), w("v.uploaded_by", "!=", userId)])),
          ),
        ),
      )
      .execute(),
  ]);
  return { posts: posts.map((r) => r.id), asks: asks.map((r) => r.id), comments: comments.map((r) => r.id), pages, files: files.map((r) => r.id) };
}

/** Of these files, those something that stays still uses: a page or article of another, a workshop's materials or cover, an article's cover. */
async function filesOthersRelyOn(db: Executor, fileIds: string[], leaving: { pages: string[]; posts: string[] }): Promise<Set<string>> {
  if (fileIds.length === 0) return new Set();
  const none = ["\u0000"];
  const pages = leaving.pages.length > 0 ? leaving.pages : none;
  const posts = leaving.posts.length > 0 ? leaving.posts : none;
  const [onPages, onPosts, covers, materials, workshopCovers] = await Promise.all([
    db.selectFrom("page_file").select("file_id").where("file_id", "in", fileIds).where("page_id", "not in", pages).execute(),
    db.selectFrom("post_file").select("file_id").where("file_id", "in", fileIds).where("post_id", "not in", posts).execute(),
    db.selectFrom("post").select("cover_file_id as file_id").where("cover_file_id", "in", fileIds).where("id", "not in", posts).execute(),
    db.selectFrom("workshop_material").select("file_id").where("file_id", "in", fileIds).execute(),
    db.selectFrom("workshop").select("cover_file_id as file_id").where("cover_file_id", "in", fileIds).execute(),
  ]);
  return new Set([...onPages, ...onPosts, ...covers, ...materials, ...workshopCovers].map((r) => r.file_id).filter((id): id is string => id !== null));
}

/**
 * "Remove": what is theirs alone goes for good — not to a trash, where a
 * club's editors could restore what its author asked to remove. Their
 * articles and asks (with the comments under them), their comments (emptied
 * as a deletion empties them: a reply of another stays under "comment
 * deleted"), the pages only they wrote (the pages below move up to its
 * parent), their files that nothing staying uses, and their messages (the
 * others keep the conversation, with "message deleted" in their place).
 * Answers the storage objects to delete once committed.
 */
export async function removeOwnWriting(db: Executor, userId: string, now: number): Promise<PurgedObjects> {
  const own = await ownWriting(db, userId);
  const pageIds = own.pages.map((p) => p.id);
  const relied = await filesOthersRelyOn(db, own.files, { pages: pageIds, posts: own.posts });
  const objects: PurgedObjects = { keys: [], uploadIds: [], files: 0, bytes: 0 };
  for (const fileId of own.files.filter((id) => !relied.has(id))) {
    const purged = await purgeFile(db, fileId);
    objects.keys.push(...purged.keys);
    objects.uploadIds.push(...purged.uploadIds);
    objects.files += purged.files;
    objects.bytes += purged.bytes;
  }
  for (const commentId of own.comments) await markCommentDeleted(db, commentId, userId, now);
  const leavingPages = new Set(pageIds);
  for (const page of own.pages) {
    // Up to the nearest ancestor that stays.
    let parent = page.parent_id;
    while (parent !== null && leavingPages.has(parent)) parent = own.pages.find((p) => p.id === parent)?.parent_id ?? null;
    await db.updateTable("page").set({ parent_id: parent }).where("parent_id", "=", page.id).where("id", "not in", pageIds).execute();
  }
  const owned = [
    ["post", own.posts],
    ["page", pageIds],
    ["ask", own.asks],
  ] as const;
  for (const [kind, ids] of owned) {
    if (ids.length === 0) continue;
    // Notifications name what they are about by kind and id, without a foreign key.
    await db.deleteFrom("notification").where("owner_kind", "=", kind).where("owner_id", "in", ids).execute();
    await db.deleteFrom(kind).where("id", "in", ids).execute();
  }
  await db.updateTable("message").set({ body_json: "", body_html: "", body_text: "", deleted_at: now }).where("author_id", "=", userId).where("deleted_at", "is", null).execute();
  await db.deleteFrom("activity").where("actor_id", "=", userId).execute();
  return objects;
}

/**
 * References to an account that outlive it: who sponsored whom (the other
 * members' rows and memberships, the invitations they sent and the one that
 * brought them in) and the audit's lines. Every other reference is cut.
 */
const KEPT_REFERENCES = new Set(["user.sponsor_id", "space_member.sponsor_id", "invitation.sponsor_id", "invitation.accepted_by", "audit_log.actor_id", "audit_log.target_user_id", "upload.user_id"]);

/**
 * Every column that references an account, from the schema itself — raw SQL
 * because SQLite answers it through a pragma (PostgreSQL: information_schema,
 * issue 21) — so that a table added later is anonymised without a line here.
 */
async function userReferences(db: Executor): Promise<Array<{ table: string; column: string; onDelete: string }>> {
  if (dialectOf(db) === "postgres") {
    const result = await sql<{ table: string; column: string; onDelete: string }>`
      SELECT cl.relname AS "table", a.attname AS "column",
             CASE c.confdeltype WHEN 'c' THEN 'CASCADE' WHEN 'n' THEN 'SET NULL' WHEN 'r' THEN 'RESTRICT' WHEN 'd' THEN 'SET DEFAULT' ELSE 'NO ACTION' END AS "onDelete"
      FROM pg_constraint c
      JOIN pg_class cl ON cl.oid = c.conrelid
      JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
      WHERE c.contype = 'f' AND c.confrelid = '"user"'::regclass`.execute(db);
    return result.rows.filter((r) => !KEPT_REFERENCES.has(`${r.table}.${r.column}`));
  }
  const result = await sql<{ table: string; column: string; onDelete: string }>`
    SELECT m.name AS "table", f."from" AS "column", f.on_delete AS "onDelete"
    FROM sqlite_master m, pragma_foreign_key_list(m.name) f
    WHERE m.type = 'table' AND f."table" = 'user'`.execute(db);
  return result.rows.filter((r) => !KEPT_REFERENCES.has(`${r.table}.${r.column}`));
}

/**
 * "Anonymise", and the end of either choice: the row keeps its id and loses
 * everything personal; what they wrote that stays loses its link to them (it
 * reads "Former member" wherever a name was, as it did for a null author);
 * what was theirs alone — memberships, sessions, devices, notifications and
 * their choices, skills, blocks, registrations, conversations' seats — goes.
 * Pending invitations they sent are revoked; accepted ones stay as the record
 * of a co-optation. The audit keeps its lines, by id, without addresses.
 */
export async function anonymiseAccount(db: Executor, user: { id: string; email: string }, now: number) {
  const userId = user.id;
  // Search documents carry their author as a filter word: read again without it.
  await queueChanged(db, db.selectFrom("search_doc").select(["kind", "ref_id"]).where("author_id", "=", userId));
  await db.updateTable("report_message").set({ author_name: "" }).where("author_id", "=", userId).execute();
  await db
    .updateTable("invitation")
    .set({ status: "revoked", token_hash: null })
    .where("sponsor_id", "=", userId)
    .where("status", "in", ["pending_approval", "sent"])
    .execute();
  for (const ref of await userReferences(db)) {
    if (ref.table === "user") continue;
    if (ref.onDelete === "CASCADE") await db.deleteFrom(ref.table as "session").where(ref.column as "user_id", "=", userId).execute();
    else await db.updateTable(ref.table as "page").set({ [ref.column]: null }).where(ref.column as "created_by", "=", userId).execute();
  }
  await db
    .updateTable("user")
    .set({
      email: `deleted-${userId}@deleted.invalid`,
      display_name: "",
      // Matches no password: argon2 refuses to read it.
      password_hash: "!",
      is_network_admin: 0,
      ...EMPTY_PROFILE,
      locale: null,
      name_search: "",
      // Listed nowhere (the fields' audiences stay as they were: there is nothing left in them to show).
      listing: "hidden",
      contact_policy: "nobody",
      feed_token_hash: null,
      calendar_token_hash: null,
      home_visit_at: null,
      home_seen_at: null,
      digest_frequency: "off",
      digest_until: null,
      updated_at: now,
    })
    .where("id", "=", userId)
    .execute();
  // Their address, wherever it was written down: mails to them, sign-in attempts, audit details.
  const email = user.email;
  await db.deleteFrom("mail_outbox").where("recipient", "=", email).execute();
  await db.deleteFrom("sign_in_attempt").where("email", "=", email).execute();
  await db
    .updateTable("audit_log")
    .set({ data: "{}" })
    .where("data", "like", `%${JSON.stringify(email).slice(1, -1)}%`)
    .execute();
  // Where they connected from, on every line about them.
  await db
    .updateTable("audit_log")
    .set({ ip: "" })
    .where((eb) => eb.or([eb("actor_id", "=", userId), eb("target_user_id", "=", userId)]))
    .execute();
}

/** A member's data exports (app/exports/): the rows go with the account, their zips after commit. */
export async function exportObjectsOf(db: Executor, userId: string): Promise<string[]> {
  const rows = await db.selectFrom("data_export").select("storage_key").where("user_id", "=", userId).execute();
  return rows.map((r) => r.storage_key).filter((k): k is string => k !== null);
}
