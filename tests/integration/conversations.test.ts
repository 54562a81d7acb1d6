import { decode } from "turbo-stream";
import { choicesForm } from "#tests/helpers/notification-choices.ts";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { translate } from "#app/i18n/index.ts";
import { addMember, createSpace, createUser, type TestUser } from "#tests/factories.ts";
import { pageText, type Client, type HttpResponse } from "#tests/helpers/http.ts";
import { doc, link, paragraph, textDoc } from "#tests/helpers/lexical.ts";
import { world, type World } from "#tests/helpers/world.ts";

/**
 * Private conversations (issue 16) over real HTTP, with real session cookies
 * and the real SQLite file: who may write to whom (the whole table of facts,
 * each laid down through the app's own forms), that nobody outside a
 * conversation learns anything of it, contact requests and their daily
 * limit, one mail per unread conversation, deleting one's own message,
 * blocks, reports, hostile input and the envelope's count in the root
 * loader's data. Expected answers are written from the rules in
 * app/policies/contact.ts and app/conversations/limits.ts, not read back
 * from the app.
 */

type P = "ana" | "ben" | "gus" | "cara" | "admin";
let w: World<P, "club">;

beforeAll(async () => {
  w = await world({
    people: {
      ana: { displayName: "Ana Martin" },
      ben: { displayName: "Ben Roux" },
      gus: { displayName: "Gus Voisin" },
      cara: { displayName: "Cara Lointaine" },
      admin: { displayName: "Nadia Réseau", isNetworkAdmin: true },
    },
    // Ana, Ben and Gus share a club; Cara and the network admin share none with anyone.
    spaces: { club: { createdBy: "ana", slug: "club-conv", name: "Club Conversations", members: { ben: "member", gus: "member" } } },
  });
});
afterAll(() => w?.close());

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

const fr = (key: Parameters<typeof translate>[1], params?: Parameters<typeof translate>[2]) => translate("fr", key, params);

let serial = 0;
/** A new member, signed in through the real form; in no club unless one is given. */
async function person(displayName: string, club?: { id: string }): Promise<{ user: TestUser; c: Client }> {
  const user = await createUser(w.store.db, { displayName, email: `conv-${++serial}-${Date.now().toString(36)}@conversations.test` });
  if (club) await addMember(w.store.db, { space: club, user, role: "member" });
  return { user, c: await w.as(user) };
}

type Table = "conversation" | "message" | "contact_request" | "conversation_report" | "report_message" | "mail_outbox";
const countOf = async (table: Table) => Number((await w.store.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n);
const stored = async () => ({ conversation: await countOf("conversation"), message: await countOf("message"), contact_request: await countOf("contact_request") });

const mailsTo = async (email: string) =>
  Number((await w.store.db.selectFrom("mail_outbox").select((eb) => eb.fn.countAll<number>().as("n")).where("recipient", "=", email).executeTakeFirstOrThrow()).n);

/** POST /messages/new as the editor's form does: `to` ids, `body` Lexical JSON. */
async function start(c: Client, to: readonly string[], text = "Bonjour !", body = textDoc(text)) {
  const res = await c.post("/messages/new", [...to.map((id): [string, string] => ["to", id]), ["body", body]]);
  const id = res.status === 302 || res.status === 303 ? /^\/messages\/([0-9a-z]+)$/.exec(res.location ?? "")?.[1] : undefined;
  return { res, id };
}
/** A form POST as a browser makes it: the redirect followed, so its flash is shown (and spent) there, not on a later page. */
async function submit(c: Client, path: string, fields: Record<string, string>) {
  const res = await c.post(path, fields);
  if (res.status === 302 && res.location) expect((await c.get(res.location)).status, res.location).toBe(200);
  return res;
}
const send = (c: Client, id: string, text: string) => c.post(`/messages/${id}`, { intent: "send", body: textDoc(text) });

/** The text of the form's error notice (role="alert"), if any. */
function alertText(res: HttpResponse): string | null {
  const m = /<p[^>]*role="alert"[^>]*>([\s\S]*?)<\/p>/.exec(res.text);
  return m ? pageText(m[1]) : null;
}

/** The loaders' data of a page, as the browser's client-side navigation asks for it (single fetch: GET <path>.data). */
async function routesData(c: Client, path: string): Promise<{ status: number; text: string; routes: Record<string, { data?: unknown }> }> {
  const res = await c.get(`${path}.data`);
  if (res.status !== 200) return { status: res.status, text: res.text, routes: {} };
  const bytes = new TextEncoder().encode(res.text);
  const decoded = await decode(
    new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(bytes);
        controller.close();
      },
    }),
  );
  await decoded.done;
  return { status: res.status, text: res.text, routes: decoded.value as Record<string, { data?: unknown }> };
}

/** The envelope's number: the root loader's user.unreadMessages, on the page at `path`. */
async function envelope(c: Client, path: string): Promise<number> {
  const { status, routes } = await routesData(c, path);
  expect(status, path).toBe(200);
  const root = routes.root?.data as { user: { unreadMessages: number } | null } | undefined;
  expect(root?.user, `root data of ${path}`).toBeTruthy();
  return root!.user!.unreadMessages;
}

const requestOf = (conversationId: string) => w.store.db.selectFrom("contact_request").selectAll().where("conversation_id", "=", conversationId).executeTakeFirst();
const messagesIn = (conversationId: string) => w.store.db.selectFrom("message").selectAll().where("conversation_id", "=", conversationId).orderBy("created_at").orderBy("id").execute();

// ---------------------------------------------------------------------------
// Who may write to whom: the whole table
// ---------------------------------------------------------------------------

type Policy = "clubs" | "network" | "nobody";
type Block = "none" | "writer blocks" | "recipient blocks";
type RequestState = "none" | "pending" | "accepted" | "declined";
type Answer = "write" | "request" | "wait" | "refused";

