import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { openDatabase } from "#db/client.ts";
import { inTransaction } from "#db/transact.ts";
import * as pages from "#db/queries/pages.ts";
import * as posts from "#db/queries/posts.ts";
import * as files from "#db/queries/files.ts";
import { insertComment } from "#db/queries/comments.ts";
import { insertConversation, insertMessage } from "#db/queries/conversations.ts";
import { createStorage } from "#storage/index.ts";
import type { StorageDriver } from "#storage/types.ts";
import { carryOutDueDeletions } from "#app/accounts/deletion-job.server.ts";
import { carryOutDeletion, GRACE_MS } from "#app/accounts/deletion.server.ts";
import { addMember, createSpace, createUser, DEFAULT_PASSWORD, signIn, type TestUser } from "#tests/factories.ts";
import { client, pageText, type Client } from "#tests/helpers/http.ts";
import { doc, paragraph, textDoc } from "#tests/helpers/lexical.ts";
import { registrationsOf, seedRegistration, seedWorkshop } from "#tests/helpers/workshops.ts";
import { world, type World } from "#tests/helpers/world.ts";

/**
 * Leaving the network (issue 19): a member asks for their account's
 * deletion on /settings/account with their password and a choice —
 * anonymise or remove. Signed out everywhere and out of the directory at
 * once; 14 days later the job deletes, once. Signing in before then cancels.
 * The only admin of a space must hand it over first. What remains, what is
 * gone and what the others still see, for both choices.
 */

type People = "lea" | "sami" | "boss" | "anne" | "remi" | "filleul" | "maya";
let w: World<People, "club" | "solo">;
let storage: StorageDriver;

const derived = (t: string) => ({ json: doc(paragraph(t)), html: `<p class="rt-p">${t}</p>`, text: t });
const DAY = 24 * 60 * 60 * 1000;

beforeAll(async () => {
  w = await world({
    smtp: true,
    domain: "depart.test",
    people: {
      lea: { displayName: "Léa Départ", locale: "fr" },
      sami: { displayName: "Sami Reste", locale: "fr" },
      boss: { displayName: "Bruno Seul", locale: "fr" },
      anne: { displayName: "Anne Onymat", locale: "fr" },
      remi: { displayName: "Rémi Retrait", locale: "fr" },
      filleul: { displayName: "Fabien Filleul", locale: "fr" },
      maya: { displayName: "Maya Partante", locale: "fr" },
    },
    spaces: {
      club: { createdBy: "sami", slug: "club-achats", name: "Club Achats", members: { lea: "member", anne: "member", remi: "member", boss: "member", filleul: { role: "member", sponsor: "anne" }, maya: "member" } },
      solo: { createdBy: "boss", slug: "club-solo", name: "Club Solo", members: { sami: "member" } },
    },
  });
  storage = createStorage({ driver: "local", root: path.join(w.server.dataDir, "files") });
});
afterAll(() => w?.close());

const userRow = (id: string) => w.store.db.selectFrom("user").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
const ask = (c: Client, fields: Record<string, string>) => c.post("/settings/account", fields);
const request = (c: Client, who: TestUser, mode: "anonymise" | "remove") => ask(c, { mode, password: DEFAULT_PASSWORD, confirm: "on" });
/** Whether the viewer's directory lists this name. */
const directoryLists = async (c: Client, name: string) => pageText((await c.get(`/people?q=${encodeURIComponent(name.split(" ")[1])}`)).text).includes(name);
/** Runs the job as if the grace period were over: `days` after now. */
const sweep = (days = 15) => carryOutDueDeletions(w.store.db, storage, Date.now() + days * DAY);

