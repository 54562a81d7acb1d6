import { afterAll, beforeAll, expect, test } from "vitest";
import { choicesForm } from "#tests/helpers/notification-choices.ts";
import { pageText, type Client } from "#tests/helpers/http.ts";
import { createUser } from "#tests/factories.ts";
import { textDoc } from "#tests/helpers/lexical.ts";
import { world, type World } from "#tests/helpers/world.ts";

/**
 * Private conversations over HTTP with real sessions (issue 16): who may
 * write to whom, contact requests, one mail per unread conversation, the
 * controls (mute, leave, delete one's own), reports, and that nobody outside
 * a conversation — a network admin included — can read it or learn it exists.
 */

type P = "ana" | "ben" | "cara" | "dan" | "eve" | "fay" | "gus" | "admin";
let w: World<P, "club">;

beforeAll(async () => {
  w = await world({
    people: {
      ana: { displayName: "Ana Martin" },
      ben: { displayName: "Ben Roux" },
      cara: { displayName: "Cara Loin" },
      dan: { displayName: "Dan Personne" },
      eve: { displayName: "Eve Clubs" },
      fay: { displayName: "Fay Loin" },
      gus: { displayName: "Gus Groupe" },
      admin: { displayName: "Nadia Réseau", isNetworkAdmin: true },
    },
    // Ana, Ben and Gus share a club; Cara, Dan, Eve and Fay share none with anyone.
    spaces: { club: { createdBy: "ana", slug: "club", name: "Club", members: { ben: "member", gus: "member" } } },
  });
  const policy = (who: P, contact_policy: "clubs" | "network" | "nobody") => w.store.db.updateTable("user").set({ contact_policy }).where("id", "=", w.people[who].id).execute();
  await policy("dan", "nobody");
  await policy("eve", "clubs");
});
afterAll(() => w?.close());