/**
 * The rules of app/policies/contact.ts, in their order: a block (either way)
 * or "nobody" refuses all; a shared club or an accepted request writes;
 * otherwise only a recipient who lets the network ask ("network") can be
 * asked, once — a request already out, or declined (silently), waits.
 * The request counts whichever of the two sent it.
 */
function expectedAnswer(shared: boolean, policy: Policy, block: Block, request: RequestState): Answer {
  if (block !== "none") return "refused";
  if (policy === "nobody") return "refused";
  if (shared) return "write";
  if (request === "accepted") return "write";
  if (policy !== "network") return "refused";
  return request === "none" ? "request" : "wait";
}

const TABLE = [true, false].flatMap((shared) =>
  (["clubs", "network", "nobody"] as const).flatMap((policy) =>
    (["none", "writer blocks", "recipient blocks"] as const).flatMap((block) =>
      (["none", "pending", "accepted", "declined"] as const).flatMap((request) =>
        // A request sent by the writer, and (for each state but none) one sent by the recipient.
        (request === "none" ? (["writer"] as const) : (["writer", "recipient"] as const)).map((from) => ({ shared, policy, block, request, from })),
      ),
    ),
  ),
);

describe("who may write to whom, every combination laid down through the app's own forms", () => {
  test("the table covers shared club × policy × block × request (× who sent it)", () => {
    expect(TABLE).toHaveLength(2 * 3 * 3 * (1 + 3 * 2));
  });

  let n = 0;
  test.each(TABLE)("club shared: $shared, recipient's choice: $policy, block: $block, request: $request (sent by the $from)", async ({ shared, policy, block, request, from }) => {
    n += 1;
    const writer = await person(`Wanda Écrit ${n}`);
    const recipient = await person(`Rémi Reçoit ${n}`);
    const db = w.store.db;

    // The request, made while the two share no club and the recipient lets the network ask, then answered.
    if (request !== "none") {
      const [asker, asked] = from === "writer" ? [writer, recipient] : [recipient, writer];
      const made = await start(asker.c, [asked.user.id], "Puis-je vous écrire ?");
      expect(made.res.status).toBe(302);
      expect((await asker.c.get(made.res.location!)).status).toBe(200);
      const row = await requestOf(made.id!);
      expect(row).toMatchObject({ from_id: asker.user.id, to_id: asked.user.id, state: "pending" });
      if (request !== "pending") {
        const answered = await submit(asked.c, `/messages/${made.id}`, { intent: request === "accepted" ? "accept" : "decline" });
        expect(answered.status).toBe(302);
      }
      expect((await requestOf(made.id!))?.state).toBe(request);
    }
    if (shared) {
      const club = await createSpace(db, { createdBy: writer.user.id, name: `Club ${n}` });
      await addMember(db, { space: club, user: recipient.user, role: "member" });
    }
    const chose = await submit(recipient.c, "/settings/contact", { intent: "policy", policy });
    expect(chose.status).toBe(302);
    if (block !== "none") {
      const [blocker, blocked] = block === "writer blocks" ? [writer, recipient] : [recipient, writer];
      expect((await submit(blocker.c, `/people/${blocked.user.id}`, { intent: "block" })).status).toBe(302);
    }

    const want = expectedAnswer(shared, policy, block, request);
    const before = await stored();
    const { res, id } = await start(writer.c, [recipient.user.id], "Bonjour Rémi");
    const after = await stored();

    if (want === "write" || want === "request") {
      expect(res.status, alertText(res) ?? "").toBe(302);
      expect(id, `redirect to ${res.location}`).toBeDefined();
      expect(after).toEqual({ conversation: before.conversation + 1, message: before.message + 1, contact_request: before.contact_request + (want === "request" ? 1 : 0) });
      const members = await db.selectFrom("conversation_member").select("user_id").where("conversation_id", "=", id!).orderBy("user_id").execute();
      expect(members.map((m) => m.user_id)).toEqual([writer.user.id, recipient.user.id].sort());
      const row = await requestOf(id!);
      if (want === "request") expect(row).toMatchObject({ from_id: writer.user.id, to_id: recipient.user.id, state: "pending" });
      else expect(row).toBeUndefined();
    } else {
      expect(res.status).toBe(400);
      expect(id).toBeUndefined();
      expect(after).toEqual(before);
      const name = recipient.user.display_name;
      expect(alertText(res)).toBe(want === "wait" ? fr("messages.error.waiting", { names: name }) : fr("messages.error.not_allowed", { names: name }));
      // No refusal says why.
      expect(pageText(res.text)).not.toMatch(/bloqu/i);
    }
  });

  test("a member listed for their clubs only cannot be asked by the rest of the network, and the refusal does not name them", async () => {
    const writer = await person("Walid Cherche");
    const hidden = await person("Hélène Discrète");
    await w.store.db.updateTable("user").set({ listing: "clubs" }).where("id", "=", hidden.user.id).execute();
    const before = await stored();
    const { res } = await start(writer.c, [hidden.user.id], "Bonjour");
    expect(res.status).toBe(400);
    expect(await stored()).toEqual(before);
    expect(alertText(res)).toContain(fr("messages.error.not_allowed", { names: "" }).slice(0, 20));
    expect(res.text).not.toContain("Hélène Discrète");
  });
});

// ---------------------------------------------------------------------------
// No leaks
// ---------------------------------------------------------------------------