describe("the request", () => {
  test("the page says what each choice means and what stays, in French", async () => {
    const res = await w.c.lea.get("/settings/account");
    expect(res.status).toBe(200);
    const text = pageText(res.text);
    expect(text).toContain("Supprimer mon compte");
    expect(text).toContain("14 jours");
    expect(text).toContain("Le laisser aux clubs, anonymisé");
    expect(text).toContain("Supprimer ce qui n’est qu’à moi");
    expect(text).toContain("Les clubs gardent la trace des cooptations");
    expect(res.text).toMatch(/<input[^>]*type="password"/);
  });

  test("without the password, the confirmation or a known choice: 400 beside the field, nothing scheduled", async () => {
    const wrong = await ask(w.c.lea, { mode: "anonymise", password: "not my password", confirm: "on" });
    expect(wrong.status).toBe(400);
    expect(pageText(wrong.text)).toContain("Ce n’est pas votre mot de passe.");
    const unconfirmed = await ask(w.c.lea, { mode: "anonymise", password: DEFAULT_PASSWORD });
    expect(unconfirmed.status).toBe(400);
    expect(pageText(unconfirmed.text)).toContain("Cochez cette case pour confirmer.");
    for (const mode of ["", "everything", "ANONYMISE"]) expect((await ask(w.c.lea, { mode, password: DEFAULT_PASSWORD, confirm: "on" })).status).toBe(400);
    expect((await userRow(w.people.lea.id)).deletion_due_at).toBeNull();
    expect((await w.c.lea.get("/settings/account")).status).toBe(200);
  });

  test("the only admin of a space is refused, told which spaces and where to hand over; nothing changes", async () => {
    const page = await w.c.boss.get("/settings/account");
    expect(pageText(page.text)).toContain("Vous êtes le seul administrateur d’un club");
    expect(page.text).toContain('href="/spaces/club-solo/members"');
    const res = await request(w.c.boss, w.people.boss, "anonymise");
    expect(res.status).toBe(400);
    expect(pageText(res.text)).toContain("Vous êtes le seul administrateur de : Club Solo.");
    expect((await userRow(w.people.boss.id)).deletion_due_at).toBeNull();
    expect((await w.c.boss.get("/settings/account")).status).toBe(200);
    // Once another admin is named, the way is clear.
    await w.store.db.updateTable("space_member").set({ role: "admin" }).where("space_id", "=", w.spaces.solo.id).where("user_id", "=", w.people.sami.id).execute();
    expect(pageText((await w.c.boss.get("/settings/account")).text)).not.toContain("seul administrateur");
  });

  test("asked: every session ends, the profile leaves the directory at once, a mail says when and how to cancel, the audit names an id", async () => {
    const lea = w.people.lea;
    const second = client(w.server.url);
    await signIn(second, lea.email, DEFAULT_PASSWORD);
    expect(await directoryLists(w.c.sami, "Léa Départ")).toBe(true);
    expect((await w.c.sami.get(`/people/${lea.id}`)).status).toBe(200);

    const before = Date.now();
    const res = await request(w.c.lea, lea, "anonymise");
    expect(res.status).toBe(302);
    expect(res.location).toBe("/login");
    const row = await userRow(lea.id);
    expect(row.deletion_mode).toBe("anonymise");
    expect(row.deletion_due_at! - row.deletion_requested_at!).toBe(GRACE_MS);
    expect(row.deletion_requested_at!).toBeGreaterThanOrEqual(before);

    // Signed out here and elsewhere.
    for (const c of [w.c.lea, second]) expect((await c.get("/settings/account")).status).toBe(302);
    expect(await w.store.db.selectFrom("session").select("id").where("user_id", "=", lea.id).execute()).toEqual([]);
    const flash = pageText((await w.c.lea.get("/login")).text);
    expect(flash).toContain("Votre compte sera supprimé le");

    // Gone from the directory and the people pages at once, for a club peer too; still a member meanwhile.
    expect(await directoryLists(w.c.sami, "Léa Départ")).toBe(false);
    expect((await w.c.sami.get(`/people/${lea.id}`)).status).toBe(404);

    const mail = await w.smtp.waitForMail((m) => m.to.includes(lea.email) && m.subject.includes("sera supprimé"));
    expect(mail.text).toContain("Reconnectez-vous avant le");
    expect(mail.text).toContain("anonymiser");

    const audit = await w.store.db.selectFrom("audit_log").selectAll().where("event", "=", "account_deletion_requested").where("target_user_id", "=", lea.id).execute();
    expect(audit).toHaveLength(1);
    expect(audit[0].actor_id).toBe(lea.id);
    expect(audit[0].data).not.toContain(lea.email);
    expect(audit[0].data).not.toContain("Léa");
  });

  test("signing in during the 14 days cancels it: told on arrival and by mail, back in the directory, audited", async () => {
    const lea = w.people.lea;
    const res = await w.c.lea.post("/login", { email: lea.email, password: DEFAULT_PASSWORD, redirectTo: "" });
    expect(res.status).toBe(302);
    const home = pageText((await w.c.lea.get(res.location!)).text);
    expect(home).toContain("la suppression de votre compte est annulée");
    const row = await userRow(lea.id);
    expect([row.deletion_due_at, row.deletion_mode, row.deletion_requested_at]).toEqual([null, null, null]);
    expect(await directoryLists(w.c.sami, "Léa Départ")).toBe(true);
    const mail = await w.smtp.waitForMail((m) => m.to.includes(lea.email) && m.subject.includes("est annulée"));
    expect(mail.text).toContain("ne sera pas supprimé");
    expect(await w.store.db.selectFrom("audit_log").select("id").where("event", "=", "account_deletion_cancelled").where("target_user_id", "=", lea.id).execute()).toHaveLength(1);
    // And the job, later, leaves her be.
    expect(await sweep()).toBe(0);
    expect((await userRow(lea.id)).deleted_at).toBeNull();
  });
});

