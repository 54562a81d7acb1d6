import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { OpenedDatabase } from "#db/client.ts";
import * as pages from "#db/queries/pages.ts";
import * as posts from "#db/queries/posts.ts";
import { saveChoices } from "#db/queries/notification-choices.ts";
import type { Page, Post, Space } from "#db/schema.ts";
import { addMember, createUser, signIn, type TestUser } from "#tests/factories.ts";
import { client, pageText, type Client, type HttpResponse } from "#tests/helpers/http.ts";
import { ELEMENT, doc, heading, image, link, paragraph, text, type LexicalNode } from "#tests/helpers/lexical.ts";
import type { TestServer } from "#tests/helpers/server.ts";
import type { TestSmtp } from "#tests/helpers/smtp.ts";
import { world, type World } from "#tests/helpers/world.ts";
import { tablesOf } from "#tests/helpers/state.ts";

/**
 * Comments on wiki pages and articles over real HTTP, with real session
 * cookies, the real SQLite file and a real SMTP server on loopback: every
 * role's rights and outsiders', ids from another space, one level of
 * replies, deletion and moderation, hostile content, mentions and replies
 * that notify (in the app, and by mail for those who chose it, in their
 * language), the bell's count and marking read.
 */

let server: TestServer;
let smtp: TestSmtp;
let store: OpenedDatabase;

let admin: TestUser; // admin of club and of other
let editor: TestUser;
let alice: TestUser; // member, English, mail on
let bob: TestUser; // member, French, mail on
let dave: TestUser; // member, no mail at all
let guest: TestUser;
let carol: TestUser; // member of other only
let netAdmin: TestUser; // network admin, member of nothing
let reader: TestUser; // no membership: reads the open space

let club: Space;
let other: Space;
let open: Space;

let page: Page;
let otherPage: Page;
let openPage: Page;
let published: Post;
let draft: Post;

const c = {} as Record<"admin" | "editor" | "alice" | "bob" | "dave" | "guest" | "carol" | "netAdmin" | "reader", Client>;

const derived = (t: string) => ({ json: doc(paragraph(t)), html: `<p class="rt-p">${t}</p>`, text: t });

let w: World<"admin" | "editor" | "alice" | "bob" | "dave" | "guest" | "carol" | "netAdmin" | "reader", "club" | "other" | "open">;

beforeAll(async () => {
  w = await world({
    smtp: true,
    domain: "comments.test",
    displayName: (name) => `${name[0].toUpperCase()}${name.slice(1)} Com`,
    people: {
      admin: { locale: "fr" },
      editor: { locale: "fr" },
      alice: { locale: "en", displayName: "Alice Évrard" },
      bob: { locale: "fr", displayName: "Bob Lefèvre" },
      dave: { locale: "fr" },
      guest: { locale: "fr" },
      carol: { locale: "fr" },
      netAdmin: { locale: "fr", isNetworkAdmin: true, displayName: "Netadmin Com" },
      reader: { locale: "fr" },
    },
    spaces: {
      club: { createdBy: "admin", slug: "club", name: "Club Achats", visibility: "secret", members: { editor: "editor", alice: "member", bob: "member", dave: "member", guest: "guest" } },
      other: { createdBy: "admin", slug: "autre", name: "Autre Club", visibility: "secret", members: { carol: "member" } },
      open: { createdBy: "admin", slug: "ouvert", name: "Cercle Ouvert", visibility: "open" },
    },
  });
  ({ server, store, smtp } = w);
  ({ admin, editor, alice, bob, dave, guest, carol, netAdmin, reader } = w.people);
  ({ club, other, open } = w.spaces);
  Object.assign(c, w.c);
  // Dave takes mentions and replies in the app only.
  await saveChoices(store.db, dave.id, [{ kind: "mention", delivery: "app" }, { kind: "reply", delivery: "app" }], Date.now());

  const now = Date.now();
  page = await pages.createPage(store.db, { spaceId: club.id, parentId: null, title: "Méthode achats", slug: "methode-achats", content: derived("Le contenu"), summary: "", authorId: admin.id, now });
  otherPage = await pages.createPage(store.db, { spaceId: other.id, parentId: null, title: "Ailleurs", slug: "ailleurs", content: derived("Ailleurs"), summary: "", authorId: admin.id, now });
  openPage = await pages.createPage(store.db, { spaceId: open.id, parentId: null, title: "Accueil", slug: "accueil", content: derived("Bienvenue"), summary: "", authorId: admin.id, now });
  const post = (slug: string, authorId: string) =>
    posts.createPost(store.db, { spaceId: club.id, slug, title: `Article ${slug}`, excerpt: "", excerptAuto: true, coverFileId: null, content: derived("Texte"), visibility: "space", authorId, summary: "", now });
  published = await post("publie", bob.id);
  await store.db.updateTable("post").set({ state: "published", published_at: now }).where("id", "=", published.id).execute();
  draft = await post("brouillon", editor.id);
});