describe("nobody outside a conversation reads it, lists it or acts on it", () => {
  const SECRET = "Entre nous : le budget confidentiel";
  let conversationId = "";
  let leaver: { user: TestUser; c: Client };

  beforeAll(async () => {
    leaver = await person("Léa Partie", w.spaces.club);
    const started = await start(w.c.ana, [w.people.ben.id, leaver.user.id], SECRET);
    expect(started.res.status).toBe(302);
    conversationId = started.id!;
    expect((await send(w.c.ben, conversationId, "Réponse de Ben, privée aussi")).status).toBe(200);
    // Léa was in it and left: she is an outsider now.
    expect((await leaver.c.post(`/messages/${conversationId}`, { intent: "leave" })).status).toBe(302);
  });

  const snapshot = async () => ({
    messages: await messagesIn(conversationId),
    members: await w.store.db.selectFrom("conversation_member").selectAll().where("conversation_id", "=", conversationId).orderBy("user_id").execute(),
    reports: await w.store.db.selectFrom("conversation_report").select("id").where("conversation_id", "=", conversationId).execute(),
    requests: await w.store.db.selectFrom("contact_request").select("id").where("conversation_id", "=", conversationId).execute(),
  });

  test("the members still in it read it", async () => {
    for (const who of ["ana", "ben"] as const) {
      const res = await w.c[who].get(`/messages/${conversationId}`);
      expect(res.status, who).toBe(200);
      expect(pageText(res.text)).toContain(SECRET);
    }
  });

  test("404 for every outsider — a clubmate, a stranger, the network admin, a former member — on the page, its data and every intent, and nothing changes", async () => {
    const [first] = await messagesIn(conversationId);
    const outsiders: Array<[string, Client]> = [
      ["gus (clubmate)", w.c.gus],
      ["cara (stranger)", w.c.cara],
      ["admin (network admin)", w.c.admin],
      ["léa (left)", leaver.c],
    ];
    const before = await snapshot();
    for (const [who, c] of outsiders) {
      const page = await c.get(`/messages/${conversationId}`);
      expect(page.status, who).toBe(404);
      expect(page.text, who).not.toContain(SECRET);
      const data = await routesData(c, `/messages/${conversationId}`);
      expect(data.status, `${who} .data`).toBe(404);
      expect(data.text, `${who} .data`).not.toContain("budget confidentiel");
      for (const intent of ["send", "delete", "accept", "decline", "mute", "unmute", "leave", "report"]) {
        const fields = { intent, body: textDoc("Intrusion"), messageId: first.id, reason: "Je veux lire" };
        const res = await c.post(`/messages/${conversationId}`, fields);
        expect(res.status, `${who} ${intent}`).toBe(404);
        expect(res.text, `${who} ${intent}`).not.toContain("budget confidentiel");
        // Remix's client (fetchers, forms) posts to the .data address.
        expect((await c.post(`/messages/${conversationId}.data`, fields)).status, `${who} ${intent} .data`).toBe(404);
      }
    }
    expect(await snapshot()).toEqual(before);
    // Signed out: to the sign-in page.
    const anonymous = await w.anonymous.get(`/messages/${conversationId}`);
    expect(anonymous.status).toBe(302);
    expect(anonymous.location).toMatch(/^\/login/);
  });

  test("a conversation that does not exist answers as one the reader is not in", async () => {
    expect((await w.c.ana.get("/messages/aaaaaaaaaaaaaaaaaaaaaaaa")).status).toBe(404);
    expect((await w.c.ana.post("/messages/aaaaaaaaaaaaaaaaaaaaaaaa", { intent: "send", body: textDoc("x") })).status).toBe(404);
  });

  test("a member cannot delete a message of another conversation through their own", async () => {
    const mine = await start(w.c.gus, [w.people.ana.id], "Gus et Ana");
    const [target] = await messagesIn(conversationId);
    // Ana wrote `target`, and is in both conversations: the message is not in this one.
    const res = await w.c.ana.post(`/messages/${mine.id}`, { intent: "delete", messageId: target.id });
    expect(res.status).toBe(404);
    expect((await messagesIn(conversationId))[0]).toEqual(target);
  });

  test("/messages lists one's own conversations only, in the page and in its data", async () => {
    for (const who of ["ana", "ben", "gus", "cara", "admin"] as const) {
      const mine = await w.store.db.selectFrom("conversation_member").select("conversation_id").where("user_id", "=", w.people[who].id).where("left_at", "is", null).execute();
      const { status, routes } = await routesData(w.c[who], "/messages");
      expect(status).toBe(200);
      const listed = (routes["routes/messages._index"]?.data as { conversations: Array<{ id: string }> }).conversations.map((c) => c.id);
      expect(listed.sort(), who).toEqual(mine.map((m) => m.conversation_id).sort());
      const page = pageText((await w.c[who].get("/messages")).text);
      if (who === "ana" || who === "ben") expect(listed).toContain(conversationId);
      else {
        expect(listed, who).not.toContain(conversationId);
        expect(page, who).not.toContain("budget confidentiel");
        expect(page, who).not.toContain("Réponse de Ben");
      }
    }
    const left = (await routesData(leaver.c, "/messages")).routes["routes/messages._index"]?.data as { conversations: Array<{ id: string }> };
    expect(left.conversations.map((c) => c.id)).not.toContain(conversationId);
  });

  test("the admins' reports page shows the copy of reported conversations only, as it was when reported", async () => {
    const reported = await start(w.c.ben, [w.people.gus.id], "Propos à signaler, copie attendue");
    expect((await w.c.gus.post(`/messages/${reported.id}`, { intent: "report", reason: "Ton agressif" })).status).toBe(302);
    expect((await send(w.c.ben, reported.id!, "Écrit après le signalement")).status).toBe(200);
    const res = await w.c.admin.get("/admin/reports");
    expect(res.status).toBe(200);
    const page = pageText(res.text);
    expect(page).toContain("Propos à signaler, copie attendue");
    expect(page).toContain("Ton agressif");
    expect(page).not.toContain("Écrit après le signalement");
    expect(page).not.toContain("budget confidentiel");
    expect(page).not.toContain("Réponse de Ben");
    expect(page).not.toContain("Gus et Ana");
    // And the reported conversation itself stays closed to the admin.
    expect((await w.c.admin.get(`/messages/${reported.id}`)).status).toBe(404);
  });
});

// ---------------------------------------------------------------------------
// Contact requests
// ---------------------------------------------------------------------------

