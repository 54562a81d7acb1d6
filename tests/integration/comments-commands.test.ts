import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { migrateToLatest } from "#db/migrations/index.ts";
import * as pages from "#db/queries/pages.ts";
import type { Page, Space } from "#db/schema.ts";
import { transact } from "#db/transact.ts";
import {
  checkCommentEdit,
  checkNewComment,
  createComment,
  deleteComment,
  editComment,
  type CheckedComment,
  type CommentActing,
} from "#app/comments/commands.server.ts";
import { checkCommentContent, stopContentWorkers } from "#app/editor/content-pool.server.ts";
import { addMember, createNetwork, createSpace, createUser, type TestUser } from "#tests/factories.ts";
import { tempDatabase } from "#tests/helpers/db.ts";
import { doc, paragraph, type LexicalNode } from "#tests/helpers/lexical.ts";

/**
 * The comment commands called directly — no HTTP, no server: a real SQLite
 * file, the real content worker, and transactions opened as the route opens
 * them (transact). What they refuse comes back as a typed value, never as a
 * thrown Response, and two commands in one transaction stand or fall together.
 */

let store: Awaited<ReturnType<typeof tempDatabase>>;
let admin: TestUser;
let alice: TestUser; // member of the club
let bob: TestUser; // member of the club
let reader: TestUser; // no member anywhere: reads the open club, may not comment
let club: Space; // open: every member of the network reads it
let other: Space; // secret, alice is not in it
let page: Page;
let otherPage: Page;

const derived = (t: string) => ({ json: doc(paragraph(t)), html: `<p>${t}</p>`, text: t });
const mention = (user: TestUser): LexicalNode => ({ type: "mention", userId: user.id, text: `@${user.display_name}`, format: 0, style: "", mode: "token", detail: 0, version: 1 });

/** Content as the route has it checked, in the worker, before it opens the transaction. */
async function checked(...children: Array<LexicalNode | string>): Promise<CheckedComment> {
  const result = await checkCommentContent(doc(paragraph(...children)));
  if (!result.ok) throw new Error(`content refused: ${result.error}`);
  return result;
}

async function acting(user: TestUser, space: Space): Promise<CommentActing> {
  const membership = await store.db.selectFrom("space_member").selectAll().where("space_id", "=", space.id).where("user_id", "=", user.id).executeTakeFirst();
  return { space, actor: { id: user.id, isNetworkAdmin: user.is_network_admin === 1 }, membership, ip: "192.0.2.7", now: Date.now() };
}

const counts = async () => ({
  comments: (await store.db.selectFrom("comment").select("id").execute()).length,
  notifications: (await store.db.selectFrom("notification").select("id").execute()).length,
  mails: (await store.db.selectFrom("mail_outbox").select("id").execute()).length,
  audit: (await store.db.selectFrom("audit_log").select("id").execute()).length,
});

beforeAll(async () => {
  store = await tempDatabase();
  await migrateToLatest(store.db);
  await createNetwork(store.db);
  admin = await createUser(store.db, { displayName: "Adèle Admin" });
  alice = await createUser(store.db, { displayName: "Alice Membre" });
  bob = await createUser(store.db, { displayName: "Bob Membre" });
  reader = await createUser(store.db, { displayName: "Rémi Lecteur" });
  club = await createSpace(store.db, { createdBy: admin.id, slug: "club-cmd", visibility: "open" });
  other = await createSpace(store.db, { createdBy: admin.id, slug: "autre-cmd", visibility: "secret" });
  await addMember(store.db, { space: club, user: alice });
  await addMember(store.db, { space: club, user: bob });
  const now = Date.now();
  page = await pages.createPage(store.db, { spaceId: club.id, parentId: null, title: "Règlement", slug: "reglement", content: derived("x"), summary: "", authorId: admin.id, now });
  otherPage = await pages.createPage(store.db, { spaceId: other.id, parentId: null, title: "Ailleurs", slug: "ailleurs", content: derived("y"), summary: "", authorId: admin.id, now });
});

afterAll(async () => {
  await stopContentWorkers();
  await store?.remove();
});