afterAll(() => w?.close());

// ---------------------------------------------------------------------------

const mention = (user: Pick<TestUser, "id" | "display_name">): LexicalNode => ({ type: "mention", userId: user.id, text: `@${user.display_name}`, format: 0, style: "", mode: "token", detail: 0, version: 1 });
const body = (...children: Array<LexicalNode | string>) => doc(paragraph(...children));

type Target = { type: "page" | "post"; id: string };
const onPage = (p: Page = page): Target => ({ type: "page", id: p.id });
const onPost = (p: Post): Target => ({ type: "post", id: p.id });

function comment(cl: Client, target: Target, content: string, options: { parentId?: string; space?: Space } = {}) {
  const fields: Record<string, string> = { intent: "create", targetType: target.type, targetId: target.id, body: content };
  if (options.parentId) fields.parentId = options.parentId;
  return cl.post(`/spaces/${(options.space ?? club).slug}/comments`, fields);
}

/** Comments and expects it to work; returns the new comment's id. */
async function commentOk(cl: Client, target: Target, content: string, options: { parentId?: string; space?: Space } = {}) {
  const res = await comment(cl, target, content, options);
  expect(res.status, pageText(res.text).slice(0, 300)).toBe(303);
  const id = /#comment-([a-z0-9]+)$/.exec(res.location ?? "")?.[1];
  expect(id, `no comment anchor in ${res.location}`).toBeDefined();
  return id!;
}

const edit = (cl: Client, commentId: string, content: string, space: Space = club) => cl.post(`/spaces/${space.slug}/comments`, { intent: "edit", commentId, body: content });
const remove = (cl: Client, commentId: string, space: Space = club) => cl.post(`/spaces/${space.slug}/comments`, { intent: "delete", commentId });

const row = (id: string) => store.db.selectFrom("comment").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
/** The outbox row of a notification's mail once its attempt is over (it runs after the response), or undefined when none was wanted. */
async function mailOf(notificationId: string) {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const row = await store.db.selectFrom("mail_outbox").selectAll().where("notification_id", "=", notificationId).executeTakeFirst();
    if (!row || (row.state !== "pending" && row.state !== "sending") || Date.now() > deadline) return row;
    await new Promise((r) => setTimeout(r, 50));
  }
}

const notificationsOf = (userId: string, commentId?: string) => {
  let q = store.db.selectFrom("notification").selectAll().where("user_id", "=", userId);
  if (commentId) q = q.where("comment_id", "=", commentId);
  return q.orderBy("created_at").execute();
};
/** Every row of the comment tables: a refused write leaves them as they were. */
const commentTables = () => tablesOf(store.db, ["comment", "comment_mention", "notification"]);
const pagePath = `/spaces/club/wiki/methode-achats`;
/** The comments section of the page view as served (server-rendered HTML). */
async function commentsSection(cl: Client, path = pagePath): Promise<string> {
  const res = await cl.get(path);
  expect(res.status).toBe(200);
  const start = res.text.indexOf('id="comments"');
  expect(start, "no comments section").toBeGreaterThan(-1);
  return res.text.slice(start, res.text.indexOf("</section>", start));
}

// ---------------------------------------------------------------------------