describe("contact requests", () => {
  test("the recipient sees it and accepts: from then on both write, here and in a new conversation", async () => {
    const dora = await person("Dora Demande");
    const eli = await person("Éli Accepte");
    const mailsBefore = await mailsTo(eli.user.email);
    const { res, id } = await start(dora.c, [eli.user.id], "Je me présente : Dora, consultante.");
    expect(res.status).toBe(302);
    expect(await requestOf(id!)).toMatchObject({ from_id: dora.user.id, to_id: eli.user.id, state: "pending" });
    // One mail to Éli, saying it is a contact request; none to Dora.
    expect(await mailsTo(eli.user.email)).toBe(mailsBefore + 1);
    expect(await mailsTo(dora.user.email)).toBe(0);
    const mail = await w.store.db.selectFrom("mail_outbox").select("payload").where("recipient", "=", eli.user.email).orderBy("created_at", "desc").executeTakeFirstOrThrow();
    expect(mail.payload).toContain(fr("mail.contactRequest.subject", { name: "Dora Demande" }));
    expect(mail.payload).not.toContain("consultante");

    // Éli sees it in the list and on its page, with the choice to make.
    const list = pageText((await w.c.ana.get("/messages")).text);
    expect(list).not.toContain("Dora Demande");
    const hers = pageText((await eli.c.get("/messages")).text);
    expect(hers).toContain("Dora Demande");
    expect(hers).toContain(fr("messages.requestToAnswer"));
    const page = pageText((await eli.c.get(`/messages/${id}`)).text);
    expect(page).toContain(fr("messages.requestTitle", { name: "Dora Demande" }));
    expect(page).toContain("Je me présente : Dora, consultante.");
    // Dora's side: waiting.
    expect(pageText((await dora.c.get(`/messages/${id}`)).text)).toContain(fr("messages.waitingNote", { name: "Éli Accepte" }));

    // Nobody writes before the answer; the sender cannot answer her own request.
    const count = await countOf("message");
    expect((await send(dora.c, id!, "Relance")).status).toBe(403);
    expect((await send(eli.c, id!, "Réponse avant d'accepter")).status).toBe(403);
    expect((await dora.c.post(`/messages/${id}`, { intent: "accept" })).status).toBe(404);
    expect(await countOf("message")).toBe(count);
    expect((await requestOf(id!))?.state).toBe("pending");

    const accepted = await eli.c.post(`/messages/${id}`, { intent: "accept" });
    expect(accepted.status).toBe(302);
    expect(accepted.location).toBe(`/messages/${id}`);
    expect((await requestOf(id!))?.state).toBe("accepted");
    // Answered once only.
    expect((await eli.c.post(`/messages/${id}`, { intent: "decline" })).status).toBe(404);
    expect((await requestOf(id!))?.state).toBe("accepted");

    expect((await send(eli.c, id!, "Avec plaisir, Dora")).status).toBe(200);
    expect((await send(dora.c, id!, "Merci Éli")).status).toBe(200);
    expect((await messagesIn(id!)).map((m) => m.body_text.trim())).toEqual(["Je me présente : Dora, consultante.", "Avec plaisir, Dora", "Merci Éli"]);
    // Either may start another conversation, directly (no second request).
    for (const [from, to] of [
      [dora, eli],
      [eli, dora],
    ] as const) {
      const again = await start(from.c, [to.user.id], "Une autre affaire");
      expect(again.res.status).toBe(302);
      expect(await requestOf(again.id!)).toBeUndefined();
    }
  });

  test("declined: gone for the recipient, still waiting for the sender, who can neither write nor ask again", async () => {
    const fred = await person("Fred Insiste");
    const gaia = await person("Gaïa Refuse");
    const { id } = await start(fred.c, [gaia.user.id], "Bonjour Gaïa, un café ?");
    expect(id).toBeDefined();
    const declined = await gaia.c.post(`/messages/${id}`, { intent: "decline" });
    expect(declined.status).toBe(302);
    expect(declined.location).toBe("/messages");
    expect((await requestOf(id!))?.state).toBe("declined");

    // The recipient no longer sees it, anywhere.
    expect((await gaia.c.get(`/messages/${id}`)).status).toBe(404);
    expect(pageText((await gaia.c.get("/messages")).text)).not.toContain("Fred Insiste");
    expect((await gaia.c.post(`/messages/${id}`, { intent: "accept" })).status).toBe(404);
    expect((await requestOf(id!))?.state).toBe("declined");
    expect(await envelope(gaia.c, "/messages")).toBe(0);

    // The sender is not told: the page and the list read as waiting still.
    const page = await fred.c.get(`/messages/${id}`);
    expect(page.status).toBe(200);
    expect(pageText(page.text)).toContain(fr("messages.waitingNote", { name: "Gaïa Refuse" }));
    expect(pageText(page.text)).not.toContain(fr("messages.declinedFlash"));
    const list = pageText((await fred.c.get("/messages")).text);
    expect(list).toContain("Gaïa Refuse");
    expect(list).toContain(fr("messages.requestWaiting"));

    const before = await stored();
    expect((await send(fred.c, id!, "Tu as vu mon message ?")).status).toBe(403);
    const again = await start(fred.c, [gaia.user.id], "Deuxième essai");
    expect(again.res.status).toBe(400);
    expect(alertText(again.res)).toBe(fr("messages.error.waiting", { names: "Gaïa Refuse" }));
    expect(await stored()).toEqual(before);
  });

  test("a pending request cannot be doubled either", async () => {
    const hugo = await person("Hugo Pressé");
    const iris = await person("Iris Occupée");
    expect((await start(hugo.c, [iris.user.id], "Première demande")).res.status).toBe(302);
    const before = await stored();
    const again = await start(hugo.c, [iris.user.id], "Seconde demande");
    expect(again.res.status).toBe(400);
    expect(alertText(again.res)).toBe(fr("messages.error.waiting", { names: "Iris Occupée" }));
    expect(await stored()).toEqual(before);
  });

  test("ten requests a day: the eleventh answers 429 with nothing stored; writing to a clubmate is not limited", async () => {
    const club = await createSpace(w.store.db, { createdBy: w.people.ana.id, name: "Club de Jules" });
    const jules = await person("Jules Sociable", club);
    const strangers = await Promise.all(Array.from({ length: 11 }, (_, i) => createUser(w.store.db, { displayName: `Inconnu·e ${i + 1}` })));
    for (const [i, stranger] of strangers.slice(0, 10).entries()) {
      const { res, id } = await start(jules.c, [stranger.id], `Demande ${i + 1}`);
      expect(res.status, `request ${i + 1}`).toBe(302);
      expect((await requestOf(id!))?.state).toBe("pending");
    }
    const before = await stored();
    const mails = await countOf("mail_outbox");
    const eleventh = await start(jules.c, [strangers[10].id], "Demande 11");
    expect(eleventh.res.status).toBe(429);
    expect(alertText(eleventh.res)).toBe(fr("messages.error.daily_limit"));
    expect(await stored()).toEqual(before);
    expect(await countOf("mail_outbox")).toBe(mails);
    // Declined requests still count for the day.
    const firstRequest = await w.store.db.selectFrom("contact_request").selectAll().where("from_id", "=", jules.user.id).orderBy("created_at").executeTakeFirstOrThrow();
    const first = await w.as(strangers[0]);
    expect((await first.post(`/messages/${firstRequest.conversation_id}`, { intent: "decline" })).status).toBe(302);
    expect((await start(jules.c, [strangers[10].id], "Demande 11 bis")).res.status).toBe(429);
    // A message to a clubmate is no request.
    const direct = await start(jules.c, [w.people.ana.id], "Bonjour Ana");
    expect(direct.res.status).toBe(302);
  });
});