describe("typed refusals, nothing written", () => {
  test("a target of another space, a parent on another target, a comment of another space: not_found", async () => {
    const ctx = await acting(alice, club);
    const body = await checked("Bonjour");
    const before = await counts();
    expect(await transact(store.db, (trx) => createComment(trx, ctx, { target: { kind: "page", id: otherPage.id }, parentId: null, body }))).toEqual({
      ok: false,
      error: "not_found",
    });
    const adminThere = await acting(admin, other);
    const theirs = await transact(store.db, (trx) => createComment(trx, adminThere, { target: { kind: "page", id: otherPage.id }, parentId: null, body }));
    if (!theirs.ok) throw new Error("admin's comment refused");
    const afterTheirs = await counts();
    expect(afterTheirs.comments).toBe(before.comments + 1);
    // The comment exists, but not in the club: as a parent, to edit or to delete, it is not there.
    expect(await checkNewComment(store.db, ctx, { target: { kind: "page", id: page.id }, parentId: theirs.comment.id })).toEqual({ ok: false, error: "not_found" });
    expect(await transact(store.db, (trx) => editComment(trx, ctx, { commentId: theirs.comment.id, body }))).toEqual({ ok: false, error: "not_found" });
    expect(await transact(store.db, (trx) => deleteComment(trx, ctx, { commentId: theirs.comment.id }))).toEqual({ ok: false, error: "not_found" });
    expect(await counts()).toEqual(afterTheirs);
  });

  test("a reader of the space who is not a member may not comment: forbidden; an outsider of a secret space: not_found", async () => {
    const body = await checked("Je passe");
    const before = await counts();
    const [readerCtx, outsiderCtx] = [await acting(reader, club), await acting(alice, other)];
    expect(await transact(store.db, (trx) => createComment(trx, readerCtx, { target: { kind: "page", id: page.id }, parentId: null, body }))).toEqual({
      ok: false,
      error: "forbidden",
    });
    expect(await transact(store.db, (trx) => createComment(trx, outsiderCtx, { target: { kind: "page", id: otherPage.id }, parentId: null, body }))).toEqual({
      ok: false,
      error: "not_found",
    });
    expect(await counts()).toEqual(before);
  });

  test("someone else's comment: a member may neither edit nor delete it (forbidden); an admin deletes it as moderation, with an audit entry", async () => {
    const [aliceCtx, bobCtx, adminCtx] = [await acting(alice, club), await acting(bob, club), await acting(admin, club)];
    const [original, rewritten] = [await checked("Mon avis"), await checked("Réécrit")];
    const posted = await transact(store.db, (trx) => createComment(trx, aliceCtx, { target: { kind: "page", id: page.id }, parentId: null, body: original }));
    if (!posted.ok) throw new Error("alice's comment refused");
    expect(await checkCommentEdit(store.db, bobCtx, { commentId: posted.comment.id })).toEqual({ ok: false, error: "forbidden" });
    expect(await transact(store.db, (trx) => editComment(trx, bobCtx, { commentId: posted.comment.id, body: rewritten }))).toEqual({ ok: false, error: "forbidden" });
    expect(await transact(store.db, (trx) => deleteComment(trx, bobCtx, { commentId: posted.comment.id }))).toEqual({ ok: false, error: "forbidden" });
    const row = await store.db.selectFrom("comment").select(["body_text", "deleted_at"]).where("id", "=", posted.comment.id).executeTakeFirstOrThrow();
    expect(row).toEqual({ body_text: "Mon avis", deleted_at: null });

    const before = await counts();
    const removed = await transact(store.db, (trx) => deleteComment(trx, adminCtx, { commentId: posted.comment.id }));
    expect(removed).toMatchObject({ ok: true, moderated: true });
    expect((await counts()).audit).toBe(before.audit + 1);
    const entry = await store.db.selectFrom("audit_log").selectAll().where("event", "=", "comment_moderated").orderBy("created_at", "desc").executeTakeFirstOrThrow();
    expect(entry.ip).toBe("192.0.2.7");
  });
});

describe("one transaction for two commands", () => {
  test("a comment with a mention, then a refused second command: the comment, its notification and its mail are all rolled back", async () => {
    const before = await counts();
    // Who acts and the checked content come first: nothing outside the transaction is awaited inside it.
    const [aliceCtx, bobCtx] = [await acting(alice, club), await acting(bob, club)];
    const body = await checked("Regarde ", mention(bob));
    const outcome = await transact(store.db, async (trx) => {
      const first = await createComment(trx, aliceCtx, { target: { kind: "page", id: page.id }, parentId: null, body });
      if (!first.ok) return first;
      // Written, inside the transaction: the notifications (Bob's mention; the page's creator, told of
      // comments on it) and the mention's mail are there too.
      expect(await trx.selectFrom("notification").select(["user_id", "kind"]).where("comment_id", "=", first.comment.id).orderBy("kind").execute()).toEqual([
        { user_id: admin.id, kind: "commentOnMine" },
        { user_id: bob.id, kind: "mention" },
      ]);
      expect(first.mailIds).toHaveLength(1);
      // Bob may not delete Alice's comment: the second command refuses.
      return deleteComment(trx, bobCtx, { commentId: first.comment.id });
    });
    expect(outcome).toEqual({ ok: false, error: "forbidden" });
    expect(await counts()).toEqual(before);
  });

  test("both accepted: both stand", async () => {
    const before = await counts();
    const [aliceCtx, bobCtx] = [await acting(alice, club), await acting(bob, club)];
    const [question, answer] = [await checked("Question"), await checked("Réponse")];
    const outcome = await transact(store.db, async (trx) => {
      const first = await createComment(trx, aliceCtx, { target: { kind: "page", id: page.id }, parentId: null, body: question });
      if (!first.ok) return first;
      return createComment(trx, bobCtx, { target: { kind: "page", id: page.id }, parentId: first.comment.id, body: answer });
    });
    expect(outcome).toMatchObject({ ok: true });
    const after = await counts();
    expect(after.comments).toBe(before.comments + 2);
    // Bob's reply tells Alice, with the mail she takes by default; the page's creator hears of both
    // comments, in the app only (the default for comments on what one wrote).
    expect(after.notifications).toBe(before.notifications + 3);
    expect(after.mails).toBe(before.mails + 1);
  });
});