describe("who may comment", () => {
  test("every role of the space, and a network admin, comments on a wiki page; the page shows it without JavaScript", async () => {
    for (const who of ["admin", "editor", "alice", "guest", "netAdmin"] as const) {
      const id = await commentOk(c[who], onPage(), body(`Avis de ${who}`));
      const stored = await row(id);
      expect(stored).toMatchObject({ space_id: club.id, page_id: page.id, post_id: null, parent_id: null, deleted_at: null });
      expect(stored.body_html).toBe(`<p class="rt-p">Avis de ${who}</p>`);
      const section = await commentsSection(c.dave);
      expect(section).toContain(`id="comment-${id}"`);
      expect(section).toContain(`Avis de ${who}`);
    }
  });

  test("an outsider of a secret space gets 404; a reader of an open space who is not a member gets 403; nothing is stored", async () => {
    const before = await commentTables();
    expect((await comment(c.carol, onPage(), body("Intrus"))).status).toBe(404);
    expect((await c.carol.get(pagePath)).status).toBe(404);
    expect((await comment(c.reader, onPage(openPage), body("Lecteur"), { space: open })).status).toBe(403);
    // The reader sees the comments, but no form.
    const section = await commentsSection(c.reader, "/spaces/ouvert/wiki/accueil");
    expect(section).toContain("Seuls les membres de l’espace peuvent commenter.");
    expect(section).not.toContain('name="intent"');
    expect(await commentTables()).toEqual(before);
  });

  test("ids from another space are refused: target, parent and comment (404), nothing changes", async () => {
    const theirs = await commentOk(c.admin, onPage(otherPage), body("Chez les autres"), { space: other });
    const before = await commentTables();
    expect((await comment(c.alice, onPage(otherPage), body("Par ici"))).status).toBe(404);
    expect((await comment(c.alice, onPage(), body("Réponse"), { parentId: theirs })).status).toBe(404);
    expect((await edit(c.admin, theirs, body("Modifié d’ici"))).status).toBe(404);
    expect((await remove(c.admin, theirs)).status).toBe(404);
    expect(await commentTables()).toEqual(before);
    // Malformed ids and intents are bad requests.
    expect((await c.alice.post("/spaces/club/comments", { intent: "create", targetType: "file", targetId: page.id, body: body("x") })).status).toBe(400);
    expect((await c.alice.post("/spaces/club/comments", { intent: "create", targetType: "page", targetId: "../x", body: body("x") })).status).toBe(400);
    expect((await c.alice.post("/spaces/club/comments", { intent: "nope" })).status).toBe(400);
  });

  test("articles: a published one is open to members; a draft only to who may read it; trashed targets to nobody", async () => {
    await commentOk(c.alice, onPost(published), body("Bel article"));
    expect((await comment(c.alice, onPost(draft), body("Sur un brouillon"))).status).toBe(404);
    expect((await comment(c.guest, onPost(draft), body("Sur un brouillon"))).status).toBe(404);
    await commentOk(c.editor, onPost(draft), body("Note sur mon brouillon"));
    await commentOk(c.admin, onPost(draft), body("Relu"));
    // The JSON of an article's comments follows the same rule.
    expect((await c.alice.get(`/spaces/club/comments?post=${draft.id}`)).status).toBe(404);
    const json = await c.alice.get(`/spaces/club/comments?post=${published.id}`);
    expect(json.status).toBe(200);
    expect(JSON.parse(json.text).comments.map((x: { html: string }) => x.html)).toEqual(['<p class="rt-p">Bel article</p>']);

    const trashedPage = await pages.createPage(store.db, { spaceId: club.id, parentId: null, title: "Vieille page", slug: "vieille-page", content: derived("x"), summary: "", authorId: admin.id, now: Date.now() });
    const onTrashed = await commentOk(c.alice, onPage(trashedPage), body("Avant"));
    await pages.trashPage(store.db, trashedPage.id, admin.id, Date.now());
    await posts.trashPost(store.db, draft.id, admin.id, Date.now());
    expect((await comment(c.admin, onPage(trashedPage), body("Après"))).status).toBe(404);
    expect((await comment(c.admin, onPost(draft), body("Après"))).status).toBe(404);
    expect((await edit(c.alice, onTrashed, body("Après"))).status).toBe(404);
    await posts.restorePost(store.db, draft.id);
  });
});

