import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { OpenedDatabase } from "#db/client.ts";
import * as pages from "#db/queries/pages.ts";
import * as posts from "#db/queries/posts.ts";
import type { Page, Post, Space } from "#db/schema.ts";
import type { TestUser } from "#tests/factories.ts";
import { pageText, type Client } from "#tests/helpers/http.ts";
import { doc, paragraph } from "#tests/helpers/lexical.ts";
import type { TestServer } from "#tests/helpers/server.ts";
import { world, type World } from "#tests/helpers/world.ts";

/**
 * Moderation leaves a trace: when an editor or an admin deletes someone
 * else's comment, the audit log says who removed whose comment and where, in
 * the same transaction as the delete; deleting one's own writes nothing. Over
 * real HTTP with real session cookies and the real SQLite file.
 */

let server: TestServer;
let store: OpenedDatabase;

let admin: TestUser; // admin of the space
let editor: TestUser;
let alice: TestUser; // member
let netAdmin: TestUser; // reads the audit log

let club: Space;
let page: Page;
let published: Post;

const c = {} as Record<"admin" | "editor" | "alice" | "netAdmin", Client>;

const derived = (t: string) => ({ json: doc(paragraph(t)), html: `<p class="rt-p">${t}</p>`, text: t });

let w: World<"admin" | "editor" | "alice" | "netAdmin", "club">;

beforeAll(async () => {
  w = await world({
    people: {
      admin: { email: "admin@moderation.test", displayName: "Adèle Admin", locale: "fr" },
      editor: { email: "editor@moderation.test", displayName: "Éric Éditeur", locale: "fr" },
      alice: { email: "alice@moderation.test", displayName: "Alice Membre", locale: "fr" },
      netAdmin: { email: "net@moderation.test", displayName: "Nina Réseau", locale: "fr", isNetworkAdmin: true },
    },
    spaces: { club: { createdBy: "admin", slug: "moderes", name: "Club Modéré", visibility: "secret", members: { editor: "editor", alice: "member" } } },
  });
  ({ server, store } = w);
  ({ admin, editor, alice, netAdmin } = w.people);
  ({ club } = w.spaces);
  Object.assign(c, w.c);

  const now = Date.now();
  page = await pages.createPage(store.db, { spaceId: club.id, parentId: null, title: "Règlement du club", slug: "reglement", content: derived("Le contenu"), summary: "", authorId: admin.id, now });
  published = await posts.createPost(store.db, {
    spaceId: club.id,
    slug: "annonce",
    title: "Annonce du mois",
    excerpt: "",
    excerptAuto: true,
    coverFileId: null,
    content: derived("Texte"),
    visibility: "space",
    authorId: admin.id,
    summary: "",
    now,
  });
  await store.db.updateTable("post").set({ state: "published", published_at: now }).where("id", "=", published.id).execute();
});

afterAll(() => w?.close());

type Target = { type: "page" | "post"; id: string };

/** Comments over HTTP and expects it to work; returns the new comment's id. */
async function commentOk(cl: Client, target: Target, content: string) {
  const res = await cl.post(`/spaces/${club.slug}/comments`, { intent: "create", targetType: target.type, targetId: target.id, body: doc(paragraph(content)) });
  expect(res.status, pageText(res.text).slice(0, 300)).toBe(303);
  const id = /#comment-([a-z0-9]+)$/.exec(res.location ?? "")?.[1];
  expect(id, `no comment anchor in ${res.location}`).toBeDefined();
  return id!;
}

async function removeOk(cl: Client, commentId: string) {
  const res = await cl.post(`/spaces/${club.slug}/comments`, { intent: "delete", commentId });
  expect(res.status, pageText(res.text).slice(0, 300)).toBe(302);
}

const moderated = () => store.db.selectFrom("audit_log").selectAll().where("event", "=", "comment_moderated").orderBy("created_at").execute();
const auditCount = async () => Number((await store.db.selectFrom("audit_log").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n);
const deletedBy = async (id: string) => (await store.db.selectFrom("comment").select("deleted_by").where("id", "=", id).executeTakeFirstOrThrow()).deleted_by;

describe("moderating comments leaves an audit entry", () => {
  test("an admin deletes a member's comment on a page: exactly one entry, with the actor, the author and where", async () => {
    const id = await commentOk(c.alice, { type: "page", id: page.id }, "Un avis un peu vif");
    expect(await moderated()).toHaveLength(0);
    await removeOk(c.admin, id);
    expect(await deletedBy(id)).toBe(admin.id);
    const entries = await moderated();
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ actor_id: admin.id, space_id: club.id, target_user_id: alice.id });
    expect(JSON.parse(entries[0].data)).toEqual({ commentId: id, authorId: alice.id, targetType: "page", targetId: page.id, title: "Règlement du club" });
  });

  test("an editor deletes a member's comment on an article: one more entry, naming the article", async () => {
    const id = await commentOk(c.alice, { type: "post", id: published.id }, "Hors sujet");
    await removeOk(c.editor, id);
    const entries = (await moderated()).filter((e) => JSON.parse(e.data).commentId === id);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ actor_id: editor.id, space_id: club.id, target_user_id: alice.id });
    expect(JSON.parse(entries[0].data)).toMatchObject({ authorId: alice.id, targetType: "post", targetId: published.id, title: "Annonce du mois" });
  });

  test("deleting one's own comment writes nothing, for a member as for an admin", async () => {
    const before = await auditCount();
    const mine = await commentOk(c.alice, { type: "page", id: page.id }, "Je retire ce que j’ai dit");
    await removeOk(c.alice, mine);
    expect(await deletedBy(mine)).toBe(alice.id);
    const theirs = await commentOk(c.admin, { type: "post", id: published.id }, "Coquille");
    await removeOk(c.admin, theirs);
    expect(await deletedBy(theirs)).toBe(admin.id);
    expect(await auditCount()).toBe(before);
    expect((await moderated()).map((e) => JSON.parse(e.data).commentId)).not.toContain(mine);
  });

  test("a refused delete (a member on someone else's comment) writes nothing either", async () => {
    const before = await auditCount();
    const id = await commentOk(c.editor, { type: "page", id: page.id }, "Note de l’éditeur");
    const res = await c.alice.post(`/spaces/${club.slug}/comments`, { intent: "delete", commentId: id });
    expect(res.status).toBe(403);
    expect(await deletedBy(id)).toBeNull();
    expect(await auditCount()).toBe(before);
  });

  test("the audit log names the event in French and shows where the comment was", async () => {
    const res = await c.netAdmin.get("/admin/audit?event=comment_moderated");
    expect(res.status).toBe(200);
    const text = pageText(res.text);
    expect(text).toContain("Commentaire supprimé par modération");
    expect(text).toContain("Règlement du club");
    expect(text).toContain("Annonce du mois");
    expect(text).toContain("Alice Membre");
    // The filter offers the new kind with its label, not its raw name.
    expect(res.text).toMatch(/<option value="comment_moderated"[^>]*>Commentaire supprimé par modération<\/option>/);
  });
});
