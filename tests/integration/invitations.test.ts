import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { translate, type MessageKey, type MessageParams } from "#app/i18n/index.ts";
import type { OpenedDatabase } from "#db/client.ts";
import { setArchived } from "#db/queries/spaces.ts";
import type { Role, Space } from "#db/schema.ts";
import { addMember, createSpace, createUser, signIn, type TestUser } from "#tests/factories.ts";
import { DAY_MS } from "#tests/helpers/db.ts";
import { client, findSetCookie, pageText, type Client } from "#tests/helpers/http.ts";
import type { TestServer } from "#tests/helpers/server.ts";
import { world, type World } from "#tests/helpers/world.ts";
import { clientSession, isSignedIn, SESSION_COOKIE } from "#tests/helpers/session.ts";
import type { ReceivedMail, TestSmtp } from "#tests/helpers/smtp.ts";

/**
 * Co-optation end to end: a member invites by e-mail, the mail goes through a
 * real SMTP server, the link is opened over HTTP, and the database shows what
 * happened. Three spaces, one per join policy, share the same people.
 */

const NETWORK = "Réseau des Indépendants";
const NEW_PASSWORD = "a newcomer's long passphrase";
const SEVEN_DAYS = 7 * DAY_MS;

let smtp: TestSmtp;
let server: TestServer;
let store: OpenedDatabase;

let ada: TestUser; // admin of every space
let abel: TestUser; // second admin of the approval space
let sam: TestUser; // plain member of every space: the usual sponsor
let gus: TestUser; // guest of the direct space
let olga: TestUser; // an account that belongs to no space
let bruno: TestUser; // another account that belongs to no space

let direct: Space; // coopt_direct
let approval: Space; // coopt_approval
let adminsOnly: Space; // admins_invite

let w: World<"ada" | "abel" | "sam" | "gus" | "olga" | "bruno", "direct" | "approval" | "adminsOnly">;

beforeAll(async () => {
  w = await world({
    smtp: true,
    env: { MAIL_FROM: "Cercle <no-reply@cercle.test>" },
    network: { name: NETWORK },
    people: {
      ada: { email: "ada@example.test", displayName: "Ada Admin" },
      abel: { email: "abel@example.test", displayName: "Abel Admin" },
      sam: { email: "sam@example.test", displayName: "Sam Sponsor" },
      gus: { email: "gus@example.test", displayName: "Gus Guest" },
      olga: { email: "olga@example.test", displayName: "Olga Outside" },
      bruno: { email: "bruno@example.test", displayName: "Bruno Busy" },
    },
    spaces: {
      direct: { createdBy: "ada", slug: "club-achats", name: "Club Achats", joinPolicy: "coopt_direct", members: { sam: "member", gus: "guest" } },
      approval: { createdBy: "ada", slug: "cercle-ouest", name: "Cercle Ouest", joinPolicy: "coopt_approval", members: { sam: "member", abel: "admin" } },
      adminsOnly: { createdBy: "ada", slug: "club-fermé", name: "Club Fermé", joinPolicy: "admins_invite", members: { sam: "member" } },
    },
    signIn: [],
  });
  ({ server, store, smtp } = w);
  ({ ada, abel, sam, gus, olga, bruno } = w.people);
  ({ direct, approval, adminsOnly } = w.spaces);
});

afterAll(() => w?.close());

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

const fr = (key: MessageKey, params?: MessageParams) => translate("fr", key, params);

let counter = 0;
const freshEmail = (label: string) => `${label}-${Date.now().toString(36)}${counter++}@example.test`;

/** One signed-in browser per existing user, kept for the whole file. */
const as = (user: TestUser): Promise<Client> => w.as(user);

function invite(c: Client, space: Space, fields: { email: string; role?: Role; message?: string }) {
  return c.post(`/spaces/${space.slug}/invite`, { email: fields.email, role: fields.role ?? "member", message: fields.message ?? "" });
}

function mailTo(email: string, after: number) {
  return smtp.waitForMail((m) => m.to.includes(email.toLowerCase()) && smtp.messages.indexOf(m) >= after);
}

/**
 * A co-optation waiting for approval: its word to each admin of the approval
 * space goes out after the response (the outbox sends in the background),
 * so a test counting later mails waits for those first.
 */
async function queueForApproval(sponsor: TestUser, fields: { email: string; message?: string }) {
  const from = smtp.messages.length;
  const res = await invite(await as(sponsor), approval, fields);
  expect(res.status).toBe(200);
  for (const admin of [ada, abel]) await smtp.waitForMail((m) => m.to.includes(admin.email) && m.text.includes(fields.email) && smtp.messages.indexOf(m) >= from);
  return res;
}

/** The mails received since `after` (after a short wait, so that a stray one would have arrived). */
async function mailsSince(after: number, settleMs = 300) {
  await new Promise((r) => setTimeout(r, settleMs));
  return smtp.messages.slice(after);
}