describe("replies, edits and deletion", () => {
  test("a reply to a reply joins the top comment's thread", async () => {
    const top = await commentOk(c.alice, onPage(), body("Question"));
    const reply = await commentOk(c.bob, onPage(), body("Réponse"), { parentId: top });
    const replyToReply = await commentOk(c.dave, onPage(), body("Réponse à la réponse"), { parentId: reply });
    expect((await row(reply)).parent_id).toBe(top);
    expect((await row(replyToReply)).parent_id).toBe(top);
    // A parent on another target of the same space is refused.
    expect((await comment(c.bob, onPost(published), body("Ailleurs"), { parentId: top })).status).toBe(404);
  });

  test("authors edit their own comments (guests too); nobody edits someone else's, not even an admin", async () => {
    const mine = await commentOk(c.guest, onPage(), body("Premier jet"));
    const res = await edit(c.guest, mine, body("Version ", text("corrigée", 1)));
    expect(res.status).toBe(303);
    const stored = await row(mine);
    expect(stored.body_html).toBe('<p class="rt-p">Version <strong class="rt-text-bold">corrigée</strong></p>');
    expect(stored.edited_at).not.toBeNull();
    expect(await commentsSection(c.dave)).toMatch(/\(<!-- -->modifié<!-- -->\)/);
    for (const who of ["alice", "editor", "admin", "netAdmin"] as const) expect((await edit(c[who], mine, body("Pas à toi"))).status).toBe(403);
    expect((await row(mine)).body_text).toBe("Version corrigée");
  });

  test("members delete their own, not others'; editors and admins delete anyone's, recorded as theirs", async () => {
    const a = await commentOk(c.alice, onPage(), body("À supprimer par Alice"));
    const b = await commentOk(c.bob, onPage(), body("À modérer"));
    const g = await commentOk(c.guest, onPage(), body("Invité à modérer"));
    expect((await remove(c.bob, a)).status).toBe(403);
    expect((await remove(c.guest, b)).status).toBe(403);
    const res = await remove(c.alice, a);
    expect(res.status).toBe(302);
    expect(res.location).toBe(`${pagePath}#comments`);
    expect(await row(a)).toMatchObject({ deleted_by: alice.id, body_json: "", body_html: "", body_text: "" });
    expect((await remove(c.editor, b)).status).toBe(302);
    expect(await row(b)).toMatchObject({ deleted_by: editor.id, body_html: "" });
    expect((await remove(c.admin, g)).status).toBe(302);
    expect((await row(g)).deleted_by).toBe(admin.id);
    // Gone from the page (no replies), and a second delete or an edit finds nothing.
    const section = await commentsSection(c.dave);
    for (const id of [a, b, g]) expect(section).not.toContain(`comment-${id}`);
    expect((await remove(c.alice, a)).status).toBe(404);
    expect((await edit(c.alice, a, body("Revenu"))).status).toBe(404);
  });

  test("a deleted comment with replies stays as “comment deleted”, its replies under it; once they are gone, it goes too", async () => {
    const top = await commentOk(c.alice, onPage(), body("Texte secret du parent"));
    const reply = await commentOk(c.bob, onPage(), body("Réponse qui reste"), { parentId: top });
    expect((await remove(c.alice, top)).status).toBe(302);
    let section = await commentsSection(c.dave);
    expect(section).toContain(`id="comment-${top}"`);
    expect(section).toContain("Commentaire supprimé");
    expect(section).not.toContain("Texte secret du parent");
    expect(section).toContain("Réponse qui reste");
    // One may still answer in that thread.
    await commentOk(c.dave, onPage(), body("Encore une"), { parentId: reply });
    const json = JSON.parse((await c.dave.get(`/spaces/club/comments?page=${page.id}`)).text);
    const placeholder = json.comments.find((x: { id: string }) => x.id === top);
    expect(placeholder).toMatchObject({ deleted: true, html: "", json: null, can: { edit: false, delete: false, reply: false } });
    for (const r of json.comments.filter((x: { parentId: string | null }) => x.parentId === top)) {
      expect((await remove(c.admin, r.id)).status).toBe(302);
    }
    section = await commentsSection(c.dave);
    expect(section).not.toContain(`comment-${top}`);
  });
});