// ---------------------------------------------------------------------------
// Mail: one per unread conversation
// ---------------------------------------------------------------------------

describe("one mail per unread conversation", () => {
  test("a burst is one mail; reading opens the way for the next; muted and opted-out get none; the author never", async () => {
    const kim = await person("Kim Auteur", w.spaces.club);
    const lou = await person("Lou Lectrice", w.spaces.club);
    const mails = () => mailsTo(lou.user.email);
    expect(await mails()).toBe(0);

    const { res, id } = await start(kim.c, [lou.user.id], "Premier message de Kim");
    expect(res.status).toBe(302);
    expect((await send(kim.c, id!, "Deuxième")).status).toBe(200);
    expect((await send(kim.c, id!, "Troisième")).status).toBe(200);
    expect(await mails()).toBe(1);
    const mail = await w.store.db.selectFrom("mail_outbox").select("payload").where("recipient", "=", lou.user.email).executeTakeFirstOrThrow();
    expect(mail.payload).toContain(fr("mail.message.subject", { name: "Kim Auteur" }));
    expect(mail.payload).toContain(`/messages/${id}`);
    // The mail names who wrote and links back; the words stay in Cercle.
    expect(mail.payload).not.toContain("Premier message de Kim");

    // Lou opens the conversation: the next message mails her again — once.
    expect((await lou.c.get(`/messages/${id}`)).status).toBe(200);
    expect((await send(kim.c, id!, "Quatrième")).status).toBe(200);
    expect((await send(kim.c, id!, "Cinquième")).status).toBe(200);
    expect(await mails()).toBe(2);

    // Muted: nothing, though she read it.
    expect((await lou.c.get(`/messages/${id}`)).status).toBe(200);
    expect((await lou.c.post(`/messages/${id}`, { intent: "mute" })).status).toBe(302);
    expect((await send(kim.c, id!, "Sixième, en sourdine")).status).toBe(200);
    expect(await mails()).toBe(2);
    expect((await lou.c.post(`/messages/${id}`, { intent: "unmute" })).status).toBe(302);
    expect((await send(kim.c, id!, "Septième, plus en sourdine")).status).toBe(200);
    expect(await mails()).toBe(3);

    // Mails off in her notification settings (messages in the app only): nothing.
    expect((await lou.c.get(`/messages/${id}`)).status).toBe(200);
    expect((await lou.c.post("/settings/notifications", choicesForm({ message: "app" }))).status).toBe(302);
    expect((await w.store.db.selectFrom("notification_choice").select("delivery").where("user_id", "=", lou.user.id).where("kind", "=", "message").executeTakeFirstOrThrow()).delivery).toBe("app");
    expect((await send(kim.c, id!, "Huitième, mails coupés")).status).toBe(200);
    expect(await mails()).toBe(3);
    // And on again.
    expect((await lou.c.post("/settings/notifications", choicesForm({ message: "mail" }))).status).toBe(302);
    expect((await lou.c.get(`/messages/${id}`)).status).toBe(200);
    expect((await send(kim.c, id!, "Neuvième")).status).toBe(200);
    expect(await mails()).toBe(4);

    // Lou answers: Kim gets his first mail, Lou none for her own words.
    expect((await send(lou.c, id!, "Réponse de Lou")).status).toBe(200);
    expect(await mailsTo(kim.user.email)).toBe(1);
    expect(await mails()).toBe(4);
  });

  test("a group: each other member gets one mail, the author none", async () => {
    const mo = await person("Mo Groupe", w.spaces.club);
    const nel = await person("Nel Groupe", w.spaces.club);
    const oz = await person("Oz Groupe", w.spaces.club);
    const { id } = await start(mo.c, [nel.user.id, oz.user.id], "À vous deux");
    expect(id).toBeDefined();
    expect((await send(mo.c, id!, "Encore")).status).toBe(200);
    expect([await mailsTo(mo.user.email), await mailsTo(nel.user.email), await mailsTo(oz.user.email)]).toEqual([0, 1, 1]);
    // Nel left: Oz reads, Mo writes: Oz is mailed again, Nel never.
    expect((await nel.c.post(`/messages/${id}`, { intent: "leave" })).status).toBe(302);
    expect((await oz.c.get(`/messages/${id}`)).status).toBe(200);
    expect((await send(mo.c, id!, "Nel est partie")).status).toBe(200);
    expect([await mailsTo(mo.user.email), await mailsTo(nel.user.email), await mailsTo(oz.user.email)]).toEqual([0, 1, 2]);
  });
});