describe("anonymise", () => {
  let pageId: string;
  let commentId: string;
  test("what she wrote stays, under “Ancien membre”; her account keeps nothing personal; done once", async () => {
    const anne = w.people.anne;
    const now = Date.now();
    const page = await pages.createPage(w.store.db, { spaceId: w.spaces.club.id, parentId: null, title: "Méthode de sourcing", slug: "methode-sourcing", content: derived("Trois fournisseurs par famille."), summary: "", authorId: anne.id, now });
    pageId = page.id;
    commentId = (await insertComment(w.store.db, { spaceId: w.spaces.club.id, target: { kind: "page", id: page.id }, parentId: null, authorId: anne.id, body: derived("Retour d’expérience d’Anne sur le sourcing"), now })).id;
    await w.store.db.updateTable("user").set({ headline: "Acheteuse industrielle", skills: '["Sourcing"]' }).where("id", "=", anne.id).execute();

    expect((await request(w.c.anne, anne, "anonymise")).status).toBe(302);
    expect(await sweep(13)).toBe(0);
    // A run that dies before it commits leaves the account due and untouched: the claim and the work are one transaction
    // (run again, as the job's is, if PostgreSQL refuses it for the server's own writes beside it).
    await expect(
      inTransaction(w.store.db, async (trx) => {
        expect((await carryOutDeletion(trx, { ip: "", now: Date.now() + 15 * DAY }, { userId: anne.id })).ok).toBe(true);
        throw new Error("the process dies here");
      }),
    ).rejects.toThrow("the process dies here");
    expect((await userRow(anne.id)).deleted_at).toBeNull();
    expect((await userRow(anne.id)).display_name).toBe("Anne Onymat");
    // Another process (a second connection) carries it out; this one, after it, finds nothing to do.
    const other = openDatabase(w.server.dbFile);
    try {
      expect(await carryOutDueDeletions(other.db, storage, Date.now() + 15 * DAY)).toBe(1);
    } finally {
      await other.close();
    }
    expect(await sweep()).toBe(0);

    const row = await userRow(anne.id);
    expect(row.deleted_at).not.toBeNull();
    expect(row.display_name).toBe("");
    expect(row.email).not.toContain("depart.test");
    expect(row.headline).toBe("");
    expect(row.skills).toBe("[]");
    expect(row.listing).toBe("hidden");
    expect(await w.store.db.selectFrom("space_member").select("space_id").where("user_id", "=", anne.id).execute()).toEqual([]);

    // The comment and the page stay, no longer hers.
    const comment = await w.store.db.selectFrom("comment").selectAll().where("id", "=", commentId).executeTakeFirstOrThrow();
    expect([comment.author_id, comment.deleted_at, comment.body_text]).toEqual([null, null, "Retour d’expérience d’Anne sur le sourcing"]);
    const seen = pageText((await w.c.sami.get("/spaces/club-achats/wiki/methode-sourcing")).text);
    expect(seen).toContain("Trois fournisseurs par famille.");
    expect(seen).toContain("Retour d’expérience d’Anne sur le sourcing");
    expect(seen).toContain("Ancien membre");
    expect(seen).not.toContain("Anne Onymat");

    // The co-optation stays: Fabien was sponsored, by an account that no longer has a name.
    const sponsored = await w.store.db.selectFrom("space_member").select("sponsor_id").where("user_id", "=", w.people.filleul.id).executeTakeFirstOrThrow();
    expect(sponsored.sponsor_id).toBe(anne.id);
    const members = pageText((await w.c.sami.get("/spaces/club-achats/members")).text);
    expect(members).toContain("Fabien Filleul");
    expect(members).not.toContain("Anne Onymat");

    // The audit has the deletion by id, and nothing of her anywhere (where she signed in from neither).
    const deleted = await w.store.db.selectFrom("audit_log").selectAll().where("event", "=", "account_deleted").where("target_user_id", "=", anne.id).execute();
    expect(deleted).toHaveLength(1);
    const everything = JSON.stringify(await w.store.db.selectFrom("audit_log").selectAll().execute());
    expect(everything).not.toContain(anne.email);
    expect(everything).not.toContain("Anne Onymat");
    expect(await w.store.db.selectFrom("audit_log").select("ip").where("actor_id", "=", anne.id).where("ip", "!=", "").execute()).toEqual([]);
    // Her old address and password open nothing.
    expect((await client(w.server.url).post("/login", { email: anne.email, password: DEFAULT_PASSWORD })).status).toBe(400);
    expect(pageId).toBeTruthy();
  });
});