describe("hostile content", () => {
  test.each([
    ["a heading", doc(heading("h2", "Titre")), "unknown_node"],
    ["an image", doc(image("/files/abcdefghij0123456789/inline", "x")), "unknown_node"],
    ["a javascript: link", doc(paragraph(link("javascript:alert(document.cookie)", "clic"))), "bad_url"],
    ["a data: link", doc(paragraph(link("data:text/html,<script>alert(1)</script>", "clic"))), "bad_url"],
    ["an empty comment", doc(paragraph()), "empty"],
    ["broken JSON", '{"root": ', "malformed"],
    ["a forged mention id", doc(paragraph({ type: "mention", userId: "<script>", text: "@x", format: 0, style: "", mode: "token", detail: 0, version: 1 })), "malformed"],
    ["too much", doc(paragraph("x".repeat(25_000))), "too_large"],
  ])("%s is refused with 400 and nothing is stored", async (_name, content, error) => {
    const before = await commentTables();
    const res = await comment(c.alice, onPage(), content);
    expect(res.status).toBe(400);
    expect(JSON.parse(res.text)).toMatchObject({ error });
    const top = await commentOk(c.bob, onPage(), body("Cible"));
    const mid = await commentTables();
    expect((await edit(c.bob, top, content)).status).toBe(400);
    expect(await commentTables()).toEqual(mid);
    expect((await await commentTables()).comment.length).toBe(before.comment.length + 1);
  });

  test("HTML typed as text stays text", async () => {
    const id = await commentOk(c.alice, onPage(), body('<img src=x onerror="alert(1)"> ', { ...ELEMENT, type: "link", url: "https://example.org", rel: null, target: "_self", title: null, children: [text("lien")] }));
    const stored = await row(id);
    expect(stored.body_html).not.toContain("<img");
    expect(stored.body_html).toContain("&lt;img");
    expect(stored.body_html).toContain('rel="noopener noreferrer nofollow"');
    expect(stored.body_html).not.toContain("_self");
  });
});