// ---------------------------------------------------------------------------
// Deleting one's own message
// ---------------------------------------------------------------------------

test("deleting one's own message: emptied, shown as deleted to the other; someone else's: 403", async () => {
  const { id } = await start(w.c.ana, [w.people.gus.id], "Un mot regrettable");
  expect((await send(w.c.gus, id!, "Message de Gus")).status).toBe(200);
  const [anas, gus] = await messagesIn(id!);
  expect(anas.body_text.trim()).toBe("Un mot regrettable");

  // Not one's own: refused, nothing changed.
  expect((await w.c.gus.post(`/messages/${id}`, { intent: "delete", messageId: anas.id })).status).toBe(403);
  expect((await w.c.ana.post(`/messages/${id}`, { intent: "delete", messageId: gus.id })).status).toBe(403);
  expect(await messagesIn(id!)).toEqual([anas, gus]);

  const res = await w.c.ana.post(`/messages/${id}`, { intent: "delete", messageId: anas.id });
  expect(res.status).toBe(302);
  const row = await w.store.db.selectFrom("message").selectAll().where("id", "=", anas.id).executeTakeFirstOrThrow();
  expect(row).toMatchObject({ body_json: "", body_html: "", body_text: "" });
  expect(row.deleted_at).not.toBeNull();
  const seen = await w.c.gus.get(`/messages/${id}`);
  expect(pageText(seen.text)).toContain(fr("messages.deleted"));
  expect(seen.text).not.toContain("Un mot regrettable");
  expect(pageText(seen.text)).toContain("Message de Gus");
  // Deleted once: a second time is nothing to delete.
  expect((await w.c.ana.post(`/messages/${id}`, { intent: "delete", messageId: anas.id })).status).toBe(404);
  // The list shows the last message as deleted when it is.
  expect((await w.c.gus.post(`/messages/${id}`, { intent: "delete", messageId: gus.id })).status).toBe(302);
  const list = (await routesData(w.c.ana, "/messages")).routes["routes/messages._index"]?.data as { conversations: Array<{ id: string; last: { deleted: boolean; text: string | null } }> };
  expect(list.conversations.find((c) => c.id === id)?.last).toMatchObject({ deleted: true, text: null });
});

// ---------------------------------------------------------------------------
// Blocks
// ---------------------------------------------------------------------------

test("a block: the blocked member can neither start a conversation nor write in their 1:1, told exactly what 'nobody' would tell them", async () => {
  const pia = await person("Pia Écartée", w.spaces.club);
  const quentin = await person("Quentin Ferme", w.spaces.club);
  const rosa = await person("Rosa Personne", w.spaces.club);
  expect((await rosa.c.post("/settings/contact", { intent: "policy", policy: "nobody" })).status).toBe(302);

  const { res: first, id } = await start(pia.c, [quentin.user.id], "Salut Quentin");
  expect(id).toBeDefined();
  expect((await pia.c.get(first.location!)).status).toBe(200);
  expect((await submit(quentin.c, `/people/${pia.user.id}`, { intent: "block" })).status).toBe(302);

  const before = await stored();
  const blocked = await start(pia.c, [quentin.user.id], "Encore moi");
  const nobody = await start(pia.c, [rosa.user.id], "Bonjour Rosa");
  expect(blocked.res.status).toBe(400);
  expect(nobody.res.status).toBe(400);
  expect(alertText(blocked.res)).toBe(fr("messages.error.not_allowed", { names: "Quentin Ferme" }));
  // The same words as for "nobody", but for the name.
  expect(alertText(blocked.res)?.replace("Quentin Ferme", "X")).toBe(alertText(nobody.res)?.replace("Rosa Personne", "X"));
  expect(pageText(blocked.res.text)).not.toMatch(/bloqu/i);

  // In their existing 1:1: neither writes (a block ends all contact, either way).
  const sent = await send(pia.c, id!, "Tu es là ?");
  expect(sent.status).toBe(403);
  // The page says only that one cannot write here (the reply form, where the error would show, is gone).
  expect(pageText(sent.text)).toContain(fr("messages.cannotWrite"));
  expect(pageText(sent.text)).not.toMatch(/bloqu/i);
  expect((await send(quentin.c, id!, "Non")).status).toBe(403);
  expect(await stored()).toEqual(before);
  const page = pageText((await pia.c.get(`/messages/${id}`)).text);
  expect(page).toContain(fr("messages.cannotWrite"));
  expect(page).not.toMatch(/bloqu/i);

  // Lifted: they write again.
  expect((await quentin.c.post(`/people/${pia.user.id}`, { intent: "unblock" })).status).toBe(302);
  expect((await send(pia.c, id!, "Merci")).status).toBe(200);
});

// ---------------------------------------------------------------------------
// Reports
// ---------------------------------------------------------------------------