function sha256Hex(text: string) {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

/** The invitation link of a mail, checked to point at this server. */
function invitationLink(mail: ReceivedMail): { url: string; path: string; secret: string } {
  const match = mail.text.match(/https?:\/\/\S+\/invitations\/([A-Za-z0-9]+)/);
  expect(match, `no invitation link in:\n${mail.text}`).not.toBeNull();
  const url = new URL(match![0]);
  expect(url.origin).toBe(server.url);
  return { url: match![0], path: url.pathname, secret: match![1] };
}

/** A direct co-optation by `sponsor` into `space`, returning the link the invitee got by mail. */
async function directInvitation(sponsor: TestUser, space: Space, email: string, role: Role = "member", message = "") {
  const from = smtp.messages.length;
  const res = await invite(await as(sponsor), space, { email, role, message });
  expect(res.status, pageText(res.text)).toBe(200);
  return { res, link: invitationLink(await mailTo(email, from)) };
}

function invitationRow(spaceId: string, email: string) {
  return store.db
    .selectFrom("invitation")
    .selectAll()
    .where("space_id", "=", spaceId)
    .where("email", "=", email)
    .orderBy("created_at", "desc")
    .executeTakeFirst();
}

function userByEmail(email: string) {
  return store.db.selectFrom("user").selectAll().where("email", "=", email).executeTakeFirst();
}

function membership(spaceId: string, userId: string) {
  return store.db.selectFrom("space_member").selectAll().where("space_id", "=", spaceId).where("user_id", "=", userId).executeTakeFirst();
}

async function memberCount(spaceId: string) {
  return (await store.db.selectFrom("space_member").select("user_id").where("space_id", "=", spaceId).execute()).length;
}

async function invitationCount() {
  return (await store.db.selectFrom("invitation").select("id").execute()).length;
}

/** The message shown for a dead link (the alert of the invitation page). */
function alertOf(html: string) {
  const m = html.match(/<p[^>]*role="alert"[^>]*>([\s\S]*?)<\/p>/);
  return m ? pageText(m[1]) : null;
}

/** The page's main heading. */
function headingOf(html: string) {
  const m = html.match(/<h1[^>]*>([\s\S]*?)<\/h1>/);
  return m ? pageText(m[1]) : null;
}

/** The flash of a page: its kind and text. */
function flashOf(html: string): { kind: string; text: string } | null {
  const m = html.match(/<div[^>]*class="flash flash-(\w+)"[^>]*>\s*<p>([\s\S]*?)<\/p>/);
  return m ? { kind: m[1], text: pageText(m[2]) } : null;
}

/** The errors conform shows beside one field (`<ul id="…-<field>-error" class="field-errors">`). */
function fieldErrors(html: string, field: string): string[] {
  const m = html.match(new RegExp(`<ul[^>]*id="[^"]*-${field}-error"[^>]*>([\\s\\S]*?)</ul>`));
  if (!m) return [];
  return [...m[1].matchAll(/<li[^>]*>([\s\S]*?)<\/li>/g)].map((li) => pageText(li[1]));
}

// ---------------------------------------------------------------------------

describe("direct co-optation (coopt_direct)", () => {
  test("the invitee's mail names sponsor and club, quotes the recommendation and links to /invitations/<secret>; only the hash is stored", async () => {
    const email = freshEmail("claire");
    const message = "Claire connaît les achats publics mieux que personne.";
    const before = Date.now();
    const { res, link } = await directInvitation(sam, direct, email, "guest", message);
    const mail = await mailTo(email, 0);

    expect(mail.parsed.from?.text).toContain("no-reply@cercle.test");
    expect(mail.subject).toBe(fr("mail.invitation.subject", { sponsor: sam.display_name, space: direct.name, network: NETWORK }));
    expect(mail.text).toContain(fr("mail.invitation.body", { sponsor: sam.display_name, space: direct.name, network: NETWORK }));
    expect(mail.text).toContain(`> ${message}`);
    expect(mail.html).toContain(message);
    expect(mail.html).toContain(`/invitations/${link.secret}`);
    // The inviter is told the mail is on its way, never shown the link: only the mailbox gets it.
    expect(res.text).not.toContain(link.secret);
    expect(pageText(res.text)).toContain(fr("coopt.willSend", { email }));

    const row = await invitationRow(direct.id, email);
    expect(row).toMatchObject({ status: "sent", role: "guest", sponsor_id: sam.id, message });
    expect(row!.token_hash).toBe(sha256Hex(link.secret));
    // The secret itself is nowhere in the row.
    expect(JSON.stringify(row)).not.toContain(link.secret);
    expect(row!.created_at).toBeGreaterThanOrEqual(before);
    expect(row!.expires_at! - row!.created_at).toBe(SEVEN_DAYS);
    const created = await store.db
      .selectFrom("audit_log")
      .selectAll()
      .where("event", "=", "invitation_created")
      .where("actor_id", "=", sam.id)
      .where("space_id", "=", direct.id)
      .execute();
    expect(created.some((a) => JSON.parse(a.data).email === email)).toBe(true);
  });

  test("a newcomer opens the link, creates an account, is signed in and lands in the space as invited", async () => {
    const email = freshEmail("denis");
    const message = "Denis anime l'atelier négociation.";
    const { link } = await directInvitation(sam, direct, email, "guest", message);

    const browser = client(server.url);
    const page = await browser.get(link.path);
    expect(page.status).toBe(200);
    const text = pageText(page.text);
    expect(text).toContain(fr("invite.title", { space: direct.name }));
    expect(text).toContain(fr("invite.from", { sponsor: sam.display_name, space: direct.name, network: NETWORK }));
    expect(text).toContain(message);
    expect(text).toContain(fr("invite.createAccount"));
    expect(page.text).toContain('name="displayName"');
    expect(page.text).toContain('name="confirm"');

    const startedAt = Date.now();
    const res = await browser.post(link.path, { intent: "create", displayName: "Denis Nouveau", password: NEW_PASSWORD, confirm: NEW_PASSWORD });
    expect(res.status).toBe(302);
    expect(res.location).toBe(`/spaces/${direct.slug}`);
    expect(findSetCookie(res, SESSION_COOKIE)?.value).toBeTruthy();
    // The welcome flash shows on the space's home (the first page after the redirect).
    const home = await browser.get(res.location!);
    expect(home.status).toBe(200);
    expect(flashOf(home.text)).toEqual({ kind: "success", text: fr("invite.welcome", { space: direct.name }) });
    expect(await isSignedIn(browser)).toBe(true);

    const user = await userByEmail(email);
    expect(user).toMatchObject({ display_name: "Denis Nouveau", sponsor_id: sam.id, is_network_admin: 0 });
    const { id: sessionId } = await clientSession(browser);
    expect((await store.db.selectFrom("session").select("user_id").where("id", "=", sessionId).executeTakeFirst())?.user_id).toBe(user!.id);
    expect(await membership(direct.id, user!.id)).toMatchObject({ role: "guest", sponsor_id: sam.id });
    expect(await invitationRow(direct.id, email)).toMatchObject({ status: "accepted", accepted_by: user!.id });

    const activity = await store.db.selectFrom("activity").selectAll().where("space_id", "=", direct.id).where("actor_id", "=", user!.id).execute();
    expect(activity.map((a) => a.verb)).toEqual(["member_joined"]);
    expect(JSON.parse(activity[0].data)).toMatchObject({ sponsor: sam.display_name });
    const accepted = await store.db
      .selectFrom("audit_log")
      .selectAll()
      .where("event", "=", "invitation_accepted")
      .where("actor_id", "=", user!.id)
      .executeTakeFirst();
    expect(accepted).toMatchObject({ space_id: direct.id, target_user_id: user!.id });
    expect(accepted!.created_at).toBeGreaterThanOrEqual(startedAt);
  });

  test("the link is single-use: opened again it says it was used, and a second POST is refused (410) with nothing changed", async () => {
    const email = freshEmail("elise");
    const { link } = await directInvitation(sam, direct, email);
    const first = client(server.url);
    const ok = await first.post(link.path, { intent: "create", displayName: "Élise Première", password: NEW_PASSWORD, confirm: NEW_PASSWORD });
    expect(ok.status).toBe(302);
    const user = (await userByEmail(email))!;
    const usersBefore = (await store.db.selectFrom("user").select("id").execute()).length;
    const membersBefore = await memberCount(direct.id);
    const sessionsBefore = (await store.db.selectFrom("session").select("id").execute()).length;

    const again = await client(server.url).get(link.path);
    expect(alertOf(again.text)).toBe(fr("invite.accepted"));
    expect(again.text).not.toContain('name="password"');

    const reuse = await client(server.url).post(link.path, { intent: "create", displayName: "Élise Seconde", password: "another long passphrase", confirm: "another long passphrase" });
    expect(reuse.status).toBe(410);
    expect(alertOf(reuse.text)).toBe(fr("invite.accepted"));
    expect(findSetCookie(reuse, SESSION_COOKIE)).toBeUndefined();
    // Even the addressee, signed in, cannot use it a second time.
    const rejoin = await first.post(link.path, { intent: "join" });
    expect(rejoin.status).toBe(410);

    expect((await userByEmail(email))?.display_name).toBe("Élise Première");
    expect((await store.db.selectFrom("user").select("id").execute()).length).toBe(usersBefore);
    expect(await memberCount(direct.id)).toBe(membersBefore);
    expect((await store.db.selectFrom("session").select("id").execute()).length).toBe(sessionsBefore);
    expect(await invitationRow(direct.id, email)).toMatchObject({ status: "accepted", accepted_by: user.id });
    // The first password still opens the account.
    await signIn(client(server.url), email, NEW_PASSWORD);
  });

  test("a used link's page is titled as used, not as invalid, in French and in English", async () => {
    const email = freshEmail("ines");
    const { link } = await directInvitation(sam, direct, email);
    const ok = await client(server.url).post(link.path, { intent: "create", displayName: "Inès Première", password: NEW_PASSWORD, confirm: NEW_PASSWORD });
    expect(ok.status).toBe(302);

    for (const [lang, locale] of [["fr", "fr"], ["en-GB,en;q=0.9", "en"]] as const) {
      const again = await client(server.url).get(link.path, { headers: { "Accept-Language": lang } });
      const title = translate(locale, "invite.goneTitle.accepted");
      expect(again.text).toContain(`<title>${title} · ${NETWORK}</title>`);
      expect(headingOf(again.text)).toBe(title);
      expect(alertOf(again.text)).toBe(translate(locale, "invite.accepted"));
      expect(again.text).not.toContain(translate(locale, "invite.goneTitle.unknown"));
    }
    // A link that never existed is still called invalid.
    const unknown = await client(server.url).get("/invitations/no-such-token");
    expect(headingOf(unknown.text)).toBe(fr("invite.goneTitle.unknown"));
    expect(unknown.text).toContain(`<title>${fr("invite.goneTitle.unknown")} · ${NETWORK}</title>`);
  });

  test("an expired link says so, and POST create answers 410 without creating an account", async () => {
    const email = freshEmail("fabien");
    const { link } = await directInvitation(sam, direct, email);
    await store.db.updateTable("invitation").set({ expires_at: Date.now() - 1_000 }).where("email", "=", email).execute();

    const page = await client(server.url).get(link.path);
    expect(alertOf(page.text)).toBe(fr("invite.expired"));
    expect(page.text).not.toContain('name="displayName"');

    const res = await client(server.url).post(link.path, { intent: "create", displayName: "Fabien Tard", password: NEW_PASSWORD, confirm: NEW_PASSWORD });
    expect(res.status).toBe(410);
    expect(alertOf(res.text)).toBe(fr("invite.expired"));
    expect(findSetCookie(res, SESSION_COOKIE)).toBeUndefined();
    expect(await userByEmail(email)).toBeUndefined();
    expect((await invitationRow(direct.id, email))?.status).toBe("sent");
  });

  test("a link revoked by its sponsor from the members page says so, and POST answers 410", async () => {
    const email = freshEmail("gaelle");
    const { link } = await directInvitation(sam, direct, email);
    const row = (await invitationRow(direct.id, email))!;

    // The sponsor sees their open invitation on the members page, with a revoke action.
    const members = await (await as(sam)).get(`/spaces/${direct.slug}/members`);
    expect(members.status).toBe(200);
    expect(members.text).toContain(row.id);

    const res = await (await as(sam)).post(`/spaces/${direct.slug}/members`, { intent: "revoke", invitationId: row.id });
    expect(res.status).toBe(302);
    expect(res.location).toBe(`/spaces/${direct.slug}/members`);
    expect(await invitationRow(direct.id, email)).toMatchObject({ status: "revoked", decided_by: sam.id });
    const audited = await store.db.selectFrom("audit_log").selectAll().where("event", "=", "invitation_revoked").where("actor_id", "=", sam.id).execute();
    expect(audited.some((a) => JSON.parse(a.data).email === email)).toBe(true);

    const page = await client(server.url).get(link.path);
    expect(alertOf(page.text)).toBe(fr("invite.revoked"));
    const post = await client(server.url).post(link.path, { intent: "create", displayName: "Gaëlle", password: NEW_PASSWORD, confirm: NEW_PASSWORD });
    expect(post.status).toBe(410);
    expect(alertOf(post.text)).toBe(fr("invite.revoked"));
    expect(await userByEmail(email)).toBeUndefined();
  });
});

describe("an archived space", () => {
  test("a link sent before the space was archived no longer lets anyone in", async () => {
    const space = await createSpace(store.db, { createdBy: ada.id, slug: "club-archive", name: "Club Archivé", joinPolicy: "coopt_direct" });
    await addMember(store.db, { space, user: sam });
    const email = freshEmail("nora");
    const { link } = await directInvitation(sam, space, email);
    await setArchived(store.db, space.id, Date.now());
    const membersBefore = await memberCount(space.id);

    // Nothing may change in an archived space (policies/space.ts, "space.archivedBanner"): its
    // open invitations cannot even be revoked any more (canRevokeInvitation is false).
    const res = await client(server.url).post(link.path, { intent: "create", displayName: "Nora Tardive", password: NEW_PASSWORD, confirm: NEW_PASSWORD });
    // BUG (app/routes/invitations.$token.tsx, action and loader): neither checks space.archived_at,
    // so the newcomer's account is created and added to the archived space (302 to the space).
    // Expected: the link refused (e.g. 410 with a "closed" message) and nothing written.
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(await userByEmail(email)).toBeUndefined();
    expect(await memberCount(space.id)).toBe(membersBefore);
  });
});

describe("co-optation with approval (coopt_approval)", () => {
  test("waits for the admins: no mail to the invitee, one to each admin; approval sends the link and tells the sponsor; 7 days from approval", async () => {
    const email = freshEmail("hugo");
    const message = "Hugo a monté trois SCOP dans l'Ouest.";
    const from = smtp.messages.length;
    const res = await invite(await as(sam), approval, { email, message });
    expect(res.status).toBe(200);
    expect(pageText(res.text)).toContain(fr("coopt.queued", { email }));
    expect(res.text).not.toContain("/invitations/");

    const row = (await invitationRow(approval.id, email))!;
    expect(row).toMatchObject({ status: "pending_approval", token_hash: null, expires_at: null, sponsor_id: sam.id, message });

    const subject = fr("mail.approval.subject", { space: approval.name });
    const toAda = await mailTo(ada.email, from);
    const toAbel = await mailTo(abel.email, from);
    for (const m of [toAda, toAbel]) {
      expect(m.subject).toBe(subject);
      expect(m.text).toContain(fr("mail.approval.body", { sponsor: sam.display_name, email, space: approval.name }));
      expect(m.text).toContain(`> ${message}`);
      expect(m.text).toContain(`${server.url}/spaces/${approval.slug}/approvals`);
    }
    const sent = await mailsSince(from);
    expect(sent.filter((m) => m.to.includes(email))).toEqual([]);
    expect(sent.map((m) => m.to.join(",")).sort()).toEqual([abel.email, ada.email].sort());

    // The admins' queue shows who, by whom, and the recommendation.
    const queue = await (await as(ada)).get(`/spaces/${approval.slug}/approvals`);
    expect(queue.status).toBe(200);
    const queueText = pageText(queue.text);
    expect(queueText).toContain(email);
    expect(queueText).toContain(sam.display_name);
    expect(queueText).toContain(message);
    expect(queue.text).toContain(`value="${row.id}"`);
    // A plain member has no access to it.
    expect((await (await as(sam)).get(`/spaces/${approval.slug}/approvals`)).status).toBe(403);

    // The request was made days ago: the link's week must start at approval, not at creation.
    await store.db.updateTable("invitation").set({ created_at: Date.now() - 3 * DAY_MS }).where("id", "=", row.id).execute();
    const afterQueue = smtp.messages.length;
    const approvedFrom = Date.now();
    const decision = await (await as(ada)).post(`/spaces/${approval.slug}/approvals`, { intent: "approve-invitation", id: row.id });
    const approvedTo = Date.now();
    expect(decision.status).toBe(302);
    expect(decision.location).toBe(`/spaces/${approval.slug}/approvals`);
    const after = await (await as(ada)).get(decision.location!);
    expect(flashOf(after.text)).toEqual({ kind: "success", text: fr("approvals.approved", { email }) });

    const invitee = await mailTo(email, afterQueue);
    expect(invitee.subject).toBe(fr("mail.invitation.subject", { sponsor: sam.display_name, space: approval.name, network: NETWORK }));
    expect(invitee.text).toContain(`> ${message}`);
    const link = invitationLink(invitee);
    const sponsorMail = await mailTo(sam.email, afterQueue);
    expect(sponsorMail.subject).toBe(fr("mail.approved.subject", { email }));
    expect(sponsorMail.text).toContain(fr("mail.approved.body", { admin: ada.display_name, email, space: approval.name }));

    const approved = (await invitationRow(approval.id, email))!;
    expect(approved).toMatchObject({ status: "sent", decided_by: ada.id });
    expect(approved.token_hash).toBe(sha256Hex(link.secret));
    expect(approved.expires_at!).toBeGreaterThanOrEqual(approvedFrom + SEVEN_DAYS);
    expect(approved.expires_at!).toBeLessThanOrEqual(approvedTo + SEVEN_DAYS);
    expect(approved.decided_at! + SEVEN_DAYS).toBe(approved.expires_at);
    expect(
      await store.db.selectFrom("audit_log").select("id").where("event", "=", "invitation_approved").where("actor_id", "=", ada.id).execute(),
    ).toHaveLength(1);

    // It left the queue, and the link works.
    expect(pageText((await (await as(ada)).get(`/spaces/${approval.slug}/approvals`)).text)).not.toContain(email);
    const page = await client(server.url).get(link.path);
    expect(page.status).toBe(200);
    expect(page.text).toContain('name="displayName"');
    const joined = await client(server.url).post(link.path, { intent: "create", displayName: "Hugo Ouest", password: NEW_PASSWORD, confirm: NEW_PASSWORD });
    expect(joined.status).toBe(302);
    const hugo = (await userByEmail(email))!;
    expect(await membership(approval.id, hugo.id)).toMatchObject({ role: "member", sponsor_id: sam.id });
  });

  test("an admin's own co-optation in such a space needs no approval", async () => {
    const email = freshEmail("ines");
    const { link } = await directInvitation(ada, approval, email);
    expect((await invitationRow(approval.id, email))?.status).toBe("sent");
    expect(link.secret).toBeTruthy();
  });

  test("a refusal with a reason tells the sponsor why; the invitation has no usable link; deciding again is 'already decided' and sends nothing", async () => {
    const email = freshEmail("jules");
    await queueForApproval(sam, { email, message: "Jules est fiable." });
    const row = (await invitationRow(approval.id, email))!;
    const reason = "Le cercle est complet jusqu'en septembre.";

    const from = smtp.messages.length;
    const res = await (await as(abel)).post(`/spaces/${approval.slug}/approvals`, { intent: "refuse-invitation", id: row.id, reason });
    expect(res.status).toBe(302);
    expect(flashOf((await (await as(abel)).get(res.location!)).text)).toEqual({ kind: "success", text: fr("approvals.refused") });

    const sponsorMail = await mailTo(sam.email, from);
    expect(sponsorMail.subject).toBe(fr("mail.refused.subject", { email }));
    expect(sponsorMail.text).toContain(fr("mail.refused.body", { admin: abel.display_name, email, space: approval.name }));
    expect(sponsorMail.text).toContain(fr("mail.refused.reason", { reason }));
    expect(sponsorMail.text).not.toContain("/invitations/");
    expect((await mailsSince(from)).filter((m) => m.to.includes(email))).toEqual([]);

    const refused = (await invitationRow(approval.id, email))!;
    expect(refused).toMatchObject({ status: "refused", token_hash: null, expires_at: null, decided_by: abel.id, refusal_reason: reason });

    // Deciding again, either way, changes nothing and mails nobody.
    const afterRefusal = smtp.messages.length;
    for (const intent of ["refuse-invitation", "approve-invitation"]) {
      const again = await (await as(ada)).post(`/spaces/${approval.slug}/approvals`, { intent, id: row.id, reason: "encore" });
      expect(again.status).toBe(302);
      expect(again.location).toBe(`/spaces/${approval.slug}/approvals`);
      const page = await (await as(ada)).get(again.location!);
      expect(flashOf(page.text)).toEqual({ kind: "error", text: fr("approvals.alreadyDecided") });
    }
    expect(await mailsSince(afterRefusal)).toEqual([]);
    expect(await invitationRow(approval.id, email)).toEqual(refused);
  });

  test("approving twice sends one invitation and one notice only", async () => {
    const email = freshEmail("karim");
    await queueForApproval(sam, { email });
    const row = (await invitationRow(approval.id, email))!;
    const from = smtp.messages.length;
    const first = await (await as(ada)).post(`/spaces/${approval.slug}/approvals`, { intent: "approve-invitation", id: row.id });
    expect(first.status).toBe(302);
    await mailTo(email, from);
    await mailTo(sam.email, from);
    const approved = (await invitationRow(approval.id, email))!;

    const afterFirst = smtp.messages.length;
    const second = await (await as(abel)).post(`/spaces/${approval.slug}/approvals`, { intent: "approve-invitation", id: row.id });
    expect(second.status).toBe(302);
    expect(flashOf((await (await as(abel)).get(second.location!)).text)).toEqual({ kind: "error", text: fr("approvals.alreadyDecided") });
    const refuse = await (await as(abel)).post(`/spaces/${approval.slug}/approvals`, { intent: "refuse-invitation", id: row.id, reason: "trop tard" });
    expect(refuse.status).toBe(302);
    expect(flashOf((await (await as(abel)).get(refuse.location!)).text)).toEqual({ kind: "error", text: fr("approvals.alreadyDecided") });
    expect(await mailsSince(afterFirst)).toEqual([]);
    // The link of the first approval is still the one that works.
    expect(await invitationRow(approval.id, email)).toEqual(approved);
  });
});

describe("opening the link with an existing account", () => {
  test("not signed in: the page offers sign-in; a wrong password is refused and counted; the right one joins and signs in", async () => {
    const { link } = await directInvitation(ada, direct, olga.email);

    const browser = client(server.url);
    const page = await browser.get(link.path);
    expect(page.status).toBe(200);
    expect(pageText(page.text)).toContain(fr("invite.existingAccount"));
    expect(page.text).toContain('name="password"');
    expect(page.text).toContain('value="signin"');
    expect(page.text).not.toContain('name="displayName"');

    const failuresBefore = await store.db.selectFrom("sign_in_attempt").selectAll().where("email", "=", olga.email).execute();
    const wrong = await browser.post(link.path, { intent: "signin", password: "not the right passphrase" });
    expect(wrong.status).toBe(400);
    expect(pageText(wrong.text)).toContain(fr("login.invalid"));
    expect(findSetCookie(wrong, SESSION_COOKIE)).toBeUndefined();
    const failures = await store.db.selectFrom("sign_in_attempt").selectAll().where("email", "=", olga.email).where("succeeded", "=", 0).execute();
    expect(failures.length).toBe(failuresBefore.filter((f) => f.succeeded === 0).length + 1);
    const failedAudit = await store.db.selectFrom("audit_log").selectAll().where("event", "=", "sign_in_failed").where("target_user_id", "=", olga.id).execute();
    expect(failedAudit).toHaveLength(1);
    expect(await membership(direct.id, olga.id)).toBeUndefined();
    expect((await invitationRow(direct.id, olga.email))?.status).toBe("sent");

    const right = await browser.post(link.path, { intent: "signin", password: olga.password });
    expect(right.status).toBe(302);
    expect(right.location).toBe(`/spaces/${direct.slug}`);
    expect(findSetCookie(right, SESSION_COOKIE)?.value).toBeTruthy();
    expect(await isSignedIn(browser)).toBe(true);
    const { id } = await clientSession(browser);
    expect((await store.db.selectFrom("session").select("user_id").where("id", "=", id).executeTakeFirst())?.user_id).toBe(olga.id);
    expect(await membership(direct.id, olga.id)).toMatchObject({ role: "member", sponsor_id: ada.id });
    expect(await invitationRow(direct.id, olga.email)).toMatchObject({ status: "accepted", accepted_by: olga.id });
    // As a sign-in does, success clears the failures.
    expect(await store.db.selectFrom("sign_in_attempt").select("id").where("email", "=", olga.email).where("succeeded", "=", 0).execute()).toEqual([]);
  });

  test("wrong passwords typed on the invitation count towards the sign-in throttle", async () => {
    const tess = await createUser(store.db, { email: freshEmail("tess"), displayName: "Tess Throttle" });
    const { link } = await directInvitation(ada, direct, tess.email);
    // Four misses on the sign-in form, the fifth on the invitation page: the account is now throttled.
    for (let i = 0; i < 4; i++) {
      expect((await client(server.url).post("/login", { email: tess.email, password: `wrong guess ${i}` })).status).toBe(400);
    }
    expect((await client(server.url).post(link.path, { intent: "signin", password: "wrong guess 4" })).status).toBe(400);

    const login = await client(server.url).post("/login", { email: tess.email, password: tess.password });
    expect(login.status).toBe(429);
    expect(Number(login.headers["retry-after"])).toBeGreaterThan(0);
    const throttledAudits = () =>
      store.db.selectFrom("audit_log").selectAll().where("event", "=", "sign_in_throttled").execute().then((rows) => rows.filter((r) => JSON.parse(r.data).email === tess.email).length);
    const auditsBefore = await throttledAudits();

    const viaLink = await client(server.url).post(link.path, { intent: "signin", password: tess.password });
    expect(viaLink.status).toBe(429);
    expect(pageText(viaLink.text)).toContain(fr("login.throttled", { minutes: 15 }));
    expect(findSetCookie(viaLink, SESSION_COOKIE)).toBeUndefined();
    expect(await membership(direct.id, tess.id)).toBeUndefined();
    expect((await invitationRow(direct.id, tess.email))?.status).toBe("sent");

    // BUG (app/routes/invitations.$token.tsx, intent=signin, the throttledUntil branch): unlike
    // POST /login, the blocked attempt is neither audited (sign_in_throttled) nor answered with a
    // Retry-After header (the route has no `headers` export to pass it on either).
    expect.soft(await throttledAudits(), "sign_in_throttled audited").toBe(auditsBefore + 1);
    expect.soft(Number(viaLink.headers["retry-after"] ?? 0), "Retry-After header").toBeGreaterThan(0);
  });

  test("signed in as someone else: the page says so; join, create and sign-in are 403 and nobody becomes a member", async () => {
    const newcomer = freshEmail("lea");
    const { link } = await directInvitation(sam, direct, newcomer);
    const brunoBrowser = await as(bruno);
    const membersBefore = await memberCount(direct.id);

    const page = await brunoBrowser.get(link.path);
    expect(page.status).toBe(200);
    expect(pageText(page.text)).toContain(fr("invite.otherAccount", { email: newcomer, current: bruno.email }));
    expect(page.text).not.toContain('name="password"');
    expect(page.text).not.toContain('value="join"');

    expect((await brunoBrowser.post(link.path, { intent: "join" })).status).toBe(403);
    expect(
      (await brunoBrowser.post(link.path, { intent: "create", displayName: "Léa", password: NEW_PASSWORD, confirm: NEW_PASSWORD })).status,
    ).toBe(403);
    expect((await brunoBrowser.post(link.path, { intent: "signin", password: bruno.password })).status).toBe(403);

    expect(await memberCount(direct.id)).toBe(membersBefore);
    expect(await membership(direct.id, bruno.id)).toBeUndefined();
    expect(await userByEmail(newcomer)).toBeUndefined();
    expect((await invitationRow(direct.id, newcomer))?.status).toBe("sent");
    // Bruno is still himself.
    const { id } = await clientSession(brunoBrowser);
    expect((await store.db.selectFrom("session").select("user_id").where("id", "=", id).executeTakeFirst())?.user_id).toBe(bruno.id);
  });

  test("signed in as the addressee: POST join adds the membership with the invited role", async () => {
    const carla = await createUser(store.db, { email: freshEmail("carla"), displayName: "Carla Connue" });
    const { link } = await directInvitation(ada, direct, carla.email, "editor");
    const browser = await as(carla);

    const page = await browser.get(link.path);
    expect(page.status).toBe(200);
    expect(page.text).toContain('value="join"');
    expect(pageText(page.text)).toContain(fr("invite.join", { space: direct.name }));

    const res = await browser.post(link.path, { intent: "join" });
    expect(res.status).toBe(302);
    expect(res.location).toBe(`/spaces/${direct.slug}`);
    expect(await membership(direct.id, carla.id)).toMatchObject({ role: "editor", sponsor_id: ada.id });
    expect(await invitationRow(direct.id, carla.email)).toMatchObject({ status: "accepted", accepted_by: carla.id });
    expect((await browser.get(`/spaces/${direct.slug}`)).status).toBe(200);
  });
});

describe("who may invite whom", () => {
  test("a member cannot invite as admin or editor: 400 with a field error, nothing created, no mail", async () => {
    const from = smtp.messages.length;
    const before = await invitationCount();
    for (const role of ["admin", "editor"] as const) {
      const email = freshEmail(`would-be-${role}`);
      const res = await invite(await as(sam), direct, { email, role });
      expect(res.status).toBe(400);
      expect(fieldErrors(res.text, "role")).toEqual([fr("v.roleNotAllowed")]);
      expect(await invitationRow(direct.id, email)).toBeUndefined();
    }
    // The form offers a member only the roles they may give.
    const form = await (await as(sam)).get(`/spaces/${direct.slug}/invite`);
    expect(form.text).toContain('value="member"');
    expect(form.text).toContain('value="guest"');
    expect(form.text).not.toContain('value="admin"');
    expect(form.text).not.toContain('value="editor"');
    expect(await invitationCount()).toBe(before);
    expect(await mailsSince(from)).toEqual([]);
  });

  test("a guest cannot invite at all, and under admins_invite neither can a member (403)", async () => {
    const before = await invitationCount();
    const from = smtp.messages.length;
    expect((await (await as(gus)).get(`/spaces/${direct.slug}/invite`)).status).toBe(403);
    expect((await invite(await as(gus), direct, { email: freshEmail("via-guest"), role: "guest" })).status).toBe(403);
    expect((await (await as(sam)).get(`/spaces/${adminsOnly.slug}/invite`)).status).toBe(403);
    expect((await invite(await as(sam), adminsOnly, { email: freshEmail("via-member") })).status).toBe(403);
    expect(await invitationCount()).toBe(before);
    expect(await mailsSince(from)).toEqual([]);
    // The admin may.
    await directInvitation(ada, adminsOnly, freshEmail("via-admin"));
  });

  test("inviting a member is refused with v.alreadyMember; an address with an open invitation with v.alreadyInvited", async () => {
    const member = await invite(await as(sam), direct, { email: gus.email });
    expect(member.status).toBe(400);
    expect(fieldErrors(member.text, "email")).toEqual([fr("v.alreadyMember")]);
    expect(await invitationRow(direct.id, gus.email)).toBeUndefined();

    const email = freshEmail("twice");
    await directInvitation(sam, direct, email);
    const from = smtp.messages.length;
    const again = await invite(await as(ada), direct, { email: email.toUpperCase() });
    expect(again.status).toBe(400);
    expect(fieldErrors(again.text, "email")).toEqual([fr("v.alreadyInvited")]);

    // A co-optation still waiting for approval is open too.
    const waiting = freshEmail("waiting");
    await queueForApproval(sam, { email: waiting });
    const queued = smtp.messages.length;
    const dup = await invite(await as(sam), approval, { email: waiting });
    expect(dup.status).toBe(400);
    expect(fieldErrors(dup.text, "email")).toEqual([fr("v.alreadyInvited")]);

    expect(await store.db.selectFrom("invitation").select("id").where("email", "in", [email, waiting]).execute()).toHaveLength(2);
    expect((await mailsSince(queued)).length).toBe(0);
    expect(smtp.messages.slice(from).filter((m) => m.to.includes(email))).toEqual([]);
  });
});

describe("hostile content", () => {
  test("a recommendation and a name holding HTML are escaped in the mail's HTML part and kept as plain text in its text part", async () => {
    const eve = await createUser(store.db, { email: freshEmail("eve"), displayName: "Eve <b>Bold</b>" });
    await addMember(store.db, { space: direct, user: eve });
    const message = `Je recommande <script>alert(1)</script> & "Marc"`;
    const email = freshEmail("marc");
    const { link } = await directInvitation(eve, direct, email, "member", message);
    const mail = await mailTo(email, 0);

    expect(mail.html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(mail.html).toContain("Eve &lt;b&gt;Bold&lt;/b&gt;");
    expect(mail.html).not.toContain("<script>");
    expect(mail.html).not.toContain("<b>");
    expect(mail.text).toContain(`> ${message}`);
    expect(mail.text).toContain(fr("mail.invitation.body", { sponsor: "Eve <b>Bold</b>", space: direct.name, network: NETWORK }));
    expect(mail.text).not.toContain("&lt;");
    expect(mail.subject).toBe(fr("mail.invitation.subject", { sponsor: "Eve <b>Bold</b>", space: direct.name, network: NETWORK }));

    // The invitation page shows them as text too.
    const page = await client(server.url).get(link.path);
    expect(page.text).not.toContain("<script>alert(1)");
    expect(page.text).not.toContain("<b>Bold</b>");
    expect(pageText(page.text)).toContain(message);
    expect(pageText(page.text)).toContain("Eve <b>Bold</b>");
  });
});