describe("mentions and replies notify", () => {
  test("a mention notifies the member in the app and by mail, in their language, with a link to the comment", async () => {
    const id = await commentOk(c.bob, onPage(), body("Qu’en penses-tu ", mention(alice), " ?"));
    const [n] = await notificationsOf(alice.id, id);
    expect(n).toMatchObject({ kind: "mention", space_id: club.id, actor_id: bob.id, read_at: null });
    expect(await mailOf(n.id)).toMatchObject({ state: "sent", attempts: 1, recipient: alice.email });
    expect(await store.db.selectFrom("comment_mention").selectAll().where("comment_id", "=", id).execute()).toEqual([{ comment_id: id, user_id: alice.id }]);
    const mail = await smtp.waitForMail((m) => m.to.includes(alice.email) && m.text.includes(`#comment-${id}`));
    expect(mail.subject).toBe("Bob Lefèvre mentioned you in Club Achats");
    expect(mail.text).toContain("Bob Lefèvre mentioned you in a comment on “Méthode achats” (Club Achats):");
    expect(mail.text).toContain("> Qu’en penses-tu @Alice Évrard ?");
    expect(mail.text).toContain(`${server.url}/spaces/club/wiki/methode-achats#comment-${id}`);
    expect(mail.html).toContain(`href="${server.url}/spaces/club/wiki/methode-achats#comment-${id}"`);
    // The stored HTML carries the mention as exactly the allowed span.
    expect((await row(id)).body_html).toContain(`<span class="mention" data-user-id="${alice.id}">@Alice Évrard</span>`);
  });

  test("no mail for whoever did not choose it; no notification for the author, a non-member, or someone who may not read the target", async () => {
    const sentBefore = smtp.messages.length;
    const onPageId = await commentOk(c.bob, onPage(), body(mention(dave), " ", mention(bob), " ", mention(carol), " ", { type: "mention", userId: "zzzzzzzzzzzzzzzzzzzzzzzz", text: "@Personne", format: 0, style: "", mode: "token", detail: 0, version: 1 }));
    const [toDave] = await notificationsOf(dave.id, onPageId);
    expect(toDave).toMatchObject({ kind: "mention" });
    expect(await mailOf(toDave.id)).toBeUndefined();
    expect(await notificationsOf(bob.id, onPageId)).toEqual([]);
    expect(await notificationsOf(carol.id, onPageId)).toEqual([]);
    // Besides Dave, the page's creator hears of a comment on it (in the app, as by default).
    const told = await store.db.selectFrom("notification").select(["user_id", "kind"]).where("comment_id", "=", onPageId).orderBy("kind").execute();
    expect(told).toEqual([
      { user_id: admin.id, kind: "commentOnMine" },
      { user_id: dave.id, kind: "mention" },
    ]);
    // On a draft, a mentioned member who may not read it hears nothing; an admin who may, does.
    const onDraft = await commentOk(c.editor, onPost(draft), body(mention(alice), " ", mention(guest), " ", mention(admin)));
    expect(await notificationsOf(alice.id, onDraft)).toEqual([]);
    expect(await notificationsOf(guest.id, onDraft)).toEqual([]);
    const toAdmin = await notificationsOf(admin.id, onDraft);
    expect(toAdmin).toMatchObject([{ kind: "mention" }]);
    expect(await mailOf(toAdmin[0].id)).toMatchObject({ state: "sent" });
    await smtp.waitForMail((m) => m.to.includes(admin.email) && m.text.includes(`#comment-${onDraft}`));
    expect(smtp.messages.slice(sentBefore).map((m) => m.to[0])).toEqual([admin.email]);
  });

  test("a reply notifies the author of the comment answered (in French here); mentioned too, they get one notification", async () => {
    const top = await commentOk(c.bob, onPage(), body("Mon retour d’atelier"));
    const reply = await commentOk(c.alice, onPage(), body("Merci !"), { parentId: top });
    const toBob = await notificationsOf(bob.id, reply);
    expect(toBob).toMatchObject([{ kind: "reply", actor_id: alice.id }]);
    expect(await mailOf(toBob[0].id)).toMatchObject({ state: "sent" });
    const mail = await smtp.waitForMail((m) => m.to.includes(bob.email) && m.text.includes(`#comment-${reply}`));
    expect(mail.subject).toBe("Alice Évrard a répondu à votre commentaire");
    expect(mail.text).toContain("Alice Évrard a répondu à votre commentaire sur « Méthode achats » (Club Achats) :");

    const both = await commentOk(c.alice, onPage(), body("Et ", mention(bob), " aussi"), { parentId: top });
    expect(await notificationsOf(bob.id, both)).toMatchObject([{ kind: "mention" }]);
    // Answering a reply tells that reply's author, not the thread's.
    const answer = await commentOk(c.dave, onPage(), body("D’accord"), { parentId: reply });
    expect(await notificationsOf(alice.id, answer)).toMatchObject([{ kind: "reply" }]);
    expect(await notificationsOf(bob.id, answer)).toEqual([]);
    // Answering oneself notifies nobody but the page's creator, told of every comment on it.
    const self = await commentOk(c.bob, onPage(), body("Je complète"), { parentId: top });
    expect(await store.db.selectFrom("notification").select(["user_id", "kind"]).where("comment_id", "=", self).execute()).toEqual([{ user_id: admin.id, kind: "commentOnMine" }]);
  });

  test("an edit that adds a mention notifies the newcomer once; deleting the comment takes its notifications away", async () => {
    const id = await commentOk(c.dave, onPage(), body("Bientôt une mention"));
    expect((await edit(c.dave, id, body("Voilà ", mention(alice)))).status).toBe(303);
    expect(await notificationsOf(alice.id, id)).toHaveLength(1);
    expect((await edit(c.dave, id, body("Voilà encore ", mention(alice)))).status).toBe(303);
    expect(await notificationsOf(alice.id, id)).toHaveLength(1);
    expect((await remove(c.dave, id)).status).toBe(302);
    expect(await notificationsOf(alice.id, id)).toEqual([]);
  });
});