test("a report: a reason is required; it copies the messages (deleted ones gone) for the admins; handling it is audited", async () => {
  const sam = await person("Sam Signale", w.spaces.club);
  const tom = await person("Tom Insulte", w.spaces.club);
  const { id } = await start(tom.c, [sam.user.id], "Premier message de Tom, limite");
  expect((await send(tom.c, id!, "Message effacé par Tom")).status).toBe(200);
  expect((await send(sam.c, id!, "Je vais signaler ceci")).status).toBe(200);
  const effaced = (await messagesIn(id!))[1];
  expect((await tom.c.post(`/messages/${id}`, { intent: "delete", messageId: effaced.id })).status).toBe(302);

  const reports = await countOf("conversation_report");
  for (const reason of ["", "   ", "\n\t"]) {
    const res = await sam.c.post(`/messages/${id}`, { intent: "report", reason });
    expect(res.status, JSON.stringify(reason)).toBe(400);
    expect(alertText(res) ?? pageText(res.text)).toContain(fr("messages.error.reason"));
  }
  expect((await sam.c.post(`/messages/${id}`, { intent: "report" })).status).toBe(400);
  expect(await countOf("conversation_report")).toBe(reports);

  const auditBefore = await w.store.db.selectFrom("audit_log").select("id").where("event", "=", "conversation_reported").execute();
  const res = await sam.c.post(`/messages/${id}`, { intent: "report", reason: "  Insultes répétées  " });
  expect(res.status).toBe(302);
  expect(res.location).toBe(`/messages/${id}`);
  const report = await w.store.db.selectFrom("conversation_report").selectAll().where("conversation_id", "=", id!).executeTakeFirstOrThrow();
  expect(report).toMatchObject({ reporter_id: sam.user.id, reason: "Insultes répétées", handled_at: null, handled_by: null });
  const copies = await w.store.db.selectFrom("report_message").selectAll().where("report_id", "=", report.id).orderBy("position").execute();
  expect(copies.map((m) => [m.author_id, m.author_name, m.body_text.trim()])).toEqual([
    [tom.user.id, "Tom Insulte", "Premier message de Tom, limite"],
    [sam.user.id, "Sam Signale", "Je vais signaler ceci"],
  ]);
  const audits = await w.store.db.selectFrom("audit_log").selectAll().where("event", "=", "conversation_reported").execute();
  expect(audits).toHaveLength(auditBefore.length + 1);
  const entry = audits.find((a) => !auditBefore.some((b) => b.id === a.id))!;
  expect(entry.actor_id).toBe(sam.user.id);
  expect(JSON.parse(entry.data)).toEqual({ reportId: report.id });
  // The audit says a report was made, never what the conversation says.
  expect(entry.data).not.toContain("Tom");

  // Not an admin: 403 on the page and on its action.
  for (const c of [sam.c, tom.c, w.c.ana]) {
    expect((await c.get("/admin/reports")).status).toBe(403);
    expect((await c.post("/admin/reports", { intent: "handle", reportId: report.id })).status).toBe(403);
  }
  expect((await w.store.db.selectFrom("conversation_report").select("handled_at").where("id", "=", report.id).executeTakeFirstOrThrow()).handled_at).toBeNull();

  // The admin reads the copy, the deleted message not in it.
  const page = pageText((await w.c.admin.get("/admin/reports")).text);
  expect(page).toContain("Insultes répétées");
  expect(page).toContain("Premier message de Tom, limite");
  expect(page).toContain("Je vais signaler ceci");
  expect(page).not.toContain("Message effacé par Tom");

  const handled = await w.c.admin.post("/admin/reports", { intent: "handle", reportId: report.id });
  expect(handled.status).toBe(302);
  const after = await w.store.db.selectFrom("conversation_report").selectAll().where("id", "=", report.id).executeTakeFirstOrThrow();
  expect(after.handled_at).not.toBeNull();
  expect(after.handled_by).toBe(w.people.admin.id);
  const handledAudit = await w.store.db.selectFrom("audit_log").selectAll().where("event", "=", "conversation_report_handled").where("actor_id", "=", w.people.admin.id).execute();
  expect(handledAudit.map((a) => JSON.parse(a.data))).toContainEqual({ reportId: report.id });
  // Handled once; an id that is no report's: 404.
  expect((await w.c.admin.post("/admin/reports", { intent: "handle", reportId: report.id })).status).toBe(404);
  expect((await w.c.admin.post("/admin/reports", { intent: "handle", reportId: "nosuchreport000000000000" })).status).toBe(404);
  // It moves to the handled list.
  expect(pageText((await w.c.admin.get("/admin/reports")).text)).not.toContain("Insultes répétées");
  expect(pageText((await w.c.admin.get("/admin/reports?handled=1")).text)).toContain("Insultes répétées");
});

// ---------------------------------------------------------------------------
// Hostile input
// ---------------------------------------------------------------------------

