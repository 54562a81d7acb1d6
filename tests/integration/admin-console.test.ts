import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { audit } from "#db/queries/audit.ts";
import { recordBackup } from "#db/queries/backups.ts";
import { createInvitation } from "#db/queries/invitations.ts";
import { transact } from "#db/transact.ts";
import { deactivateAccount } from "#app/admin/accounts.server.ts";
import { AUDIT_CSV_HEADER, EXPORT_BATCH } from "#app/admin/audit-export.server.ts";
import { DEFAULT_PASSWORD } from "#tests/factories.ts";
import { client, pageText, type Client } from "#tests/helpers/http.ts";
import { isSignedIn } from "#tests/helpers/session.ts";
import { world, type World } from "#tests/helpers/world.ts";

/**
 * The network admin's console (issue 20), over real HTTP and session
 * cookies against the built server: each action and its audit entry,
 * deactivated accounts (sessions ended, out of the directory, sign-in
 * refused with its message, reactivation), the audit log's CSV read back
 * with a real CSV parser, hostile cells included, and everyone else refused.
 */

const HOSTILE = '=HYPERLINK("https://evil.example","Clic"), "cité"';

let w: World<"claire" | "bruno" | "hugo" | "lea" | "eve", "club" | "atelier">;

beforeAll(async () => {
  w = await world({
    smtp: true,
    domain: "cercle.test",
    people: {
      claire: { displayName: "Claire Réseau", isNetworkAdmin: true },
      bruno: { displayName: "Bruno Second", isNetworkAdmin: true },
      hugo: { displayName: "Hugo Désactivé" },
      lea: { displayName: "Léa Lectrice" },
      eve: { displayName: HOSTILE, email: "eve_x@cercle.test" },
    },
    spaces: {
      club: { createdBy: "lea", slug: "club-achats", name: "Club Achats", members: { hugo: { role: "member", sponsor: "lea" }, eve: "member" } },
      atelier: { createdBy: "lea", slug: "atelier", name: "Atelier Bois", members: {} },
    },
  });
}, 120_000);
afterAll(() => w?.close());

const auditRows = (event: string) =>
  w.store.db.selectFrom("audit_log").selectAll().where("event", "=", event).orderBy("created_at", "desc").execute();

/** Follows one redirect and answers the page's text (with its flash). */
async function landing(c: Client, res: { status: number; location: string | null }) {
  expect(res.status).toBe(302);
  return pageText((await c.get(res.location!)).text);
}

describe("who may enter", () => {
  test("a member, a club admin and a visitor are refused everywhere in the console", async () => {
    const id = w.people.hugo.id;
    const gets = ["/admin", "/admin/members", `/admin/members/${id}`, "/admin/members?status=invited", "/admin/spaces", "/admin/network", "/admin/audit.csv"];
    for (const c of [w.c.lea, w.c.hugo]) {
      for (const path of gets) expect((await c.get(path)).status, path).toBe(403);
      expect((await c.post(`/admin/members/${id}`, { intent: "deactivate" })).status).toBe(403);
      expect((await c.post("/admin/spaces", { intent: "archive", spaceId: w.spaces.club.id })).status).toBe(403);
      expect((await c.post("/admin/network", { name: "Pris", defaultLocale: "fr" })).status).toBe(403);
      expect((await c.post("/admin/members", { intent: "revoke", invitationId: "x" })).status).toBe(403);
    }
    for (const path of gets) {
      const res = await w.anonymous.get(path);
      expect(res.status, path).toBe(302);
      expect(res.location).toMatch(/^\/login\?redirectTo=/);
    }
    expect((await w.store.db.selectFrom("user").select("deactivated_at").where("id", "=", id).executeTakeFirstOrThrow()).deactivated_at).toBeNull();
  });

  test("the network admin lands on the members, under one heading and the console's tabs", async () => {
    const root = await w.c.claire.get("/admin");
    expect(root.status).toBe(302);
    expect(root.location).toBe("/admin/members");
    const page = await w.c.claire.get("/admin/members");
    expect(page.status).toBe(200);
    expect(page.text).toMatch(/<h1[^>]*>Administration du réseau<\/h1>/);
    expect(page.text).toMatch(/<a[^>]*aria-current="page"[^>]*href="\/admin\/members"|<a[^>]*href="\/admin\/members"[^>]*aria-current="page"/);
    for (const tab of ["/admin/spaces", "/admin/network", "/admin/security", "/admin/audit", "/admin/reports"]) expect(page.text).toContain(`href="${tab}"`);
    // The older pages, inside the console, keep a heading of their own one level down.
    const auditPage = await w.c.claire.get("/admin/audit");
    expect(auditPage.text).toMatch(/<h2[^>]*>Journal d’audit<\/h2>/);
    expect(auditPage.text).toContain('href="/admin/audit.csv"');
  });
});

