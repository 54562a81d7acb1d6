import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import Database from "better-sqlite3";
import { afterAll, expect, test } from "vitest";
import { signIn } from "#tests/factories.ts";
import { client, pageText } from "#tests/helpers/http.ts";
import { startServer } from "#tests/helpers/server.ts";

// `npm run demo` is the first impression: it runs as a user runs it, in its
// own process on an empty data folder, and the network it loads is there.
const dataDir = mkdtempSync(path.join(os.tmpdir(), "cercle-demo-"));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

function runDemo() {
  const root = path.resolve(import.meta.dirname, "../..");
  return promisify(execFile)(process.execPath, [path.join(root, "node_modules/tsx/dist/cli.mjs"), "server/demo.ts"], {
    cwd: root,
    // A user's environment, not Vitest's (which sets BASE_URL to "/").
    env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: "production", DATA_DIR: dataDir },
    timeout: 120_000,
  });
}

const CLAIRE = "claire.martin@conseil-associes.example";
const JULIEN = "julien.moreau@conseil-associes.example";

test("npm run demo loads the demo network into an empty data folder and says how to sign in", async () => {
  const { stdout } = await runDemo();
  expect(stdout).toContain("Demo network loaded");
  expect(stdout).toContain("claire.martin@conseil-associes.example");
  // The link Julien shared, to open as his client would.
  expect(stdout).toMatch(/open http:\/\/[^ ]+\/s\/[a-z0-9]{32}\n/);
  const db = new Database(path.join(dataDir, "cercle.db"), { readonly: true });
  try {
    const count = (table: string) => (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
    expect(count("space")).toBeGreaterThanOrEqual(4);
    expect(count("user")).toBeGreaterThanOrEqual(12);
    expect(count("page")).toBeGreaterThan(0);
    // A member's upload left half-sent: its row says how far it got, and those bytes are in storage.
    const uploads = db.prepare("SELECT id, name, size, received, finished_file_id FROM upload").all() as Array<{ id: string; name: string; size: number; received: number; finished_file_id: string | null }>;
    // The demo's other files came through uploads too: each of those is finished, whole, and a file.
    const finished = uploads.filter((u) => u.finished_file_id !== null);
    for (const u of finished) {
      expect(u.received).toBe(u.size);
      expect(db.prepare("SELECT id FROM file WHERE id = ?").get(u.finished_file_id)).toBeDefined();
    }
    const unfinished = uploads.filter((u) => u.finished_file_id === null);
    expect(unfinished).toHaveLength(1);
    const [upload] = unfinished;
    expect(upload.finished_file_id).toBeNull();
    expect(upload.received).toBeGreaterThan(0);
    expect(upload.received).toBeLessThan(upload.size);
    expect(statSync(path.join(dataDir, "files", upload.id)).size).toBe(upload.received);
    uploaded = upload;
  } finally {
    db.close();
  }
}, 150_000);

let uploaded: { name: string; size: number; received: number } | undefined;

/** Rows of a read-only look at the demo's database. */
function look<T>(sql: string, ...params: unknown[]): T[] {
  const db = new Database(path.join(dataDir, "cercle.db"), { readonly: true });
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}
const one = (sql: string, ...params: unknown[]) => look<{ n: number }>(sql, ...params)[0].n;

test("the demo shows every capability built so far, with its history in the past weeks", () => {
  const now = Date.now();
  const DAY = 24 * 60 * 60 * 1000;
  // Spaces of every visibility, members of every role.
  expect(look<{ visibility: string }>("SELECT DISTINCT visibility FROM space").map((r) => r.visibility).sort()).toEqual(["listed", "open", "secret"]);
  expect(look<{ role: string }>("SELECT DISTINCT role FROM space_member").map((r) => r.role).sort()).toEqual(["admin", "editor", "guest", "member"]);
  // Co-optation under way: one waiting for an admin, one join request, invitations sent and not yet taken, one taken.
  expect(one("SELECT count(*) AS n FROM invitation WHERE status = 'pending_approval'")).toBeGreaterThanOrEqual(1);
  expect(one("SELECT count(*) AS n FROM join_request WHERE status = 'pending'")).toBeGreaterThanOrEqual(1);
  expect(one("SELECT count(*) AS n FROM invitation WHERE status = 'sent'")).toBeGreaterThanOrEqual(1);
  expect(one("SELECT count(*) AS n FROM invitation WHERE status = 'accepted'")).toBeGreaterThanOrEqual(1);

  // Wiki: a page revised by several people, links between pages, a page showing an image of the space's files.
  expect(one("SELECT max(n) AS n FROM (SELECT count(DISTINCT author_id) AS n FROM page_revision GROUP BY page_id)")).toBeGreaterThanOrEqual(2);
  expect(one("SELECT count(*) AS n FROM page_link")).toBeGreaterThanOrEqual(3);
  expect(one("SELECT count(*) AS n FROM page_file pf JOIN file f ON f.id = pf.file_id WHERE f.content_type LIKE 'image/%'")).toBeGreaterThanOrEqual(1);

  // Articles: published ones with covers, one open to the network, one scheduled for later by Claire, a draft.
  expect(one("SELECT count(*) AS n FROM post WHERE state = 'published' AND cover_file_id IS NOT NULL AND deleted_at IS NULL")).toBeGreaterThanOrEqual(4);
  expect(one("SELECT count(*) AS n FROM post WHERE state = 'published' AND visibility = 'network'")).toBeGreaterThanOrEqual(1);
  const scheduled = look<{ publish_at: number; email: string }>("SELECT p.publish_at, u.email FROM post p JOIN user u ON u.id = p.author_id WHERE p.state = 'scheduled'");
  expect(scheduled).toHaveLength(1);
  expect(scheduled[0].publish_at).toBeGreaterThan(now);
  expect(scheduled[0].email).toBe(CLAIRE);
  expect(one("SELECT count(*) AS n FROM post WHERE state = 'draft'")).toBeGreaterThanOrEqual(1);

  // Comments: threads with replies and mentions, on articles and on a wiki page.
  expect(one("SELECT count(*) AS n FROM comment WHERE parent_id IS NOT NULL")).toBeGreaterThanOrEqual(3);
  expect(one("SELECT count(DISTINCT comment_id) AS n FROM comment_mention")).toBeGreaterThanOrEqual(4);
  expect(one("SELECT count(*) AS n FROM comment WHERE page_id IS NOT NULL")).toBeGreaterThanOrEqual(1);

  // Files: folders, images with their thumbnails stored, a PDF, a file with three versions, one in the trash.
  expect(one("SELECT count(*) AS n FROM folder WHERE parent_id IS NOT NULL")).toBeGreaterThanOrEqual(1);
  const thumbnails = look<{ thumbnail_key: string }>("SELECT v.thumbnail_key FROM file f JOIN file_version v ON v.file_id = f.id AND v.number = f.version WHERE f.has_thumbnail = 1 AND f.deleted_at IS NULL");
  expect(thumbnails.length).toBeGreaterThanOrEqual(5);
  for (const t of thumbnails) expect(statSync(path.join(dataDir, "files", t.thumbnail_key)).size).toBeGreaterThan(0);
  expect(one("SELECT count(*) AS n FROM file WHERE content_type = 'application/pdf'")).toBeGreaterThanOrEqual(1);
  expect(one("SELECT max(version) AS n FROM file")).toBeGreaterThanOrEqual(3);
  expect(one("SELECT count(*) AS n FROM file WHERE deleted_at IS NOT NULL")).toBeGreaterThanOrEqual(1);

  // Claire, who signs in first, has unread mentions and replies waiting; their mails are in the outbox.
  const kinds = look<{ kind: string; n: number }>(
    "SELECT n.kind, count(*) AS n FROM notification n JOIN user u ON u.id = n.user_id WHERE u.email = ? AND n.read_at IS NULL GROUP BY n.kind ORDER BY n.kind",
    CLAIRE,
  );
  // Answers to the ask she posted in the HR club come as "askAnswer"; the workshops others scheduled in her clubs are announced;
  // the co-optation waiting in the club she runs is a decision for her.
  expect(kinds.map((k) => k.kind)).toEqual(["approvalWaiting", "askAnswer", "mention", "reply", "workshopAnnounced"]);
  expect(kinds.reduce((sum, k) => sum + k.n, 0)).toBeGreaterThanOrEqual(4);
  expect(one("SELECT count(*) AS n FROM mail_outbox WHERE state = 'pending'")).toBeGreaterThan(0);

  // Digests: Amélie's weekly one is queued with this week's news, its mail composed when it goes; Julien takes his daily,
  // with comments on his writing and new workshops gathered in it.
  const digests = look<{ email: string; items: number; mails: number }>(
    "SELECT u.email, d.items, (SELECT count(*) FROM mail_outbox o WHERE o.digest_id = d.id AND o.state = 'pending' AND o.payload IS NULL) AS mails FROM digest d JOIN user u ON u.id = d.user_id",
  );
  expect(digests).toEqual([{ email: "amelie.perrin@conseil-associes.example", items: expect.any(Number), mails: 1 }]);
  expect(digests[0]!.items).toBeGreaterThanOrEqual(3);
  expect(look("SELECT digest_frequency FROM user WHERE email = ?", JULIEN)).toEqual([{ digest_frequency: "daily" }]);
  // Julien's data export, built by the job: ready, its zip in storage (issue 19).
  const exports = look<{ email: string; state: string; storage_key: string; files: number }>("SELECT u.email, e.state, e.storage_key, e.files FROM data_export e JOIN user u ON u.id = e.user_id");
  expect(exports).toEqual([{ email: JULIEN, state: "ready", storage_key: expect.stringMatching(/^exports\//), files: expect.any(Number) }]);
  expect(exports[0].files).toBeGreaterThan(0);
  expect(statSync(path.join(dataDir, "files", exports[0].storage_key)).size).toBeGreaterThan(1000);
  expect(look<{ kind: string; delivery: string }>("SELECT c.kind, c.delivery FROM notification_choice c JOIN user u ON u.id = c.user_id WHERE u.email = ? AND c.delivery = 'digest' ORDER BY c.kind", JULIEN)).toEqual([
    { kind: "commentOnMine", delivery: "digest" },
    { kind: "workshopAnnounced", delivery: "digest" },
  ]);

  // Share links (issue 19): the purchasing club allows them; Julien's page link was opened three times, Sophie's PDF
  // link not yet; both live, and only their hashes are stored (the printed link's token is in no column).
  expect(look("SELECT slug FROM space WHERE share_links = 1")).toEqual([{ slug: "club-achats" }]);
  const links = look<{ kind: string; email: string; open_count: number; token_hash: string }>(
    "SELECT l.kind, u.email, l.open_count, l.token_hash FROM share_link l JOIN user u ON u.id = l.created_by WHERE l.revoked_at IS NULL AND l.expires_at > ? ORDER BY l.kind",
    now,
  );
  expect(links.map(({ kind, email, open_count }) => ({ kind, email, open_count }))).toEqual([
    { kind: "file", email: "sophie.lefevre@conseil-associes.example", open_count: 0 },
    { kind: "page", email: JULIEN, open_count: 3 },
  ]);
  expect(links.every((l) => /^[0-9a-f]{64}$/.test(l.token_hash))).toBe(true);
  expect(one("SELECT count(*) AS n FROM audit_log WHERE event = 'share_link_opened'")).toBe(3);

  // Workshops: two held weeks ago, upcoming ones in two spaces; one full, with a waitlist in arrival order.
  expect(one("SELECT count(*) AS n FROM workshop WHERE state = 'scheduled' AND ends_at < ?", now)).toBeGreaterThanOrEqual(2);
  expect(one("SELECT count(DISTINCT space_id) AS n FROM workshop WHERE state = 'scheduled' AND starts_at > ?", now)).toBeGreaterThanOrEqual(2);
  const full = look<{ capacity: number; going: number; waiting: number }>(
    "SELECT w.capacity, sum(r.status = 'going') AS going, sum(r.status = 'waiting') AS waiting FROM workshop w JOIN workshop_registration r ON r.workshop_id = w.id WHERE w.capacity IS NOT NULL AND w.starts_at > ? GROUP BY w.id HAVING waiting > 0",
    now,
  );
  expect(full).toHaveLength(1);
  expect(full[0].going).toBe(full[0].capacity);
  expect(one("SELECT count(*) AS n FROM workshop WHERE video_url IS NOT NULL AND place IS NULL")).toBeGreaterThanOrEqual(1);
  // One opened to the whole network (from a space that may), one cancelled with its reason, a member's proposal waiting.
  expect(one("SELECT count(*) AS n FROM workshop w JOIN space s ON s.id = w.space_id WHERE w.visibility = 'network' AND s.visibility != 'secret' AND w.starts_at > ?", now)).toBe(1);
  expect(one("SELECT count(*) AS n FROM workshop WHERE state = 'cancelled' AND length(cancel_reason) > 20")).toBe(1);
  expect(one("SELECT count(*) AS n FROM workshop WHERE state = 'proposed' AND proposed_by IS NOT NULL")).toBe(1);
  // Covers from the spaces' own images.
  expect(one("SELECT count(*) AS n FROM workshop w JOIN file f ON f.id = w.cover_file_id AND f.space_id = w.space_id WHERE f.content_type LIKE 'image/%'")).toBeGreaterThanOrEqual(3);
  // A past one followed up: its supports (one shared with the network), who came (one walked in), its notes page.
  const held = look<{ materials: number; shared: number; came: number; walkIns: number; notes: string | null }>(
    "SELECT (SELECT count(*) FROM workshop_material m WHERE m.workshop_id = w.id) AS materials, (SELECT count(*) FROM workshop_material m WHERE m.workshop_id = w.id AND m.shared = 1) AS shared, (SELECT count(*) FROM workshop_attendance a WHERE a.workshop_id = w.id) AS came, (SELECT count(*) FROM workshop_attendance a WHERE a.workshop_id = w.id AND a.walk_in = 1) AS walkIns, p.title AS notes FROM workshop w JOIN page p ON p.id = w.notes_page_id WHERE w.ends_at < ? AND w.attendance_recorded_at IS NOT NULL",
    now,
  );
  expect(held).toHaveLength(1);
  expect(held[0]).toMatchObject({ materials: 3, shared: 1, came: 5, walkIns: 1 });
  expect(held[0].notes).toMatch(/^Atelier négociation/);

  // The admin console (issue 20): a member deactivated by Claire, audited; last sign-ins spread over the weeks.
  const deactivated = look<{ display_name: string; by: string }>("SELECT u.display_name, b.email AS by FROM user u JOIN user b ON b.id = u.deactivated_by WHERE u.deactivated_at IS NOT NULL");
  expect(deactivated).toEqual([{ display_name: "Éric Vasseur", by: CLAIRE }]);
  expect(one("SELECT count(*) AS n FROM audit_log WHERE event = 'account_deactivated'")).toBe(1);
  expect(one("SELECT count(*) AS n FROM user WHERE last_sign_in_at < ?", now - 30 * DAY)).toBeGreaterThanOrEqual(1);
  // Second factors: members with an authenticator and their ten recovery codes, some used; never the two printed logins
  // (they sign in with the password alone), and the network does not require one. Sophie's was reset by Claire, then set
  // up anew; every such act audited in the past weeks.
  const factors = look<{ email: string; left: number; used: number }>(
    "SELECT u.email, sum(r.used_at IS NULL) AS left, sum(r.used_at IS NOT NULL) AS used FROM totp_factor t JOIN user u ON u.id = t.user_id JOIN recovery_code r ON r.user_id = u.id WHERE t.confirmed_at IS NOT NULL GROUP BY u.id",
  );
  expect(factors.length).toBeGreaterThanOrEqual(4);
  expect(factors.map((f) => f.email)).not.toContain(CLAIRE);
  expect(factors.map((f) => f.email)).not.toContain(JULIEN);
  for (const f of factors) expect(f.left + f.used, f.email).toBe(10);
  expect(factors.filter((f) => f.used > 0).length).toBeGreaterThanOrEqual(2);
  expect(one("SELECT second_factor_required AS n FROM network")).toBe(0);
  expect(look("SELECT b.email AS by, t.email AS target FROM audit_log a JOIN user b ON b.id = a.actor_id JOIN user t ON t.id = a.target_user_id WHERE a.event = 'second_factor_reset'")).toEqual([
    { by: CLAIRE, target: "sophie.lefevre@conseil-associes.example" },
  ]);
  expect(one("SELECT count(*) AS n FROM audit_log WHERE event = 'second_factor_enabled'")).toBe(factors.length + 1);
  expect(one("SELECT count(*) AS n FROM audit_log WHERE event = 'recovery_code_used'")).toBe(factors.reduce((sum, f) => sum + f.used, 0));
  const factorTimes = look<{ t: number }>("SELECT created_at AS t FROM audit_log WHERE event IN ('second_factor_enabled', 'second_factor_reset', 'recovery_code_used', 'second_factor_failed')").map((r) => r.t);
  expect(Math.max(...factorTimes)).toBeLessThan(now - DAY);
  expect(Math.min(...factorTimes)).toBeGreaterThan(now - 60 * DAY);
  // The network's logo, through the console's upload path: stored as WebP, its change audited.
  const [{ logo_key: logoKey }] = look<{ logo_key: string }>("SELECT logo_key FROM network");
  expect(logoKey).toMatch(/^network\/logo-[a-z0-9]+\.webp$/);
  const logo = readFileSync(path.join(dataDir, "files", logoKey));
  expect(logo.subarray(0, 4).toString("latin1") + logo.subarray(8, 12).toString("latin1")).toBe("RIFFWEBP");
  expect(one("SELECT count(*) AS n FROM audit_log WHERE event = 'network_updated' AND data LIKE '%\"logo\"%'")).toBe(1);
  // A real backup taken last, recorded as a success, its verified snapshot in DATA_DIR/backups.
  const runs = look<{ ok: number; location: string; object_count: number }>("SELECT ok, location, object_count FROM backup_run");
  expect(runs).toHaveLength(1);
  expect(runs[0].ok).toBe(1);
  expect(path.dirname(runs[0].location)).toBe(path.join(dataDir, "backups"));
  const manifest = JSON.parse(readFileSync(path.join(runs[0].location, "manifest.json"), "utf8")) as { objects: { count: number } };
  expect(manifest.objects.count).toBe(runs[0].object_count);
  expect(manifest.objects.count).toBeGreaterThan(10);

  // Dated as members did it, over the past weeks, never in the future.
  const times = look<{ t: number }>("SELECT created_at AS t FROM comment UNION ALL SELECT created_at FROM file UNION ALL SELECT created_at FROM page_revision UNION ALL SELECT published_at FROM post WHERE published_at IS NOT NULL").map((r) => r.t);
  expect(Math.max(...times)).toBeLessThanOrEqual(now);
  expect(Math.min(...times)).toBeLessThan(now - 21 * DAY);
});

test("the demo's asks and conversations: network asks answered across clubs, thanks, a contact request waiting", () => {
  const now = Date.now();
  // Asks of every kind; some to the whole network, answered by members outside their club.
  expect(look<{ kind: string }>("SELECT DISTINCT kind FROM ask").map((r) => r.kind).sort()).toEqual(["expert", "introduction", "opportunity", "question"]);
  expect(one("SELECT count(*) AS n FROM ask WHERE audience = 'network'")).toBeGreaterThanOrEqual(2);
  expect(
    one(
      "SELECT count(*) AS n FROM comment c JOIN ask a ON a.id = c.ask_id WHERE a.audience = 'network' AND NOT EXISTS (SELECT 1 FROM space_member m WHERE m.space_id = a.space_id AND m.user_id = c.author_id)",
    ),
  ).toBeGreaterThanOrEqual(1);
  // Resolved with thanks (a profile counts them), one closed by its deadline, none from a secret club to the network.
  expect(one("SELECT count(*) AS n FROM ask WHERE resolved_at IS NOT NULL")).toBeGreaterThanOrEqual(2);
  expect(one("SELECT count(*) AS n FROM ask_thanks")).toBeGreaterThanOrEqual(2);
  // Leaving (issue 19): a former member, deleted with his comments anonymised (no author, no name left), and a deletion still pending.
  expect(one("SELECT count(*) AS n FROM user WHERE deleted_at IS NOT NULL AND display_name = '' AND email LIKE '%.invalid'")).toBe(1);
  expect(one("SELECT count(*) AS n FROM comment c JOIN page p ON p.id = c.page_id WHERE p.slug = 'matrice-de-kraljic' AND c.author_id IS NULL AND c.deleted_at IS NULL")).toBe(2);
  expect(one("SELECT count(*) AS n FROM user WHERE deletion_due_at > ? AND deleted_at IS NULL", now)).toBe(1);
  expect(one("SELECT count(*) AS n FROM ask WHERE resolved_at IS NULL AND closes_at < ?", now)).toBeGreaterThanOrEqual(1);
  expect(one("SELECT count(*) AS n FROM ask a JOIN space s ON s.id = a.space_id WHERE a.audience = 'network' AND s.visibility = 'secret'")).toBe(0);
  // Conversations of two and of three; Julien has one unread and a contact request to answer.
  expect(one("SELECT max(n) AS n FROM (SELECT count(*) AS n FROM conversation_member GROUP BY conversation_id)")).toBeGreaterThanOrEqual(3);
  expect(one("SELECT count(*) AS n FROM contact_request r JOIN user u ON u.id = r.to_id WHERE u.email = ? AND r.state = 'pending'", JULIEN)).toBe(1);
  expect(one("SELECT count(*) AS n FROM contact_request WHERE state = 'accepted'")).toBeGreaterThanOrEqual(1);
  expect(
    one(
      "SELECT count(*) AS n FROM conversation_member cm JOIN user u ON u.id = cm.user_id WHERE u.email = ? AND EXISTS (SELECT 1 FROM message m WHERE m.conversation_id = cm.conversation_id AND m.created_at > cm.last_read_at AND m.author_id <> cm.user_id)",
      JULIEN,
    ),
  ).toBeGreaterThanOrEqual(2);
});

test("every demo member has a profile, and a few chose other audiences than the defaults", () => {
  const people = look<{ email: string; headline: string; bio: string; bio_html: string; region: string; city: string; skills: string; professional_status: string | null; languages: string }>(
    // A former member (issue 19) keeps no profile.
    "SELECT email, headline, bio, bio_html, region, city, skills, professional_status, languages FROM user WHERE deleted_at IS NULL",
  );
  expect(people.length).toBeGreaterThanOrEqual(13);
  for (const p of people) {
    expect(p.headline, p.email).not.toBe("");
    expect(JSON.parse(p.bio).root.children.length, p.email).toBeGreaterThan(0);
    expect(p.bio_html, p.email).toMatch(/^<p/);
    expect(p.region, p.email).not.toBe("");
    expect(p.city, p.email).not.toBe("");
    expect(p.professional_status, p.email).not.toBeNull();
    expect(JSON.parse(p.skills).length, p.email).toBeGreaterThanOrEqual(4);
    expect(JSON.parse(p.languages), p.email).toContain("fr");
  }
  // One skill, several spellings, one key: the skill facet counts them together.
  const spellings = look<{ label: string }>("SELECT label FROM user_skill WHERE skill_key = 'negociation'").map((r) => r.label);
  expect(spellings.length).toBeGreaterThanOrEqual(4);
  expect(new Set(spellings).size).toBeGreaterThanOrEqual(3);
  // Formatting and a link in the bios, as the comment editor allows.
  expect(one("SELECT count(*) AS n FROM user WHERE bio_html LIKE '%<strong%'")).toBeGreaterThanOrEqual(1);
  expect(one("SELECT count(*) AS n FROM user WHERE bio_html LIKE '%<em%'")).toBeGreaterThanOrEqual(1);
  expect(one("SELECT count(*) AS n FROM user WHERE bio_html LIKE '%<a href=\"https://%'")).toBeGreaterThanOrEqual(1);
  // The audiences the directory and "see my profile as…" show.
  expect(one("SELECT count(*) AS n FROM user WHERE listing = 'clubs'")).toBe(1);
  expect(one("SELECT count(*) AS n FROM user WHERE vis_city = 'me'")).toBe(1);
  expect(one("SELECT count(*) AS n FROM user WHERE vis_email = 'clubs'")).toBe(1);
  expect(one("SELECT count(*) AS n FROM user WHERE vis_bio = 'me'")).toBe(1);
  expect(one("SELECT count(*) AS n FROM user WHERE available_from IS NOT NULL")).toBeGreaterThanOrEqual(1);
  expect(one("SELECT count(*) AS n FROM user WHERE open_to != 0")).toBe(people.length);
  expect(one("SELECT count(*) AS n FROM user WHERE website LIKE 'https://%' OR linkedin LIKE 'https://%'")).toBeGreaterThanOrEqual(6);
});

test("a second npm run demo refuses the loaded database and changes nothing", async () => {
  const tables = ["user", "space", "space_member", "invitation", "page_revision", "post", "comment", "file_version", "notification", "mail_outbox"];
  const before = tables.map((t) => one(`SELECT count(*) AS n FROM ${t}`));
  const again = await runDemo().then(
    () => ({ code: 0, stderr: "" }),
    (error: { code: number; stderr: string }) => error,
  );
  expect(again.code).not.toBe(0);
  expect(again.stderr).toContain("already has accounts");
  expect(tables.map((t) => one(`SELECT count(*) AS n FROM ${t}`))).toEqual(before);
}, 150_000);

test("the club's admins see that upload under way, on the page where they may cancel it; Claire finds her notifications and scheduled article", async () => {
  expect(uploaded).toBeDefined();
  const server = await startServer({ env: { DATA_DIR: dataDir } });
  try {
    const admin = client(server.url);
    await signIn(admin, "claire.martin@conseil-associes.example", "cercle-demo-2026");
    const page = await admin.get("/spaces/club-achats/files/in-progress");
    expect(page.status).toBe(200);
    const text = pageText(page.text);
    expect(text).toContain(uploaded!.name);
    expect(text).toContain("Julien Moreau");
    expect(page.text).toContain('value="cancel-upload"');

    // What Claire finds at her first sign-in: mentions and replies waiting, her article scheduled.
    // The former member's comments read "Ancien membre", the answer to them stays under them.
    const kraljic = pageText((await admin.get("/spaces/club-achats/wiki/matrice-de-kraljic")).text);
    expect(kraljic).toContain("Ancien membre");
    expect(kraljic).toContain("je classe l'emballage carton");
    expect(kraljic).not.toContain("Bernard Lemoine");
    const notifications = pageText((await admin.get("/notifications")).text);
    expect(notifications).toContain("vous a mentionné");
    expect(notifications).toContain("a répondu à votre commentaire");
    const blog = pageText((await admin.get("/spaces/club-achats/blog")).text);
    expect(blog).toContain("Rencontre annuelle du club");
    expect(blog).toContain("Programmé pour le");
    // The trash keeps what was put there this week, through the server's start (its housekeeping purges after 30 days).
    expect(pageText((await admin.get("/spaces/club-achats/files/trash")).text)).toContain("Compte rendu négociation (brouillon).txt");
    // Not out yet: a member who is not its author does not see it.
    const member = client(server.url);
    await signIn(member, "julien.moreau@conseil-associes.example", "cercle-demo-2026");
    expect(pageText((await member.get("/spaces/club-achats/blog")).text)).not.toContain("Rencontre annuelle du club");

    // Julien's home: his clubs' news across clubs, what came since his visit two days ago marked
    // new above the line where he is up to date, the contact request and the mention waiting.
    const home = await member.get("/");
    expect(home.status).toBe(200);
    const news = pageText(home.text);
    expect(news).toContain("Quoi de neuf");
    expect(news).toContain("Club Achats & Supply Chain");
    expect(news).toContain("Cercle Lyon Auvergne-Rhône-Alpes");
    expect(news).toContain("Nouveau");
    expect(news).toMatch(/Vous êtes à jour : la suite date d’avant votre dernière visite/);
    expect(news).toContain("Lucas Mercier souhaite vous écrire");
    expect(news).toContain("vous a mentionné");

    // Claire's console (issue 20): the members with a second factor (not the printed logins), the backup the demo took.
    const withFactor = pageText((await admin.get("/admin/members?2fa=on")).text);
    expect(withFactor).toContain("Sophie Lefèvre");
    expect(withFactor).toContain("Karim Benali");
    expect(withFactor).not.toContain("Julien Moreau");
    expect(pageText((await admin.get("/admin/network")).text)).toContain("Dernière sauvegarde réussie et vérifiée");
    const health = JSON.parse((await admin.get("/healthz?details")).text) as { backup: { lastSuccessAt: string | null; lastFailureAt: string | null } };
    expect(health.backup.lastSuccessAt).not.toBeNull();
    expect(health.backup.lastFailureAt).toBeNull();
  } finally {
    await server.close();
  }
}, 60_000);