describe("anonymise, seen from a conversation", () => {
  test("while she waits nobody calls her in or writes to her anew; once done, her messages stay under “Ancien membre”", async () => {
    const maya = w.people.maya;
    const sami = w.people.sami;
    const now = Date.now();
    const conversation = await insertConversation(w.store.db, { createdBy: maya.id, memberIds: [maya.id, sami.id], now });
    await insertMessage(w.store.db, { conversationId: conversation, authorId: maya.id, body: derived("Le cahier des charges de Maya"), now });
    await insertMessage(w.store.db, { conversationId: conversation, authorId: sami.id, body: derived("Merci, je relis ce soir"), now: now + 1 });
    const mentionable = async () => (JSON.parse((await w.c.sami.get("/spaces/club-achats/members/mentions?q=maya")).text) as { members: Array<{ name: string }> }).members.map((m) => m.name);
    expect(await mentionable()).toEqual(["Maya Partante"]);
    const write = () => w.c.sami.post("/messages/new", [["to", maya.id], ["body", textDoc("Une autre question")]]);

    expect((await request(w.c.maya, maya, "anonymise")).status).toBe(302);
    // Out of the directory at once means out of the "@" picker and of new conversations too: refused, nothing stored.
    expect(await mentionable()).toEqual([]);
    const conversations = async () => (await w.store.db.selectFrom("conversation_member").select("conversation_id").where("user_id", "=", maya.id).execute()).length;
    const seats = await conversations();
    expect((await write()).status).toBe(400);
    expect(await conversations()).toBe(seats);

    expect(await sweep()).toBe(1);
    const seen = pageText((await w.c.sami.get(`/messages/${conversation}`)).text);
    expect(seen).toContain("Le cahier des charges de Maya");
    expect(seen).toContain("Merci, je relis ce soir");
    expect(seen).toContain("Ancien membre");
    expect(seen).not.toContain("Maya Partante");
    const kept = await w.store.db.selectFrom("message").select(["author_id", "deleted_at"]).where("conversation_id", "=", conversation).orderBy("created_at").execute();
    expect(kept).toEqual([
      { author_id: null, deleted_at: null },
      { author_id: sami.id, deleted_at: null },
    ]);
  });
});