describe("members", () => {
  test("search by name or address, filters by club, state and last sign-in", async () => {
    const names = async (query: string) => pageText((await w.c.claire.get(`/admin/members?${query}`)).text);
    const byName = await names("q=desactive");
    expect(byName).toContain("Hugo Désactivé");
    expect(byName).not.toContain("Léa Lectrice");
    // "_" is a character of the address, not LIKE's wildcard.
    const byMail = await names(`q=${encodeURIComponent("eve_x@")}`);
    expect(byMail).toContain("eve_x@cercle.test");
    expect(await names(`q=${encodeURIComponent("evexx")}`)).not.toContain("eve_x@cercle.test");
    const club = await names(`space=${w.spaces.club.id}`);
    expect(club).toContain("Hugo Désactivé");
    expect(club).not.toContain("Bruno Second");
    // Everyone of the world signed in once; an account made now never did.
    await w.store.db.updateTable("user").set({ last_sign_in_at: null }).where("id", "=", w.people.bruno.id).execute();
    const never = await names("signin=never");
    expect(never).toContain("Bruno Second");
    expect(never).not.toContain("Léa Lectrice");
    await w.store.db.updateTable("user").set({ last_sign_in_at: Date.now() - 40 * 86_400_000 }).where("id", "=", w.people.lea.id).execute();
    const dormant = await names("signin=30");
    expect(dormant).toContain("Léa Lectrice");
    expect(dormant).toContain("Bruno Second");
    expect(dormant).not.toContain("Hugo Désactivé");
    expect(await names("signin=90")).not.toContain("Léa Lectrice");
    // Hostile filter values are no filter, never a 500.
    expect((await w.c.claire.get("/admin/members?status=%27;drop&space=..&signin=-1&page=-3&2fa=x&q=%25%25")).status).toBe(200);
  });

  test("a member's page: clubs, who co-opted them and whom they co-opted", async () => {
    const hugo = pageText((await w.c.claire.get(`/admin/members/${w.people.hugo.id}`)).text);
    expect(hugo).toContain("Club Achats");
    expect(hugo).toMatch(/coopté par\s*Léa Lectrice/);
    const lea = pageText((await w.c.claire.get(`/admin/members/${w.people.lea.id}`)).text);
    expect(lea).toContain("1 membre coopté");
    expect(lea).toContain("Hugo Désactivé");
    expect((await w.c.claire.get("/admin/members/nosuchmember0000000")).status).toBe(404);
  });

  test("second factor: the filter, and the reset button posting to the sign-in part's route, back to the member", async () => {
    const lea = w.people.lea;
    await w.store.db.insertInto("totp_factor").values({ user_id: lea.id, secret: new Uint8Array(20), created_at: Date.now(), confirmed_at: Date.now(), last_step: null }).execute();
    const on = pageText((await w.c.claire.get("/admin/members?2fa=on")).text);
    expect(on).toContain("Léa Lectrice");
    expect(on).not.toContain("Hugo Désactivé");
    expect(pageText((await w.c.claire.get("/admin/members?2fa=off")).text)).not.toContain("Léa Lectrice");
    const page = (await w.c.claire.get(`/admin/members/${lea.id}`)).text;
    expect(page).toContain(`action="/admin/people/${lea.id}/second-factor"`);
    expect(page).toMatch(new RegExp(`name="redirectTo" value="/admin/members/${lea.id}"`));
    expect((await w.c.claire.get(`/admin/members/${w.people.hugo.id}`)).text).not.toContain("/second-factor");
    const reset = await w.c.claire.post(`/admin/people/${lea.id}/second-factor`, { redirectTo: `/admin/members/${lea.id}` });
    expect(reset.status).toBe(302);
    expect(reset.location).toBe(`/admin/members/${lea.id}`);
  });
});

