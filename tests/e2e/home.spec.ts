import { spawn } from "node:child_process";
import path from "node:path";
import { MIN_GAP_MS } from "../../app/digests/schedule.ts";
import { openDatabase, type OpenedDatabase } from "../../db/client.ts";
import { newId } from "../../db/ids.ts";
import { insertAsk } from "../../db/queries/asks.ts";
import { insertComment } from "../../db/queries/comments.ts";
import { createPost, setPostState } from "../../db/queries/posts.ts";
import { textDoc } from "../helpers/lexical.ts";
import { expect, hydrated, signIn, test } from "./fixtures.ts";
import { newPage } from "./clubs.ts";
import { screenshotSeries, waitForMail } from "./support.ts";

/**
 * The home (issue 18), as Claire meets it after the journey: she belongs to
 * the secret "Club Achats & Supply Chain" and to "Cercle Lyon". Since her
 * last visit, Paul published an article in Lyon, Julien scheduled a workshop
 * in the purchasing club and asked for help in her region, and Isabelle
 * answered him. Signing in lands on "Quoi de neuf": the three, from the two
 * clubs, marked new; narrowed to Lyon, only Lyon's. Then, in her settings,
 * she sets the purchasing club to "only what concerns me"; the choice stays.
 * On a desktop and on a phone; screenshots looked at.
 *
 * A workshop in the past and an article "published two hours ago" cannot be
 * made through the app: they are put in the database, as the demo does.
 */

test.describe.configure({ mode: "serial" });

const ACHATS = "club-achats-supply-chain";
const LYON = "cercle-lyon";
const ARTICLE = "Retour sur la matinée export à la CCI de Lyon";
const WORKSHOP = "Atelier S&OP : prévoir la demande à deux";
const ASK = "Qui connaît un transporteur frigorifique fiable autour de Grenoble ?";
const HOUR = 3_600_000;

const snap = screenshotSeries("home");
let store: OpenedDatabase;
/** When the spec arranged Claire's news: what came after is new to her. */
let arranged: number;

const body = (text: string) => ({ json: textDoc(text), html: `<p>${text}</p>`, text });

async function idOf(table: "user" | "space", column: "email" | "slug", value: string) {
  return (await store.db.selectFrom(table).select("id").where(column, "=", value).executeTakeFirstOrThrow()).id;
}

test.beforeAll(async () => {
  store = openDatabase(path.join(process.env.CERCLE_E2E_DIR!, "cercle.db"));
  const [claire, julien, isabelle, paul] = [
    await idOf("user", "email", "claire@cabinet-martin.fr"),
    await idOf("user", "email", "julien@moreau-conseil.fr"),
    await idOf("user", "email", "isabelle@garnier.fr"),
    await idOf("user", "email", "paul@durand.fr"),
  ];
  const [achats, lyon] = [await idOf("space", "slug", ACHATS), await idOf("space", "slug", LYON)];
  const now = Date.now();
  arranged = now;
  // Claire looked at her home a moment ago: everything the journeys before this spec did is seen, and what
  // follows, dated just after, is new (a visit within 30 minutes keeps the line where it was). She works in
  // Auvergne-Rhône-Alpes.
  await store.db.updateTable("user").set({ region: "ara", home_visit_at: now, home_seen_at: now }).where("id", "=", claire).execute();
  const SECOND = 1000;

  const article = await createPost(store.db, {
    spaceId: lyon,
    slug: "retour-matinee-export-cci-lyon",
    authorId: paul,
    title: ARTICLE,
    excerpt: "Douze entreprises, trois pays cibles et beaucoup de questions sur les incoterms.",
    excerptAuto: false,
    coverFileId: null,
    content: body("Douze entreprises, trois pays cibles et beaucoup de questions sur les incoterms."),
    visibility: "space",
    summary: "",
    now: now + SECOND,
  });
  await setPostState(store.db, article.id, { state: "published", userId: paul, now: now + 4 * SECOND });

  const startsAt = now + 6 * 24 * HOUR;
  const description = "Deux consultants, un client : comment construire la prévision avec les ventes.";
  await store.db
    .insertInto("workshop")
    .values({
      id: newId(),
      space_id: achats,
      title: WORKSHOP,
      state: "scheduled",
      starts_at: startsAt,
      ends_at: startsAt + 2 * HOUR,
      time_zone: "Europe/Paris",
      place: "Maison des entreprises, Lyon 3e",
      video_url: null,
      outside_speaker: null,
      capacity: 15,
      registration_closes_at: null,
      description_json: textDoc(description),
      description_html: `<p>${description}</p>`,
      description_text: description,
      cover_file_id: null,
      previous_id: null,
      notes_page_id: null,
      proposed_by: null,
      decided_by: null,
      decided_at: null,
      decline_reason: null,
      cancelled_at: null,
      cancel_reason: null,
      attendance_recorded_at: null,
      created_by: julien,
      created_at: now + SECOND,
      updated_by: julien,
      updated_at: now + SECOND,
      deleted_at: null,
      deleted_by: null,
    })
    .execute();

  const ask = await insertAsk(store.db, {
    spaceId: achats,
    authorId: julien,
    fields: { kind: "introduction", audience: "space", title: ASK, body: body("Un client agroalimentaire cherche un prestataire pour ses tournées."), skills: ["logistique"], region: "ara", deadline: null, closesAt: null },
    now: now + 2 * SECOND,
  });
  await insertComment(store.db, { spaceId: achats, target: { kind: "ask", id: ask.id }, parentId: null, authorId: isabelle, body: body("J’en connais un à Voiron, je vous mets en relation."), now: now + 3 * SECOND });
});