describe("the bell and the notifications page", () => {
  const bellCount = (res: HttpResponse) => Number(/class="bell[^"]*"[^>]*data-unread="(\d+)"|data-unread="(\d+)"[^>]*class="bell/.exec(res.text)?.slice(1).find(Boolean) ?? NaN);

  test("the header counts unread notifications; opening one marks it read and leads to the comment; mark all read", async () => {
    const fresh = await createUser(store.db, { email: "fresh@comments.test", displayName: "Fanny Frais", locale: "fr" });
    await addMember(store.db, { space: club, user: fresh, role: "member" });
    const cf = client(server.url);
    await signIn(cf, fresh.email, fresh.password);
    expect(bellCount(await cf.get("/spaces"))).toBe(0);

    const first = await commentOk(c.alice, onPage(), body("Salut ", mention(fresh)));
    const second = await commentOk(c.bob, onPost(published), body("Et ici ", mention(fresh)));
    const home = await cf.get("/spaces");
    expect(bellCount(home)).toBe(2);
    expect(home.text).toContain('aria-label="Notifications, 2 non lues"');

    const list = await cf.get("/notifications");
    expect(list.status).toBe(200);
    const ids = (await notificationsOf(fresh.id)).map((n) => n.id);
    expect(ids).toHaveLength(2);
    // Newest first, both unread, with what happened and where.
    const texts = pageText(list.text);
    expect(texts.indexOf("Article publie")).toBeLessThan(texts.indexOf("Méthode achats"));
    expect(texts).toContain("Alice Évrard vous a mentionné dans un commentaire sur « Méthode achats »");
    expect(list.text.match(/class="notification unread"/g)).toHaveLength(2);

    // Someone else's notification is nobody's business.
    expect((await c.alice.get(`/notifications/${ids[0]}`)).status).toBe(404);
    const open = await cf.get(`/notifications/${ids[0]}`);
    expect(open.status).toBe(302);
    expect(open.location).toBe(`/spaces/club/wiki/methode-achats#comment-${first}`);
    expect((await notificationsOf(fresh.id))[0].read_at).not.toBeNull();
    expect(bellCount(await cf.get("/spaces"))).toBe(1);

    const all = await cf.post("/notifications", { intent: "read-all" });
    expect(all.status).toBe(302);
    expect((await notificationsOf(fresh.id)).every((n) => n.read_at !== null)).toBe(true);
    expect(bellCount(await cf.get("/spaces"))).toBe(0);
    expect((await cf.get(`/notifications/${(await notificationsOf(fresh.id))[1].id}`)).location).toBe(`/spaces/club/blog/publie#comment-${second}`);

    // Removed from the space, they no longer see what happened there.
    await commentOk(c.alice, onPage(), body("Encore ", mention(fresh)));
    expect(bellCount(await cf.get("/spaces"))).toBe(1);
    await store.db.deleteFrom("space_member").where("user_id", "=", fresh.id).execute();
    expect(bellCount(await cf.get("/spaces"))).toBe(0);
    expect(pageText((await cf.get("/notifications")).text)).not.toContain("Méthode achats");
  });
});

describe("the @ picker's members", () => {
  test("members of the space by name, accents and case ignored, at most 8, not oneself; outsiders get nothing", async () => {
    const get = async (cl: Client, q: string) => {
      const res = await cl.get(`/spaces/club/members/mentions?q=${encodeURIComponent(q)}`);
      return { status: res.status, members: res.status === 200 ? (JSON.parse(res.text).members as Array<{ id: string; name: string }>) : [] };
    };
    expect((await get(c.bob, "EVR")).members).toEqual([{ id: alice.id, name: "Alice Évrard" }]);
    expect((await get(c.bob, "lefe")).members).toEqual([]);
    expect((await get(c.alice, "lefe")).members).toEqual([{ id: bob.id, name: "Bob Lefèvre" }]);
    expect((await get(c.bob, "carol")).members).toEqual([]);
    for (let i = 0; i < 10; i++) {
      const extra = await createUser(store.db, { email: `many${i}@comments.test`, displayName: `Zoé Nombreuse ${i}` });
      await addMember(store.db, { space: club, user: extra, role: "guest" });
    }
    expect((await get(c.bob, "zoe")).members).toHaveLength(8);
    expect((await get(c.bob, "")).members).toHaveLength(8);
    expect((await get(c.carol, "a")).status).toBe(404);
    expect((await get(c.reader, "a")).status).toBe(404);
    expect((await c.reader.get("/spaces/ouvert/members/mentions?q=a")).status).toBe(403);
  });
});