describe("deactivation", () => {
  test("ends the sessions at once, hides from the directory, keeps the clubs; sign-in is refused with a message", async () => {
    const hugo = w.people.hugo;
    expect(await isSignedIn(w.c.hugo)).toBe(true);
    expect(pageText((await w.c.lea.get("/people?q=hugo")).text)).toContain("Hugo Désactivé");

    const res = await w.c.claire.post(`/admin/members/${hugo.id}`, { intent: "deactivate" });
    expect(await landing(w.c.claire, res)).toContain("Le compte de Hugo Désactivé est désactivé");

    expect(await isSignedIn(w.c.hugo)).toBe(false);
    expect(await w.store.db.selectFrom("session").select("id").where("user_id", "=", hugo.id).execute()).toEqual([]);
    const [entry] = await auditRows("account_deactivated");
    expect(entry).toMatchObject({ actor_id: w.people.claire.id, target_user_id: hugo.id });
    expect(JSON.parse(entry.data)).toMatchObject({ email: hugo.email, sessionsEnded: 1 });

    expect(pageText((await w.c.lea.get("/people?q=hugo")).text)).not.toContain("Hugo Désactivé");
    expect((await w.c.lea.get(`/people/${hugo.id}`)).status).toBe(404);
    // Still in his club, under his name.
    expect(pageText((await w.c.lea.get("/spaces/club-achats/members")).text)).toContain("Hugo Désactivé");

    const browser = client(w.server.url);
    const refused = await browser.post("/login", { email: hugo.email, password: DEFAULT_PASSWORD, redirectTo: "" });
    expect(refused.status).toBe(403);
    expect(pageText(refused.text)).toContain("Ce compte a été désactivé par l’administrateur du réseau");
    expect(refused.setCookies.some((c) => /cercle_session=[^;]+/.test(c) && !/Max-Age=0/.test(c))).toBe(false);
    expect((await auditRows("sign_in_deactivated"))[0]).toMatchObject({ target_user_id: hugo.id });
    // A wrong password learns nothing of the account's state.
    const wrong = await browser.post("/login", { email: hugo.email, password: "not the password", redirectTo: "" });
    expect(wrong.status).toBe(400);
    expect(pageText(wrong.text)).not.toContain("désactivé");

    const list = pageText((await w.c.claire.get("/admin/members?status=deactivated")).text);
    expect(list).toContain("Hugo Désactivé");
    expect(list).not.toContain("Léa Lectrice");

    const again = await w.c.claire.post(`/admin/members/${hugo.id}`, { intent: "deactivate" });
    expect(await landing(w.c.claire, again)).toContain("C’était déjà fait");
    expect(await auditRows("account_deactivated")).toHaveLength(1);
  });

  test("reactivation brings the account back: sign-in and directory", async () => {
    const hugo = w.people.hugo;
    const res = await w.c.claire.post(`/admin/members/${hugo.id}`, { intent: "reactivate" });
    expect(await landing(w.c.claire, res)).toContain("Le compte de Hugo Désactivé est réactivé");
    expect((await auditRows("account_reactivated"))[0]).toMatchObject({ actor_id: w.people.claire.id, target_user_id: hugo.id });
    const browser = client(w.server.url);
    expect((await browser.post("/login", { email: hugo.email, password: DEFAULT_PASSWORD, redirectTo: "" })).status).toBe(302);
    expect(await isSignedIn(browser)).toBe(true);
    expect(pageText((await w.c.lea.get("/people?q=hugo")).text)).toContain("Hugo Désactivé");
  });

  test("an admin cannot deactivate themself, nor the last active network admin", async () => {
    const self = await w.c.claire.post(`/admin/members/${w.people.claire.id}`, { intent: "deactivate" });
    expect(await landing(w.c.claire, self)).toContain("Vous ne pouvez pas désactiver votre propre compte");
    // Bruno, the other admin, may go; then Claire is the last one, whoever asks (a script with an admin's rights).
    const bruno = await w.c.claire.post(`/admin/members/${w.people.bruno.id}`, { intent: "deactivate" });
    expect(bruno.status).toBe(302);
    const last = await transact(w.store.db, (trx) => deactivateAccount(trx, { actor: { id: "script00000000", isNetworkAdmin: true }, ip: "127.0.0.1", now: Date.now() }, { userId: w.people.claire.id }));
    expect(last).toEqual({ ok: false, error: "last-admin" });
    expect((await w.store.db.selectFrom("user").select("deactivated_at").where("id", "=", w.people.claire.id).executeTakeFirstOrThrow()).deactivated_at).toBeNull();
    expect((await w.c.claire.post(`/admin/members/${w.people.bruno.id}`, { intent: "reactivate" })).status).toBe(302);
  });
});