test.afterAll(async () => {
  await store?.close();
});

test("Claire lands on her home: a workshop, an answered ask and a new article from her two clubs, marked new", async ({ browser }) => {
  test.setTimeout(60_000);
  const page = await newPage(browser);
  await signIn(page, "claire@cabinet-martin.fr");
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole("heading", { level: 1, name: "Quoi de neuf" })).toBeVisible();
  const feed = page.getByRole("region", { name: "Les nouvelles de vos clubs" });
  const item = (title: string) => feed.getByRole("listitem").filter({ hasText: title });
  await expect(item(ARTICLE)).toContainText("Cercle Lyon");
  await expect(item(ARTICLE)).toContainText("Publié par Paul Durand");
  await expect(item(WORKSHOP)).toContainText("Club Achats & Supply Chain");
  await expect(item(ASK)).toContainText("dans votre région");
  await expect(item(ASK)).toContainText("1 réponse");
  for (const title of [ARTICLE, WORKSHOP, ASK]) await expect(item(title)).toContainText("Nouveau");
  // The line after what is new since her last visit, before what the journeys did earlier.
  await expect(feed.getByText(/^Vous êtes à jour : la suite date d’avant votre dernière visite/)).toBeVisible();
  await hydrated(page);
  await snap(page, "desktop");

  // One club at a time: the filter applies as it changes.
  // Chosen on the select that has the focus: applied at once, the focus kept (the select is not rebuilt).
  const filter = page.getByLabel("Club", { exact: true });
  await filter.focus();
  await filter.selectOption({ label: "Cercle Lyon" });
  await expect(page).toHaveURL(/\?club=cercle-lyon/);
  await expect(filter).toHaveValue("cercle-lyon");
  await expect(filter).toBeFocused();
  await expect(item(ARTICLE)).toBeVisible();
  await expect(item(WORKSHOP)).toHaveCount(0);
  await expect(item(ASK)).toHaveCount(0);

  // The article opens from its title.
  await item(ARTICLE).getByRole("link", { name: ARTICLE }).click();
  await expect(page.getByRole("heading", { level: 1, name: ARTICLE })).toBeVisible();
  await page.context().close();
});

test("on a phone, what waits comes first and the feed reads in one column", async ({ browser }) => {
  test.setTimeout(60_000);
  const page = await newPage(browser, { width: 390, height: 844 });
  await signIn(page, "claire@cabinet-martin.fr");
  await expect(page.getByRole("heading", { level: 1, name: "Quoi de neuf" })).toBeVisible();
  const waiting = page.getByRole("heading", { level: 2, name: "À traiter" });
  const firstItem = page.getByRole("region", { name: "Les nouvelles de vos clubs" }).getByRole("listitem").first();
  await expect(waiting).toBeVisible();
  const [w, f] = [await waiting.boundingBox(), await firstItem.boundingBox()];
  expect(w!.y).toBeLessThan(f!.y);
  // Nothing wider than the screen.
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await hydrated(page);
  await snap(page, "phone");
  await page.context().close();
});

/**
 * The next instant of 8:02 in Paris at least 11 hours from now: a digest's
 * sending moment, in the near future. Not simply tomorrow's: a digest never
 * follows the previous one by less than 10 hours (MIN_GAP_MS), and Claire's
 * previous one is arranged to end now, so from 22:02 in Paris tomorrow's
 * 8:02 would find her not yet due.
 */
function next802(): number {
  const clock = new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/Paris", hour: "2-digit", minute: "2-digit" });
  for (let days = 0; ; days++) {
    const day = new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Paris" }).format(Date.now() + days * 24 * HOUR);
    // Paris is one or two hours ahead of UTC: the candidate whose Paris clock reads 08:02.
    const at = [1, 2].map((h) => Date.parse(`${day}T08:02:00Z`) - h * HOUR).find((t) => clock.format(t) === "08:02");
    if (at !== undefined && at >= Date.now() + MIN_GAP_MS + HOUR) return at;
  }
}