const body = (text: string) => textDoc(text);
const count = async (table: "conversation" | "message" | "contact_request" | "conversation_report") =>
  Number((await w.store.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n);
const mailsTo = async (who: P) =>
  Number((await w.store.db.selectFrom("mail_outbox").select((eb) => eb.fn.countAll<number>().as("n")).where("recipient", "=", w.people[who].email).executeTakeFirstOrThrow()).n);

/** Starts a conversation as `from` with `to`; the new conversation's id on success. */
async function start(from: P, to: P[], text = "Bonjour !") {
  const res = await w.c[from].post("/messages/new", [...to.map((p): [string, string] => ["to", w.people[p].id]), ["body", body(text)]]);
  const id = res.status === 302 || res.status === 303 ? /\/messages\/([0-9a-z]+)$/.exec(res.location ?? "")?.[1] : undefined;
  return { res, id };
}
const send = (c: Client, id: string, text: string) => c.post(`/messages/${id}`, { intent: "send", body: body(text) });

test("who may write to whom: a shared club writes, the network asks, consent and blocks refuse, and nothing is stored when refused", async () => {
  // Shared club: straight to the conversation, no request.
  const direct = await start("ana", ["ben"], "Réunion jeudi ?");
  expect(direct.id).toBeDefined();
  expect(await w.store.db.selectFrom("contact_request").select("id").where("conversation_id", "=", direct.id!).executeTakeFirst()).toBeUndefined();

  // No shared club, recipient lets the network ask (the default): a contact request.
  const asked = await start("ana", ["cara"], "Je me présente…");
  expect(asked.id).toBeDefined();
  const request = await w.store.db.selectFrom("contact_request").selectAll().where("conversation_id", "=", asked.id!).executeTakeFirstOrThrow();
  expect(request.state).toBe("pending");
  expect(request.from_id).toBe(w.people.ana.id);

  // Refusals: "nobody", "my clubs only" from outside them, a request already out. Each: 400, nothing stored.
  for (const [to, error] of [
    ["dan", "Impossible d’écrire à : Dan Personne"],
    ["eve", "Impossible d’écrire à : Eve Clubs"],
    ["cara", "attend déjà la réponse de : Cara Loin"],
  ] as const) {
    const before = { c: await count("conversation"), m: await count("message"), r: await count("contact_request") };
    const { res } = await start("ana", [to]);
    expect(res.status, to).toBe(400);
    expect(pageText(res.text)).toContain(error);
    expect({ c: await count("conversation"), m: await count("message"), r: await count("contact_request") }, to).toEqual(before);
  }
  // A group is only for people one may write to directly.
  const group = await start("ana", ["ben", "fay"]);
  expect(group.res.status).toBe(400);
  expect(pageText(group.res.text)).toContain("Impossible d’écrire à : Fay Loin");
});

test("a contact request: neither writes until it is accepted; declined, it is gone for the recipient and still waits for the sender", async () => {
  const { id } = await start("fay", ["cara"], "Bonjour Cara, un échange ?");
  expect(id).toBeDefined();
  // The sender waits; the recipient must answer before writing.
  expect((await send(w.c.fay, id!, "Encore moi")).status).toBe(403);
  expect((await send(w.c.cara, id!, "Hmm")).status).toBe(403);
  const page = pageText((await w.c.cara.get(`/messages/${id}`)).text);
  expect(page).toContain("Fay Loin souhaite échanger avec vous");
  expect((await w.c.cara.post(`/messages/${id}`, { intent: "accept" })).status).toBe(302);
  expect((await send(w.c.cara, id!, "Avec plaisir")).status).toBe(200);
  expect((await send(w.c.fay, id!, "Merci !")).status).toBe(200);
  // Accepted: a second conversation between them is direct.
  const again = await start("cara", ["fay"], "Suite");
  expect(again.id).toBeDefined();

  // Declined (Ana's request to Cara from the first test): silent.
  const asked = await w.store.db.selectFrom("contact_request").select("conversation_id").where("from_id", "=", w.people.ana.id).where("to_id", "=", w.people.cara.id).executeTakeFirstOrThrow();
  expect((await w.c.cara.post(`/messages/${asked.conversation_id}`, { intent: "decline" })).status).toBe(302);
  expect((await w.c.cara.get(`/messages/${asked.conversation_id}`)).status).toBe(404);
  expect(pageText((await w.c.cara.get("/messages")).text)).not.toContain("Ana Martin");
  const senderView = pageText((await w.c.ana.get(`/messages/${asked.conversation_id}`)).text);
  expect(senderView).toContain("attend la réponse de Cara Loin");
  expect((await send(w.c.ana, asked.conversation_id, "Relance")).status).toBe(403);
});

test("no one outside a conversation reads it, lists it or acts on it — a network admin included", async () => {
  const { id } = await start("ana", ["ben"], "Entre nous : le budget 2027");
  for (const outsider of ["cara", "gus", "admin"] as const) {
    expect((await w.c[outsider].get(`/messages/${id}`)).status, outsider).toBe(404);
    for (const intent of ["send", "delete", "accept", "decline", "mute", "unmute", "leave", "report"]) {
      const res = await w.c[outsider].post(`/messages/${id}`, { intent, body: body("x"), messageId: "x", reason: "x" });
      expect(res.status, `${outsider} ${intent}`).toBe(404);
    }
    expect(pageText((await w.c[outsider].get("/messages")).text), outsider).not.toContain("le budget 2027");
  }
  expect(pageText((await w.c.admin.get("/admin/reports")).text)).not.toContain("le budget 2027");
  expect((await w.anonymous.get(`/messages/${id}`)).status).toBe(302);
});

test("one mail per unread conversation: a burst is one mail, reading opens the way for the next, muted and opted-out get none, the author never", async () => {
  const { id } = await start("gus", ["ben"], "Premier message");
  const base = { ben: await mailsTo("ben"), gus: await mailsTo("gus") };
  // The first message mailed Ben once already; two more before he reads: nothing more.
  await send(w.c.gus, id!, "Deuxième");
  await send(w.c.gus, id!, "Troisième");
  expect(await mailsTo("ben")).toBe(base.ben);
  expect(await mailsTo("gus")).toBe(base.gus);
  // Ben reads; the next message mails him again.
  expect((await w.c.ben.get(`/messages/${id}`)).status).toBe(200);
  await send(w.c.gus, id!, "Quatrième");
  expect(await mailsTo("ben")).toBe(base.ben + 1);
  // Muted: nothing, even after reading.
  await w.c.ben.get(`/messages/${id}`);
  expect((await w.c.ben.post(`/messages/${id}`, { intent: "mute" })).status).toBe(302);
  await send(w.c.gus, id!, "Cinquième");
  expect(await mailsTo("ben")).toBe(base.ben + 1);
  expect((await w.c.ben.post(`/messages/${id}`, { intent: "unmute" })).status).toBe(302);
  // Opted out in the notification settings (messages in the app only): nothing either.
  await w.c.ben.get(`/messages/${id}`);
  expect((await w.c.ben.post("/settings/notifications", choicesForm({ message: "app" }))).status).toBe(302);
  await send(w.c.gus, id!, "Sixième");
  expect(await mailsTo("ben")).toBe(base.ben + 1);
  expect((await w.c.ben.post("/settings/notifications", choicesForm({ message: "mail" }))).status).toBe(302);
  expect(await mailsTo("gus")).toBe(base.gus);
  // The mail says who wrote and links back, never the words.
  const mail = await w.store.db.selectFrom("mail_outbox").select("payload").where("recipient", "=", w.people.ben.email).orderBy("created_at", "desc").executeTakeFirstOrThrow();
  expect(mail.payload).toContain("Gus Groupe vous a écrit");
  expect(mail.payload).toContain(`/messages/${id}`);
  expect(mail.payload).not.toContain("Quatrième");
});

test("the header counts unread conversations, and the one on screen is read", async () => {
  const { id } = await start("gus", ["ana"], "Tu as vu le compte rendu ?");
  const envelope = (html: string) => /data-unread-messages="(\d+)"/.exec(html)?.[1];
  const before = Number(envelope((await w.c.ana.get("/spaces")).text));
  expect(before).toBeGreaterThanOrEqual(1);
  expect(Number(envelope((await w.c.ana.get(`/messages/${id}`)).text))).toBe(before - 1);
  expect(Number(envelope((await w.c.ana.get("/spaces")).text))).toBe(before - 1);
});

test("delete one's own message: 'message deleted' for all; someone else's: 403", async () => {
  const { id } = await start("ana", ["gus"], "Un mot de trop");
  const message = await w.store.db.selectFrom("message").select("id").where("conversation_id", "=", id!).executeTakeFirstOrThrow();
  expect((await w.c.gus.post(`/messages/${id}`, { intent: "delete", messageId: message.id })).status).toBe(403);
  expect((await w.c.ana.post(`/messages/${id}`, { intent: "delete", messageId: message.id })).status).toBe(302);
  const row = await w.store.db.selectFrom("message").selectAll().where("id", "=", message.id).executeTakeFirstOrThrow();
  expect(row.deleted_at).not.toBeNull();
  expect(row.body_text).toBe("");
  const seen = pageText((await w.c.gus.get(`/messages/${id}`)).text);
  expect(seen).toContain("Message supprimé");
  expect(seen).not.toContain("Un mot de trop");
});

test("a block: the blocked member can neither start nor write in their conversation, with the same answer as 'nobody'", async () => {
  const { id } = await start("ben", ["gus"], "Salut Gus");
  expect((await w.c.gus.post(`/people/${w.people.ben.id}`, { intent: "block" })).status).toBe(302);
  expect((await send(w.c.ben, id!, "Tu es là ?")).status).toBe(403);
  const again = await start("ben", ["gus"]);
  expect(again.res.status).toBe(400);
  expect(pageText(again.res.text)).toContain("Impossible d’écrire à : Gus Groupe");
  expect(pageText(again.res.text)).not.toContain("bloqu");
  expect((await w.c.gus.post(`/people/${w.people.ben.id}`, { intent: "unblock" })).status).toBe(302);
});

test("a report carries the conversation's messages to the network admins, and only those; handling it is audited", async () => {
  const { id } = await start("ana", ["ben"], "Ceci est un message limite");
  await send(w.c.ben, id!, "Je le signale");
  expect((await w.c.ben.post(`/messages/${id}`, { intent: "report", reason: "  " })).status).toBe(400);
  const before = await count("conversation_report");
  expect((await w.c.ben.post(`/messages/${id}`, { intent: "report", reason: "Propos déplacés" })).status).toBe(302);
  expect(await count("conversation_report")).toBe(before + 1);
  const report = await w.store.db.selectFrom("conversation_report").selectAll().where("conversation_id", "=", id!).executeTakeFirstOrThrow();
  const copied = await w.store.db.selectFrom("report_message").select("body_text").where("report_id", "=", report.id).orderBy("position").execute();
  expect(copied.map((m) => m.body_text.trim())).toEqual(["Ceci est un message limite", "Je le signale"]);
  expect(await w.store.db.selectFrom("audit_log").select("event").where("event", "=", "conversation_reported").executeTakeFirst()).toBeDefined();

  expect((await w.c.ana.get("/admin/reports")).status).toBe(403);
  const page = pageText((await w.c.admin.get("/admin/reports")).text);
  expect(page).toContain("Propos déplacés");
  expect(page).toContain("Ceci est un message limite");
  // The conversation itself stays closed to the admin.
  expect((await w.c.admin.get(`/messages/${id}`)).status).toBe(404);
  expect((await w.c.ana.post("/admin/reports", { intent: "handle", reportId: report.id })).status).toBe(403);
  expect((await w.c.admin.post("/admin/reports", { intent: "handle", reportId: report.id })).status).toBe(302);
  expect((await w.store.db.selectFrom("conversation_report").select("handled_at").where("id", "=", report.id).executeTakeFirstOrThrow()).handled_at).not.toBeNull();
  expect(await w.store.db.selectFrom("audit_log").select("event").where("event", "=", "conversation_report_handled").executeTakeFirst()).toBeDefined();
});

test("hostile and bad input: escaped text, empty and over-long messages, too many people, ids that are nobody's", async () => {
  const { id } = await start("ana", ["ben"], "<script>alert(1)</script> & <b>gras</b>");
  const row = await w.store.db.selectFrom("message").select("body_html").where("conversation_id", "=", id!).executeTakeFirstOrThrow();
  expect(row.body_html).not.toContain("<script");
  expect(row.body_html).toContain("&lt;script&gt;");
  const before = await count("message");
  expect((await send(w.c.ana, id!, "")).status).toBe(400);
  expect((await send(w.c.ana, id!, "x".repeat(30_000))).status).toBe(400);
  expect((await w.c.ana.post(`/messages/${id}`, { intent: "send", body: "{not json" })).status).toBe(400);
  expect(await count("message")).toBe(before);
  const many = Array.from({ length: 20 }, (_, i): [string, string] => ["to", `nosuchmember${String(i).padStart(10, "0")}`]);
  expect((await w.c.ana.post("/messages/new", [...many, ["body", body("Tous")]])).status).toBe(400);
  expect((await w.c.ana.post("/messages/new", [["to", "nosuchmember0000000001"], ["body", body("Allô")]])).status).toBe(400);
  expect((await w.c.ana.post("/messages/new", [["body", body("Personne")]])).status).toBe(400);
  expect(await count("message")).toBe(before);
  expect((await w.c.ana.get("/messages/nosuchconversation01")).status).toBe(404);
});

test("contact requests are limited per day, with a clear answer and nothing stored", async () => {
  // Eleven members who share no club with Fay, each asked once: ten go, the eleventh is refused.
  const strangers = await Promise.all(Array.from({ length: 11 }, (_, i) => createUser(w.store.db, { displayName: `Inconnu ${i + 1}` })));
  const already = await w.store.db.selectFrom("contact_request").select("id").where("from_id", "=", w.people.fay.id).execute();
  for (const stranger of strangers.slice(0, 10 - already.length)) {
    const res = await w.c.fay.post("/messages/new", [["to", stranger.id], ["body", body("Bonjour, un échange ?")]]);
    expect(res.status).toBe(302);
  }
  const before = { c: await count("conversation"), r: await count("contact_request"), m: await count("message") };
  const res = await w.c.fay.post("/messages/new", [["to", strangers[10].id], ["body", body("Bonjour")]]);
  expect(res.status).toBe(429);
  expect(pageText(res.text)).toContain("10 demandes de contact aujourd’hui");
  expect({ c: await count("conversation"), r: await count("contact_request"), m: await count("message") }).toEqual(before);
});