describe("invitations", () => {
  test("listed network-wide; resent with a new link by mail, or revoked; both audited", async () => {
    const now = Date.now();
    const sent = await createInvitation(w.store.db, { spaceId: w.spaces.club.id, email: "nouvelle@exemple.fr", role: "member", message: "", sponsorId: w.people.lea.id, needsApproval: false, now });
    const waiting = await createInvitation(w.store.db, { spaceId: w.spaces.atelier.id, email: "attente@exemple.fr", role: "member", message: "", sponsorId: w.people.lea.id, needsApproval: true, now });
    const list = pageText((await w.c.claire.get("/admin/members?status=invited")).text);
    expect(list).toContain("nouvelle@exemple.fr");
    expect(list).toContain("attente@exemple.fr");
    expect(list).toContain("2 invitations en attente");

    const from = w.smtp.messages.length;
    const resent = await w.c.claire.post("/admin/members", { intent: "resend", invitationId: sent.invitation.id, back: "/admin/members?status=invited" });
    expect(resent.location).toBe("/admin/members?status=invited");
    expect(await landing(w.c.claire, resent)).toContain("Un nouveau lien a été envoyé à nouvelle@exemple.fr");
    const mail = await w.smtp.waitForMail((m) => m.to.includes("nouvelle@exemple.fr") && w.smtp.messages.indexOf(m) >= from);
    const link = /\/invitations\/([A-Za-z0-9_-]+)/.exec(mail.text)?.[1];
    expect(link).toBeTruthy();
    expect(link).not.toBe(sent.secret);
    // The old link no longer opens the invitation: its hash was replaced.
    const renewed = await w.store.db.selectFrom("invitation").select("token_hash").where("id", "=", sent.invitation.id).executeTakeFirstOrThrow();
    expect(renewed.token_hash).not.toBe(sent.invitation.token_hash);
    expect((await auditRows("invitation_link_renewed"))[0]).toMatchObject({ actor_id: w.people.claire.id, space_id: w.spaces.club.id });

    // Waiting for a club admin: no link to resend.
    const early = await w.c.claire.post("/admin/members", { intent: "resend", invitationId: waiting.invitation.id });
    expect(await landing(w.c.claire, early)).toContain("attend encore l’approbation");

    const revoked = await w.c.claire.post("/admin/members", { intent: "revoke", invitationId: waiting.invitation.id });
    expect(await landing(w.c.claire, revoked)).toContain("L’invitation de attente@exemple.fr est révoquée");
    expect((await w.store.db.selectFrom("invitation").select("status").where("id", "=", waiting.invitation.id).executeTakeFirstOrThrow()).status).toBe("revoked");
    expect((await auditRows("invitation_revoked"))[0]).toMatchObject({ actor_id: w.people.claire.id, space_id: w.spaces.atelier.id });
    expect((await w.c.claire.post("/admin/members", { intent: "revoke", invitationId: "nosuchinvitation00" })).status).toBe(404);
    expect((await w.c.claire.post("/admin/members", { intent: "explode" })).status).toBe(400);
  });
});