test("Claire's morning digest brings the three in a mail that reads well; one click stops it", async ({ browser }) => {
  test.setTimeout(90_000);
  const claire = await idOf("user", "email", "claire@cabinet-martin.fr");
  const at = next802();
  // Everyone else's last digest ends then (none is due); Claire takes hers daily, her last one before the news,
  // and (as if she had not come back since) her latest visit of the home too.
  await store.db.updateTable("user").set({ digest_until: at }).where("id", "!=", claire).execute();
  await store.db.updateTable("user").set({ digest_frequency: "daily", digest_until: arranged - 1, home_visit_at: arranged - 1 }).where("id", "=", claire).execute();
  // The primary's sweep, as its job runs it, in a process of its own at that moment; mail through the journey's SMTP server.
  const child = spawn(process.execPath, ["--import", "tsx", "tests/helpers/digest-child.ts", String(at), "300"], {
    cwd: path.resolve(import.meta.dirname, "../.."),
    env: { ...process.env, DATA_DIR: process.env.CERCLE_E2E_DIR!, BASE_URL: `http://127.0.0.1:${process.env.CERCLE_E2E_PORT}`, SMTP_URL: `smtp://127.0.0.1:${process.env.CERCLE_E2E_SMTP_PORT}` },
    stdio: ["pipe", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stdout.on("data", (c: Buffer) => (out += c.toString()));
  child.stderr.on("data", (c: Buffer) => (err += c.toString()));
  await expect.poll(() => out, { timeout: 30_000, message: "the digest process to load" }).toContain("ready");
  child.stdin.end("go\n");
  const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
  expect(code, err).toBe(0);
  expect(JSON.parse(out.split("\n")[1]!)).toMatchObject({ queued: 1 });

  const mail = await waitForMail("claire@cabinet-martin.fr", /Votre récapitulatif du jour/);
  expect(mail.text).toContain(ARTICLE);
  // The HTML part, as a mail client shows it: on a desktop, then on a phone.
  const page = await newPage(browser);
  await page.setContent(mail.html);
  await expect(page.getByRole("heading", { name: "Votre récapitulatif du jour", level: 1 })).toBeVisible();
  for (const club of ["Cercle Lyon", "Club Achats & Supply Chain"]) await expect(page.getByRole("heading", { name: club, level: 2 })).toBeVisible();
  await expect(page.getByRole("link", { name: ARTICLE })).toHaveAttribute("href", new RegExp(`/spaces/${LYON}/blog/`));
  await expect(page.getByRole("link", { name: WORKSHOP })).toHaveAttribute("href", new RegExp(`/spaces/${ACHATS}/workshops/`));
  await expect(page.getByRole("link", { name: ASK })).toHaveAttribute("href", new RegExp(`/spaces/${ACHATS}/asks/`));
  await snap(page, "digest");
  await page.setViewportSize({ width: 390, height: 844 });
  await snap(page, "digest-phone");
  await page.setViewportSize({ width: 1280, height: 900 });

  // The footer's link: a page that asks, then one click (no sign-in).
  await page.getByRole("link", { name: "Ne plus recevoir ce récapitulatif" }).click();
  await expect(page.getByRole("heading", { name: "Se désabonner" })).toBeVisible();
  await page.getByRole("button", { name: "Me désabonner" }).click();
  await expect(page.getByRole("status").filter({ hasText: "C’est fait : vous ne recevrez plus le récapitulatif." })).toBeVisible();
  await snap(page, "unsubscribed");
  expect((await store.db.selectFrom("user").select("digest_frequency").where("id", "=", claire).executeTakeFirstOrThrow()).digest_frequency).toBe("off");
  await page.context().close();
});

test("Claire hears only what concerns her from the purchasing club; the choice stays", async ({ browser }) => {
  test.setTimeout(60_000);
  const page = await newPage(browser);
  await signIn(page, "claire@cabinet-martin.fr");
  await page.goto("/settings/notifications");
  await hydrated(page);
  await expect(page.getByText("Seulement ce qui me concerne : mentions, réponses")).toBeVisible();
  const level = page.getByLabel("Club Achats & Supply Chain");
  await expect(level).toHaveValue("all");
  await level.selectOption({ label: "Seulement ce qui me concerne" });
  // And reminders by mail, not announcements of new workshops: a choice per kind.
  await page.getByRole("group", { name: "Un atelier est programmé dans mon club" }).getByRole("radio", { name: "Dans l’application" }).check();
  await page.getByRole("button", { name: "Enregistrer", exact: true }).first().click();
  await expect(page.getByRole("status").filter({ hasText: "Choix de notification enregistrés." })).toBeVisible();
  await page.reload();
  await expect(page.getByLabel("Club Achats & Supply Chain")).toHaveValue("mine");
  await expect(page.getByRole("group", { name: "Un atelier est programmé dans mon club" }).getByRole("radio", { name: "Dans l’application" })).toBeChecked();
  await expect(page.getByRole("group", { name: "Rappels avant mes ateliers" }).getByRole("radio", { name: "Aussi par e-mail" })).toBeChecked();
  await snap(page, "settings");
  // Stored as chosen, for Claire alone.
  const claire = await idOf("user", "email", "claire@cabinet-martin.fr");
  const achats = await idOf("space", "slug", ACHATS);
  expect(await store.db.selectFrom("club_notification_level").select(["user_id", "level"]).where("space_id", "=", achats).execute()).toEqual([{ user_id: claire, level: "mine" }]);
  await page.context().close();
});
