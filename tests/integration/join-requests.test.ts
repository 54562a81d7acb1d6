import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { translate, type MessageKey, type MessageParams } from "#app/i18n/index.ts";
import type { OpenedDatabase } from "#db/client.ts";
import type { Space } from "#db/schema.ts";
import { createUser, type TestUser } from "#tests/factories.ts";
import { pageText, type Client } from "#tests/helpers/http.ts";
import type { TestServer } from "#tests/helpers/server.ts";
import { world, type World } from "#tests/helpers/world.ts";
import type { TestSmtp } from "#tests/helpers/smtp.ts";

/**
 * Asking to join a listed space: the request over HTTP, the admins' mails
 * through a real SMTP server, their decision on the approvals page, and what
 * the database keeps of it.
 */

const NETWORK = "Réseau des Indépendants";

let smtp: TestSmtp;
let server: TestServer;
let store: OpenedDatabase;

let ada: TestUser; // admin of both spaces
let abel: TestUser; // second admin of the listed space
let mia: TestUser; // plain member of the listed space

let listed: Space;
let secret: Space;

let w: World<"ada" | "abel" | "mia", "listed" | "secret">;

beforeAll(async () => {
  w = await world({
    smtp: true,
    env: { MAIL_FROM: "Cercle <no-reply@cercle.test>" },
    network: { name: NETWORK },
    people: {
      ada: { email: "ada@example.test", displayName: "Ada Admin" },
      abel: { email: "abel@example.test", displayName: "Abel Admin" },
      mia: { email: "mia@example.test", displayName: "Mia Member" },
    },
    spaces: {
      listed: {
        createdBy: "ada",
        slug: "club-rh",
        name: "Club RH",
        description: "Les RH indépendants",
        visibility: "listed",
        joinPolicy: "coopt_approval",
        members: { abel: "admin", mia: "member" },
      },
      secret: { createdBy: "ada", slug: "cercle-discret", name: "Cercle Discret", visibility: "secret" },
    },
    signIn: [],
  });
  ({ server, store, smtp } = w);
  ({ ada, abel, mia } = w.people);
  ({ listed, secret } = w.spaces);
});

afterAll(() => w?.close());

const fr = (key: MessageKey, params?: MessageParams) => translate("fr", key, params);

let counter = 0;
async function newcomer(label: string) {
  return createUser(store.db, { email: `${label}-${Date.now().toString(36)}${counter++}@example.test`, displayName: `${label} Newcomer` });
}

/** One signed-in browser per existing user, kept for the whole file. */
const as = (user: TestUser): Promise<Client> => w.as(user);

function mailTo(email: string, after: number) {
  return smtp.waitForMail((m) => m.to.includes(email) && smtp.messages.indexOf(m) >= after);
}

async function mailsSince(after: number, settleMs = 300) {
  await new Promise((r) => setTimeout(r, settleMs));
  return smtp.messages.slice(after);
}

function requestsOf(spaceId: string, userId: string) {
  return store.db.selectFrom("join_request").selectAll().where("space_id", "=", spaceId).where("user_id", "=", userId).execute();
}

function membership(spaceId: string, userId: string) {
  return store.db.selectFrom("space_member").selectAll().where("space_id", "=", spaceId).where("user_id", "=", userId).executeTakeFirst();
}

function flashOf(html: string): { kind: string; text: string } | null {
  const m = html.match(/<div[^>]*class="flash flash-(\w+)"[^>]*>\s*<p>([\s\S]*?)<\/p>/);
  return m ? { kind: m[1], text: pageText(m[2]) } : null;
}