describe("spaces", () => {
  test("storage against quota, members and activity; archive and unarchive, audited", async () => {
    // 3 MiB stored (two versions of one file, both counted as the quota counts them) of a 12 MiB quota: 25 %.
    const now = Date.now();
    const mib = 1024 * 1024;
    await w.store.db.updateTable("space").set({ storage_quota_bytes: 12 * mib }).where("id", "=", w.spaces.club.id).execute();
    await w.store.db
      .insertInto("file")
      .values({ id: "fileadmin000000001", space_id: w.spaces.club.id, folder_id: null, name: "Tarifs.pdf", name_key: "tarifs.pdf", version: 2, size: 2 * mib, content_type: "application/pdf", has_thumbnail: 0, created_by: w.people.lea.id, created_at: now, updated_by: w.people.lea.id, updated_at: now, deleted_at: null, deleted_by: null, trashed_with: null })
      .execute();
    for (const [n, size] of [[1, mib], [2, 2 * mib]] as const) {
      await w.store.db
        .insertInto("file_version")
        .values({ id: `fvadmin00000000${n}`, file_id: "fileadmin000000001", space_id: w.spaces.club.id, number: n, storage_key: `objects/fvadmin00000000${n}`, size, content_type: "application/pdf", sha256: "0".repeat(64), thumbnail_key: null, original_name: "Tarifs.pdf", uploaded_by: w.people.lea.id, created_at: now })
        .execute();
    }
    const page = pageText((await w.c.claire.get("/admin/spaces")).text);
    expect(page).toContain("Club Achats");
    expect(page).toContain("Atelier Bois");
    expect(page).toMatch(/Activité des 30 derniers jours/);
    const club = page.slice(page.indexOf("Club Achats"), page.indexOf("Club Achats") + 300);
    expect(club).toMatch(/3\s?Mo sur 12\s?Mo \(25\s?%\)/);
    expect(club).toContain("2 fichiers");
    const res = await w.c.claire.post("/admin/spaces", { intent: "archive", spaceId: w.spaces.atelier.id });
    expect(await landing(w.c.claire, res)).toContain("« Atelier Bois » est archivé");
    expect((await w.store.db.selectFrom("space").select("archived_at").where("id", "=", w.spaces.atelier.id).executeTakeFirstOrThrow()).archived_at).not.toBeNull();
    expect((await auditRows("space_archived"))[0]).toMatchObject({ actor_id: w.people.claire.id, space_id: w.spaces.atelier.id });
    const twice = await w.c.claire.post("/admin/spaces", { intent: "archive", spaceId: w.spaces.atelier.id });
    expect(await landing(w.c.claire, twice)).toContain("déjà archivé");
    expect(await auditRows("space_archived")).toHaveLength(1);
    const back = await w.c.claire.post("/admin/spaces", { intent: "unarchive", spaceId: w.spaces.atelier.id });
    expect(await landing(w.c.claire, back)).toContain("« Atelier Bois » est réactivé");
    expect((await auditRows("space_unarchived"))[0]).toMatchObject({ space_id: w.spaces.atelier.id });
    expect((await w.c.claire.post("/admin/spaces", { intent: "archive", spaceId: "nosuchspace0000000" })).status).toBe(404);
  });
});

describe("the network", () => {
  test("name, language and mail sender saved and audited; the sender is used; hostile values refused beside the field", async () => {
    const bad = await w.c.claire.post("/admin/network", { name: "Réseau", defaultLocale: "fr", mailFromName: "Evil\r\nBcc: x@y.z", mailFromAddress: "pas une adresse" });
    expect(bad.status).toBe(400);
    expect(pageText(bad.text)).toContain("Sans guillemets, chevrons ni retour à la ligne.");
    const res = await w.c.claire.post("/admin/network", { name: "Réseau des Achats", defaultLocale: "fr", mailFromName: "Réseau des Achats", mailFromAddress: "bonjour@achats.test" });
    expect(await landing(w.c.claire, res)).toContain("Les réglages du réseau sont enregistrés");
    const [entry] = await auditRows("network_updated");
    expect(JSON.parse(entry.data).changes.mailFromAddress).toEqual({ from: null, to: "bonjour@achats.test" });
    expect(pageText((await w.c.lea.get("/")).text)).toContain("Réseau des Achats");

    const now = Date.now();
    const inv = await createInvitation(w.store.db, { spaceId: w.spaces.club.id, email: "expediteur@exemple.fr", role: "member", message: "", sponsorId: w.people.lea.id, needsApproval: false, now });
    await w.c.claire.post("/admin/members", { intent: "resend", invitationId: inv.invitation.id });
    const mail = await w.smtp.waitForMail((m) => m.to.includes("expediteur@exemple.fr"));
    expect(mail.parsed.from?.value[0]).toEqual({ name: "Réseau des Achats", address: "bonjour@achats.test" });
    // Back to the deployment's MAIL_FROM.
    await w.c.claire.post("/admin/network", { name: "Réseau des Achats", defaultLocale: "fr", mailFromName: "", mailFromAddress: "" });
    expect((await w.store.db.selectFrom("network").select(["mail_from_name", "mail_from_address"]).executeTakeFirstOrThrow())).toEqual({ mail_from_name: null, mail_from_address: null });
  });
});