describe("remove", () => {
  test("his articles, comments, messages and pages only he wrote go; others’ replies and shared pages stay, anonymised", async () => {
    const remi = w.people.remi;
    const sami = w.people.sami;
    const club = w.spaces.club.id;
    const now = Date.now();
    const post = await posts.createPost(w.store.db, { spaceId: club, slug: "mon-article", title: "Négocier en période d’inflation", excerpt: "", excerptAuto: true, coverFileId: null, content: derived("Article de Rémi"), visibility: "space", authorId: remi.id, summary: "", now });
    await w.store.db.updateTable("post").set({ state: "published", published_at: now }).where("id", "=", post.id).execute();
    const samiPage = await pages.createPage(w.store.db, { spaceId: club, parentId: null, title: "Page de Sami", slug: "page-de-sami", content: derived("Texte de Sami"), summary: "", authorId: sami.id, now });
    const remiComment = await insertComment(w.store.db, { spaceId: club, target: { kind: "page", id: samiPage.id }, parentId: null, authorId: remi.id, body: derived("Question de Rémi"), now });
    const reply = await insertComment(w.store.db, { spaceId: club, target: { kind: "page", id: samiPage.id }, parentId: remiComment.id, authorId: sami.id, body: derived("Réponse de Sami"), now: now + 1 });
    const alone = await pages.createPage(w.store.db, { spaceId: club, parentId: null, title: "Notes de Rémi", slug: "notes-de-remi", content: derived("Seul Rémi"), summary: "", authorId: remi.id, now });
    const child = await pages.createPage(w.store.db, { spaceId: club, parentId: alone.id, title: "Sous-page de Sami", slug: "sous-page-de-sami", content: derived("Enfant"), summary: "", authorId: sami.id, now });
    const shared = await pages.createPage(w.store.db, { spaceId: club, parentId: null, title: "Page partagée", slug: "page-partagee", content: derived("Version de Rémi"), summary: "", authorId: remi.id, now });
    const saved = await pages.savePage(w.store.db, { pageId: shared.id, baseRevision: 1, title: "Page partagée", slug: "page-partagee", content: derived("Version de Sami"), summary: "", authorId: sami.id, now: now + 1 });
    expect(saved.ok).toBe(true);
    const conversation = await insertConversation(w.store.db, { createdBy: remi.id, memberIds: [remi.id, sami.id], now });
    await insertMessage(w.store.db, { conversationId: conversation, authorId: remi.id, body: derived("Message privé de Rémi"), now });
    await insertMessage(w.store.db, { conversationId: conversation, authorId: sami.id, body: derived("Réponse privée de Sami"), now: now + 1 });

    // Two files he uploaded: one nothing else uses, one Sami's page shows.
    const file = async (name: string) => {
      const key = `spaces/${club}/demo-${name}`;
      await storage.put(key, Buffer.from(`contenu de ${name}`), { contentType: "text/plain" });
      const made = await files.createFile(w.store.db, { spaceId: club, folderId: null, name, userId: remi.id, now, originalName: name, object: { storageKey: key, size: 20, contentType: "text/plain", sha256: "0".repeat(64), thumbnailKey: null } });
      return { id: made.file.id, key };
    };
    const own = await file("grille-remi.txt");
    const used = await file("tarifs-transport.txt");
    await files.setPageFiles(w.store.db, samiPage, [used.id]);

    expect((await request(w.c.remi, remi, "remove")).status).toBe(302);
    expect(await sweep()).toBe(1);

    // His file alone is gone, bytes too; the one Sami's page uses stays, no longer his.
    expect(await w.store.db.selectFrom("file").select("id").where("id", "=", own.id).executeTakeFirst()).toBeUndefined();
    expect(await storage.head(own.key)).toBeNull();
    const kept = await w.store.db.selectFrom("file").select(["created_by", "updated_by"]).where("id", "=", used.id).executeTakeFirstOrThrow();
    expect(kept).toEqual({ created_by: null, updated_by: null });
    expect(await storage.head(used.key)).not.toBeNull();

    const exists = async (table: "post" | "page", id: string) => (await w.store.db.selectFrom(table).select("id").where("id", "=", id).executeTakeFirst()) !== undefined;
    expect(await exists("post", post.id)).toBe(false);
    expect(await exists("page", alone.id)).toBe(false);
    expect(await exists("page", shared.id)).toBe(true);
    // The page below the removed one moves up; the shared page keeps its text, Rémi's revision no longer his.
    expect((await w.store.db.selectFrom("page").select("parent_id").where("id", "=", child.id).executeTakeFirstOrThrow()).parent_id).toBeNull();
    const revisions = await w.store.db.selectFrom("page_revision").select(["number", "author_id"]).where("page_id", "=", shared.id).orderBy("number").execute();
    expect(revisions).toEqual([
      { number: 1, author_id: null },
      { number: 2, author_id: sami.id },
    ]);
    // His comment is emptied; Sami's reply stays under the placeholder.
    const gone = await w.store.db.selectFrom("comment").selectAll().where("id", "=", remiComment.id).executeTakeFirstOrThrow();
    expect([gone.body_text, gone.author_id, gone.deleted_at !== null]).toEqual(["", null, true]);
    const thread = pageText((await w.c.sami.get("/spaces/club-achats/wiki/page-de-sami")).text);
    expect(thread).toContain("Réponse de Sami");
    expect(thread).not.toContain("Question de Rémi");
    expect(thread).not.toContain("Rémi Retrait");
    expect((await w.c.sami.get("/spaces/club-achats/blog/mon-article")).status).toBe(404);
    expect(reply.id).toBeTruthy();

    // Sami keeps the conversation: his own message, and Rémi's as deleted.
    const convo = pageText((await w.c.sami.get(`/messages/${conversation}`)).text);
    expect(convo).toContain("Réponse privée de Sami");
    expect(convo).not.toContain("Message privé de Rémi");
    expect(convo).not.toContain("Rémi Retrait");
  });
});