/** Until every queued mail has had its attempt: the outbox sends after the response. */
async function outboxSettled(timeoutMs = 5_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const busy = await store.db.selectFrom("mail_outbox").select("id").where("state", "in", ["pending", "sending"]).execute();
    if (busy.length === 0) return;
    if (Date.now() > deadline) throw new Error(`${busy.length} mail(s) still queued after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Asks to join through the form, checks the answer, and returns the stored request (its mails to the admins gone out). */
async function askToJoin(user: TestUser, message: string) {
  const res = await (await as(user)).post(`/spaces/${listed.slug}/join`, { message });
  expect(res.status).toBe(302);
  await outboxSettled();
  expect(res.location).toBe(`/spaces/${listed.slug}`);
  const rows = await requestsOf(listed.id, user.id);
  expect(rows).toHaveLength(1);
  return { res, request: rows[0] };
}

const approvalsPath = () => `/spaces/${listed.slug}/approvals`;

describe("asking to join a listed space", () => {
  test("the request is stored, each admin is mailed, and asking again while it waits adds nothing", async () => {
    const paul = await newcomer("paul");
    const message = "Je recrute pour des PME depuis dix ans ; j'aimerais partager mes grilles d'entretien.";
    const from = smtp.messages.length;
    const { res, request } = await askToJoin(paul, message);
    expect(request).toMatchObject({ status: "pending", message, decided_by: null });

    // The space's home confirms, then shows the request as waiting.
    const home = await (await as(paul)).get(res.location!);
    expect(home.status).toBe(200);
    expect(flashOf(home.text)).toEqual({ kind: "success", text: fr("space.joinSent") });
    expect(pageText(home.text)).toContain(fr("space.joinPending"));

    const subject = fr("mail.joinRequest.subject", { name: paul.display_name, space: listed.name });
    for (const admin of [ada, abel]) {
      const mail = await mailTo(admin.email, from);
      expect(mail.subject).toBe(subject);
      expect(mail.text).toContain(fr("mail.joinRequest.body", { name: paul.display_name, space: listed.name }));
      expect(mail.text).toContain(`> ${message}`);
      expect(mail.text).toContain(`${server.url}/spaces/${listed.slug}/approvals`);
    }
    const sent = await mailsSince(from);
    expect(sent.map((m) => m.to.join(",")).sort()).toEqual([abel.email, ada.email].sort());
    const audited = await store.db.selectFrom("audit_log").selectAll().where("event", "=", "join_requested").where("actor_id", "=", paul.id).execute();
    expect(audited).toHaveLength(1);
    expect(audited[0].space_id).toBe(listed.id);

    // Again while it waits: same answer, no second request, no second mail.
    const afterFirst = smtp.messages.length;
    const again = await (await as(paul)).post(`/spaces/${listed.slug}/join`, { message: "Relance !" });
    expect(again.status).toBe(302);
    expect(await requestsOf(listed.id, paul.id)).toEqual([request]);
    expect(await mailsSince(afterFirst)).toEqual([]);
    expect(await membership(listed.id, paul.id)).toBeUndefined();
  });

  test("the approvals page shows it; approving makes the requester a member sponsored by the admin, and mails them", async () => {
    const rose = await newcomer("rose");
    const message = "Spécialiste de la paie, disponible pour l'atelier de juin.";
    const { request } = await askToJoin(rose, message);

    const queue = await (await as(ada)).get(approvalsPath());
    expect(queue.status).toBe(200);
    const text = pageText(queue.text);
    expect(text).toContain(rose.display_name);
    expect(text).toContain(message);
    expect(queue.text).toContain(`value="${request.id}"`);
    expect(queue.text).toContain('value="approve-request"');
    // Only admins decide.
    expect((await (await as(mia)).get(approvalsPath())).status).toBe(403);
    expect((await (await as(mia)).post(approvalsPath(), { intent: "approve-request", id: request.id })).status).toBe(403);
    expect((await (await as(rose)).post(approvalsPath(), { intent: "approve-request", id: request.id })).status).toBe(403);
    expect(await membership(listed.id, rose.id)).toBeUndefined();

    const from = smtp.messages.length;
    const res = await (await as(ada)).post(approvalsPath(), { intent: "approve-request", id: request.id });
    expect(res.status).toBe(302);
    expect(res.location).toBe(approvalsPath());
    const after = await (await as(ada)).get(res.location!);
    expect(flashOf(after.text)).toEqual({ kind: "success", text: fr("approvals.requestApproved", { name: rose.display_name }) });
    expect(pageText(after.text)).not.toContain(message);

    expect(await membership(listed.id, rose.id)).toMatchObject({ role: "member", sponsor_id: ada.id });
    const [decided] = await requestsOf(listed.id, rose.id);
    expect(decided).toMatchObject({ status: "approved", decided_by: ada.id });
    const activity = await store.db.selectFrom("activity").selectAll().where("space_id", "=", listed.id).where("actor_id", "=", rose.id).execute();
    expect(activity.map((a) => a.verb)).toEqual(["member_joined"]);
    expect(
      await store.db.selectFrom("audit_log").select("id").where("event", "=", "join_approved").where("target_user_id", "=", rose.id).execute(),
    ).toHaveLength(1);

    const mail = await mailTo(rose.email, from);
    expect(mail.subject).toBe(fr("mail.joinApproved.subject", { space: listed.name }));
    expect(mail.text).toContain(fr("mail.joinApproved.body", { space: listed.name }));
    expect(mail.text).toContain(`${server.url}/spaces/${listed.slug}`);
    // The requester alone is told.
    expect((await mailsSince(from)).map((m) => m.to.join(","))).toEqual([rose.email]);

    // Now a member: the space's members page is open to her.
    expect((await (await as(rose)).get(`/spaces/${listed.slug}/members`)).status).toBe(200);
  });

  test("refusing with a reason mails the requester the reason, adds no membership, and cannot be decided twice", async () => {
    const remi = await newcomer("remi");
    const { request } = await askToJoin(remi, "Bonjour, je suis coach.");
    const reason = "Le club est réservé aux DRH en poste.";

    const from = smtp.messages.length;
    const res = await (await as(abel)).post(approvalsPath(), { intent: "refuse-request", id: request.id, reason });
    expect(res.status).toBe(302);
    expect(flashOf((await (await as(abel)).get(res.location!)).text)).toEqual({ kind: "success", text: fr("approvals.refused") });

    const mail = await mailTo(remi.email, from);
    expect(mail.subject).toBe(fr("mail.joinRefused.subject", { space: listed.name }));
    expect(mail.text).toContain(fr("mail.joinRefused.body", { space: listed.name }));
    expect(mail.text).toContain(fr("mail.refused.reason", { reason }));
    expect(mail.html).toContain("Le club est réservé aux DRH en poste.");

    expect(await membership(listed.id, remi.id)).toBeUndefined();
    const [refused] = await requestsOf(listed.id, remi.id);
    expect(refused).toMatchObject({ status: "refused", decided_by: abel.id, refusal_reason: reason });
    const audited = await store.db.selectFrom("audit_log").selectAll().where("event", "=", "join_refused").where("target_user_id", "=", remi.id).execute();
    expect(audited).toHaveLength(1);
    expect(JSON.parse(audited[0].data)).toEqual({ reason });

    const afterRefusal = smtp.messages.length;
    for (const intent of ["approve-request", "refuse-request"]) {
      const again = await (await as(ada)).post(approvalsPath(), { intent, id: request.id, reason: "autre motif" });
      expect(again.status).toBe(302);
      expect(flashOf((await (await as(ada)).get(again.location!)).text)).toEqual({ kind: "error", text: fr("approvals.alreadyDecided") });
    }
    expect(await mailsSince(afterRefusal)).toEqual([]);
    expect(await membership(listed.id, remi.id)).toBeUndefined();
    expect(await requestsOf(listed.id, remi.id)).toEqual([refused]);
  });

  test("a member of the space has nothing to ask (403)", async () => {
    const before = (await store.db.selectFrom("join_request").select("id").execute()).length;
    expect((await (await as(mia)).post(`/spaces/${listed.slug}/join`, { message: "déjà là" })).status).toBe(403);
    expect((await store.db.selectFrom("join_request").select("id").execute()).length).toBe(before);
  });
});

describe("a secret space", () => {
  test("a non-member's join request answers 404 and nothing is stored or mailed", async () => {
    const nina = await newcomer("nina");
    const requestsBefore = (await store.db.selectFrom("join_request").select("id").execute()).length;
    const from = smtp.messages.length;
    const res = await (await as(nina)).post(`/spaces/${secret.slug}/join`, { message: "Je peux entrer ?" });
    expect(res.status).toBe(404);
    // Exactly as for a space that does not exist.
    const none = await (await as(nina)).post(`/spaces/nulle-part/join`, { message: "Je peux entrer ?" });
    expect(none.status).toBe(404);
    expect((await store.db.selectFrom("join_request").select("id").execute()).length).toBe(requestsBefore);
    expect(await store.db.selectFrom("audit_log").select("id").where("event", "=", "join_requested").where("actor_id", "=", nina.id).execute()).toEqual([]);
    expect(await membership(secret.id, nina.id)).toBeUndefined();
    expect(await mailsSince(from)).toEqual([]);
  });
});