describe("hostile and bad input", () => {
  test("a <script> in a message is text: stored escaped, shown escaped in the thread, the list and the admins' copy", async () => {
    const hostile = "<script>alert('xss')</script> & <img src=x onerror=alert(1)>";
    const { res, id } = await start(w.c.ana, [w.people.ben.id], hostile);
    expect(res.status).toBe(302);
    const [row] = await messagesIn(id!);
    expect(row.body_html).not.toMatch(/<script|<img/i);
    expect(row.body_html).toContain("&lt;script&gt;");
    expect(row.body_text).toContain("<script>");
    for (const path of [`/messages/${id}`, "/messages"]) {
      const page = await w.c.ben.get(path);
      expect(page.status).toBe(200);
      expect(page.text, path).not.toContain("<script>alert('xss')");
      expect(page.text, path).not.toContain("<img src=x");
    }
    expect((await w.c.ben.post(`/messages/${id}`, { intent: "report", reason: "<script>alert('raison')</script>" })).status).toBe(302);
    const admin = await w.c.admin.get("/admin/reports");
    expect(admin.text).not.toContain("<script>alert('xss')");
    expect(admin.text).not.toContain("<script>alert('raison')");
    expect(pageText(admin.text)).toContain("<script>alert('xss')</script>");
  });

  test("a javascript: link, an empty, an over-long or a malformed body is refused, nothing stored", async () => {
    const { id } = await start(w.c.ana, [w.people.gus.id], "Conversation pour les refus");
    const before = await stored();
    const evil = doc(paragraph("Cliquez ", link("javascript:alert(1)", "ici")));
    const overLong = textDoc("x".repeat(25_000));
    for (const [what, body] of [
      ["javascript link", evil],
      ["empty", textDoc("   ")],
      ["over-long", overLong],
      ["malformed", "{pas du json"],
      ["an unknown node", doc({ type: "iframe", version: 1, src: "https://evil.example" })],
    ] as const) {
      const started = await start(w.c.ana, [w.people.gus.id], "", body);
      expect(started.res.status, `new: ${what}`).toBe(400);
      const sent = await w.c.ana.post(`/messages/${id}`, { intent: "send", body });
      expect(sent.status, `send: ${what}`).toBe(400);
      if (what === "over-long") {
        expect(alertText(started.res)).toBe(fr("messages.error.tooLong"));
        expect(alertText(sent)).toBe(fr("messages.error.tooLong"));
      }
    }
    expect(await stored()).toEqual(before);
    const rows = await messagesIn(id!);
    expect(rows.some((m) => m.body_html.includes("javascript:"))).toBe(false);
  });

  test("twenty members at most: 19 others and oneself are a conversation; 20 others are too many", async () => {
    const club = await createSpace(w.store.db, { createdBy: w.people.ana.id, name: "Grand club" });
    const others = await Promise.all(Array.from({ length: 20 }, (_, i) => createUser(w.store.db, { displayName: `Membre ${i + 1}` })));
    for (const o of others) await addMember(w.store.db, { space: club, user: o, role: "member" });

    const before = await stored();
    const tooMany = await start(w.c.ana, others.map((o) => o.id), "À tous");
    expect(tooMany.res.status).toBe(400);
    expect(alertText(tooMany.res)).toBe(fr("messages.error.too_many"));
    expect(await stored()).toEqual(before);

    const twenty = await start(w.c.ana, others.slice(0, 19).map((o) => o.id), "À dix-neuf");
    expect(twenty.res.status).toBe(302);
    const members = await w.store.db.selectFrom("conversation_member").select("user_id").where("conversation_id", "=", twenty.id!).execute();
    expect(members).toHaveLength(20);
  });

  test("naming oneself among twenty others is still a conversation of 21: refused, not one of them silently left out", async () => {
    const club = await createSpace(w.store.db, { createdBy: w.people.ben.id, name: "Autre grand club" });
    const others = await Promise.all(Array.from({ length: 20 }, (_, i) => createUser(w.store.db, { displayName: `Invité·e ${i + 1}` })));
    for (const o of others) await addMember(w.store.db, { space: club, user: o, role: "member" });
    const before = await stored();
    // The author's own id first, then twenty others (a crafted form: the page never lists oneself).
    const { res, id } = await start(w.c.ben, [w.people.ben.id, ...others.map((o) => o.id)], "À vous vingt");
    const members = id ? await w.store.db.selectFrom("conversation_member").select("user_id").where("conversation_id", "=", id).execute() : [];
    const left = others.filter((o) => id !== undefined && !members.some((m) => m.user_id === o.id)).map((o) => o.display_name);
    expect({ status: res.status, stored: await stored(), leftOut: left }).toEqual({ status: 400, stored: before, leftOut: [] });
    expect(alertText(res)).toBe(fr("messages.error.too_many"));
  });

  test("ids that are nobody's, alone or among real ones, or no one at all: refused, nothing stored", async () => {
    const before = await stored();
    const ghost = await start(w.c.ana, ["nosuchmember000000000001"], "Allô ?");
    expect(ghost.res.status).toBe(400);
    expect(alertText(ghost.res)).toMatch(/^Impossible d’écrire à/);
    const mixed = await start(w.c.ana, [w.people.ben.id, "nosuchmember000000000002"], "Allô ?");
    expect(mixed.res.status).toBe(400);
    const nobody = await start(w.c.ana, [], "Personne");
    expect(nobody.res.status).toBe(400);
    expect(alertText(nobody.res)).toBe(fr("messages.error.no_recipient"));
    const self = await start(w.c.ana, [w.people.ana.id], "À moi-même");
    expect(self.res.status).toBe(400);
    const longId = await start(w.c.ana, ["x".repeat(5000)], "Id trop long");
    expect(longId.res.status).toBe(400);
    expect(await stored()).toEqual(before);
    // An intent that is none: 400, and a message id too long to be one.
    const { id } = await start(w.c.ana, [w.people.ben.id], "Pour les intents");
    expect((await w.c.ana.post(`/messages/${id}`, { intent: "explode" })).status).toBe(400);
    expect((await w.c.ana.post(`/messages/${id}`, { intent: "delete", messageId: "m".repeat(100) })).status).toBe(400);
  });
});

// ---------------------------------------------------------------------------
// The envelope's count
// ---------------------------------------------------------------------------

test("the envelope counts unread conversations in the root loader's data: 1, then 0 once read", async () => {
  const uma = await person("Uma Écrit", w.spaces.club);
  const vic = await person("Vic Lit", w.spaces.club);
  expect(await envelope(vic.c, "/messages")).toBe(0);

  const { id } = await start(uma.c, [vic.user.id], "Tu as une minute ?");
  expect((await send(uma.c, id!, "C'est urgent")).status).toBe(200);
  // One conversation, however many messages; the writer has nothing unread.
  expect(await envelope(vic.c, "/messages")).toBe(1);
  expect(await envelope(uma.c, "/messages")).toBe(0);
  // The page's own HTML says the same.
  expect(/data-unread-messages="(\d+)"/.exec((await vic.c.get("/settings/contact")).text)?.[1]).toBe("1");

  // Opening it: the open conversation does not count, and it is read from then on.
  expect(await envelope(vic.c, `/messages/${id}`)).toBe(0);
  expect(await envelope(vic.c, "/messages")).toBe(0);
  expect(/data-unread-messages="(\d+)"/.exec((await vic.c.get("/settings/contact")).text)?.[1]).toBe("0");

  // A new message makes it 1 again; deleted before being read, 0.
  expect((await send(uma.c, id!, "Oublie ça")).status).toBe(200);
  expect(await envelope(vic.c, "/messages")).toBe(1);
  const last = (await messagesIn(id!)).at(-1)!;
  expect((await uma.c.post(`/messages/${id}`, { intent: "delete", messageId: last.id })).status).toBe(302);
  expect(await envelope(vic.c, "/messages")).toBe(0);
});