test("the backups: none recorded, then the last verified one with its size, then a failure after it, with its reason", async () => {
  const text = async () => pageText((await w.c.claire.get("/admin/network")).text);
  expect(await text()).toContain("Aucune sauvegarde réussie n’est enregistrée.");
  // The server runs without BACKUP_DIR: nothing is scheduled, and the page says how to take one by hand.
  expect(await text()).toContain("Aucune sauvegarde programmée");
  const at = Date.UTC(2026, 11, 6, 2, 0);
  await recordBackup(w.store.db, { trigger: "cli", started_at: at - 60_000, finished_at: at, ok: true, location: "/backups/cercle-20261206-020000", database_bytes: 1_048_576, object_count: 12, object_bytes: 1_048_576, error: null });
  const ok = await text();
  expect(ok).toContain("Dernière sauvegarde réussie et vérifiée");
  expect(ok).toContain("12 fichiers, 2 Mo");
  expect(ok).not.toContain("a échoué");
  await recordBackup(w.store.db, { trigger: "schedule", started_at: at + 3_600_000, finished_at: at + 3_600_500, ok: false, location: "/backups/x.failed", database_bytes: null, object_count: null, object_bytes: null, error: "spaces/x/y: missing from storage" });
  expect(await text()).toContain("a échoué : spaces/x/y: missing from storage");
});

describe("the network's logo", () => {
  /** A multipart post as the browser sends it, with Claire's session. */
  const upload = (body: FormData) =>
    fetch(new URL("/admin/network/logo", w.server.url), {
      method: "POST",
      body,
      redirect: "manual",
      headers: { Cookie: [...w.c.claire.cookies].map(([k, v]) => `${k}=${v}`).join("; "), Origin: new URL(w.server.url).origin, "Sec-Fetch-Site": "same-origin" },
    });

  test("an image becomes the header's logo (WebP, resized), served to anyone; a non-image is refused; removed again; audited", async () => {
    const { default: sharp } = await import("sharp");
    const png = await sharp({ create: { width: 800, height: 200, channels: 4, background: "#1e3a8a" } }).png().toBuffer();
    const form = new FormData();
    form.append("logo", new Blob([new Uint8Array(png)], { type: "image/png" }), "logo.png");
    const res = await upload(form);
    expect(res.status).toBe(302);
    const { logo_key } = await w.store.db.selectFrom("network").select("logo_key").executeTakeFirstOrThrow();
    expect(logo_key).toMatch(/^network\/logo-[a-z0-9]+\.webp$/);
    const address = `/network/logo/${/logo-([a-z0-9]+)\.webp$/.exec(logo_key!)![1]}`;
    expect((await w.c.lea.get("/")).text).toContain(`src="${address}"`);
    // The sign-in page shows it too: served to a visitor.
    expect((await w.anonymous.get("/login")).text).toContain(`src="${address}"`);
    const image = await fetch(new URL(address, w.server.url));
    expect(image.status).toBe(200);
    expect(image.headers.get("content-type")).toBe("image/webp");
    const meta = await sharp(Buffer.from(await image.arrayBuffer())).metadata();
    expect(meta).toMatchObject({ format: "webp", width: 256, height: 64 });
    expect((await w.anonymous.get("/network/logo/nosuchlogo00000001")).status).toBe(404);
    expect(JSON.parse((await auditRows("network_updated"))[0].data).changes.logo).toEqual({ from: null, to: logo_key });

    const html = new FormData();
    html.append("logo", new Blob(["<svg onload=alert(1)></svg>"], { type: "image/svg+xml" }), "logo.svg");
    const refused = await upload(html);
    expect(refused.status).toBe(302);
    // The flash rides on the answer's cookie: handed to Claire's client, as her browser would keep it.
    for (const line of refused.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const at = pair.indexOf("=");
      w.c.claire.setCookie(pair.slice(0, at), pair.slice(at + 1));
    }
    expect(pageText((await w.c.claire.get(refused.headers.get("location")!)).text)).toContain("n’est pas une image JPEG, PNG ou WebP");
    expect((await w.store.db.selectFrom("network").select("logo_key").executeTakeFirstOrThrow()).logo_key).toBe(logo_key);

    const removal = new FormData();
    removal.append("intent", "remove");
    expect((await upload(removal)).status).toBe(302);
    expect((await w.store.db.selectFrom("network").select("logo_key").executeTakeFirstOrThrow()).logo_key).toBeNull();
    expect((await fetch(new URL(address, w.server.url))).status).toBe(404);
    expect((await w.c.lea.post("/admin/network/logo", { intent: "remove" })).status).toBe(403);
  });
});