test("without a session the page and its form lead to sign-in, and nothing is asked", async () => {
  const get = await w.anonymous.get("/settings/account");
  expect(get.status).toBe(302);
  expect(get.location).toMatch(/^\/login\?redirectTo=/);
  const post = await w.anonymous.post("/settings/account", { mode: "remove", password: DEFAULT_PASSWORD, confirm: "on" });
  expect(post.status).toBe(302);
  expect(post.location).toMatch(/^\/login/);
});

test("two admins, one leaving the network: the other is now the last who stays — they may not step down, leave or ask to go too", async () => {
  const [ines, jo] = [await createUser(w.store.db, { displayName: "Inès Part" }), await createUser(w.store.db, { displayName: "Jo Reste" })];
  const duo = await createSpace(w.store.db, { createdBy: ines.id, slug: "club-duo", name: "Club Duo" });
  await addMember(w.store.db, { space: duo, user: jo, role: "admin" });
  const [ci, cj] = [client(w.server.url), client(w.server.url)];
  await signIn(ci, ines.email, DEFAULT_PASSWORD);
  await signIn(cj, jo.email, DEFAULT_PASSWORD);
  const roleOf = async (id: string) => (await w.store.db.selectFrom("space_member").select("role").where("space_id", "=", duo.id).where("user_id", "=", id).executeTakeFirst())?.role;

  // Two admins: Inès may go.
  expect((await request(ci, ines, "anonymise")).status).toBe(302);
  // Jo, the one who stays, is the last admin now.
  expect(pageText((await request(cj, jo, "anonymise")).text)).toContain("Vous êtes le seul administrateur de : Club Duo.");
  expect((await userRow(jo.id)).deletion_due_at).toBeNull();
  const leave = await cj.post("/spaces/club-duo/members", { intent: "leave" });
  expect(leave.status).toBe(302);
  expect(leave.location).toBe("/spaces/club-duo/members");
  const demote = await cj.post("/spaces/club-duo/members", { intent: "change-role", userId: jo.id, role: "member" });
  expect(demote.status).toBe(302);
  expect(await roleOf(jo.id)).toBe("admin");
  // Inès herself, leaving, may still be stepped down by Jo.
  await cj.post("/spaces/club-duo/members", { intent: "change-role", userId: ines.id, role: "member" });
  expect(await roleOf(ines.id)).toBe("member");
});

test("the seat a deleted member held in a full workshop goes to the first one waiting, who is told", async () => {
  const [karl, lou] = [await createUser(w.store.db, { displayName: "Karl Parti" }), await createUser(w.store.db, { displayName: "Lou Attente" })];
  for (const u of [karl, lou]) await addMember(w.store.db, { space: w.spaces.club, user: u });
  const workshop = await seedWorkshop(w.store.db, { spaceId: w.spaces.club.id, createdBy: w.people.sami.id, title: "Atelier complet", capacity: 1, startsAt: Date.now() + 30 * DAY });
  await seedRegistration(w.store.db, workshop.id, karl.id, "going");
  await seedRegistration(w.store.db, workshop.id, lou.id, "waiting");
  const ck = client(w.server.url);
  await signIn(ck, karl.email, DEFAULT_PASSWORD);
  expect((await request(ck, karl, "anonymise")).status).toBe(302);

  expect(await sweep()).toBeGreaterThanOrEqual(1);
  expect((await userRow(karl.id)).deleted_at).not.toBeNull();
  const seats = await registrationsOf(w.store.db, workshop.id);
  expect(seats.map((r) => [r.user_id, r.status])).toEqual([[lou.id, "going"]]);
  const told = await w.store.db.selectFrom("notification").select("kind").where("user_id", "=", lou.id).where("owner_id", "=", workshop.id).execute();
  expect(told).toEqual([{ kind: "workshopPromoted" }]);
});