describe("the audit log as CSV", () => {
  test("RFC 4180 with a BOM, hostile cells defused, every entry across batches, the export audited", async () => {
    // Eve's name is a formula with a comma and quotes; an entry names her as its target.
    const res = await w.c.claire.post(`/admin/members/${w.people.eve.id}`, { intent: "deactivate" });
    expect(res.status).toBe(302);
    // More than two batches of entries, some sharing a millisecond (the cursor is time and id).
    const at = Date.now() - 60_000;
    for (let i = 0; i < EXPORT_BATCH * 2 + 7; i++) {
      await audit(w.store.db, { event: "sign_in_failed", actorId: null, ip: "+33 1\n2", data: { email: `@bulk${i}\r\n"x"` }, now: at - Math.floor(i / 3) });
    }
    const total = Number((await w.store.db.selectFrom("audit_log").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n);

    const csv = await w.c.claire.get("/admin/audit.csv");
    expect(csv.status).toBe(200);
    expect(csv.headers["content-type"]).toBe("text/csv; charset=utf-8");
    expect(csv.headers["content-disposition"]).toMatch(/^attachment; filename="cercle-journal-\d{4}-\d{2}-\d{2}\.csv"/);
    expect(csv.text.charCodeAt(0)).toBe(0xfeff);
    expect(csv.text).toContain("\r\n");
    const rows: string[][] = parse(csv.text, { bom: true, relax_column_count: false });
    expect(rows[0]).toEqual([...AUDIT_CSV_HEADER]);
    const body = rows.slice(1);
    // Every entry present before the export, once (the export's own entry comes first, newest).
    expect(body.length).toBe(total + 1);
    expect(body[0][1]).toBe("audit_exported");
    const deactivated = body.find((r) => r[1] === "account_deactivated" && r[5].includes("HYPERLINK"))!;
    expect(deactivated[2]).toBe("Compte désactivé");
    expect(deactivated[3]).toBe("Claire Réseau");
    expect(deactivated[5]).toBe(`'${HOSTILE}`);
    const bulk = body.filter((r) => r[1] === "sign_in_failed" && r[8].includes("bulk"));
    expect(bulk).toHaveLength(EXPORT_BATCH * 2 + 7);
    expect(bulk[0][7]).toBe("'+33 1\n2");
    expect(JSON.parse(bulk[0][8]).email).toMatch(/^@bulk\d+\r\n"x"$/);
    for (const r of body) for (const cell of r) expect(cell).not.toMatch(/^[=+\-@]/);
    expect((await auditRows("audit_exported"))[0]).toMatchObject({ actor_id: w.people.claire.id });

    // The page's filter applies.
    const only = parse((await w.c.claire.get("/admin/audit.csv?event=account_reactivated")).text, { bom: true }) as string[][];
    expect(only.slice(1).map((r) => r[1])).toEqual(["account_reactivated", "account_reactivated"]);
  }, 60_000);
});
