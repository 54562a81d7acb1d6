import path from "node:path";
import { openDatabase, type OpenedDatabase } from "../../db/client.ts";
import { newId } from "../../db/ids.ts";
import * as pages from "../../db/queries/pages.ts";
import { expect, hydrated, signIn, test, type Browser, type Page } from "./fixtures.ts";
import { screenshotSeries, waitForMail } from "./support.ts";

/**
 * After a workshop, as the club lives it (after the journey): in "Club Achats
 * & Supply Chain", Julien (member) facilitated "Négocier avec un fournisseur
 * unique" yesterday; Isabelle had registered, Claire came without
 * registering. Julien links the club's preparation grid from the wiki and
 * uploads his slides as materials, records who came (Isabelle ticked off,
 * Claire found with the member search, all from the keyboard), then writes
 * up the notes: the wiki page opens in the editor from the template, he
 * fills in what was learned, and the workshop page links to it, the page
 * back to the workshop. Isabelle, who took part, is told by mail.
 *
 * A workshop cannot be scheduled in the past through the app: this one is
 * put in the database as the demo puts its past ones, with its facilitator
 * and its registration, before the browser starts.
 */

test.describe.configure({ mode: "serial" });

const SPACE = "club-achats-supply-chain";
const TITLE = "Négocier avec un fournisseur unique";
const julienAccount = { name: "Julien Moreau", email: "julien@moreau-conseil.fr" };
const isabelleEmail = "isabelle@garnier.fr";
const claireEmail = "claire@cabinet-martin.fr";
const HOUR = 3_600_000;

const snap = screenshotSeries("workshop-notes");

let store: OpenedDatabase;
let workshopId = "";
let julien: Page;

async function userId(email: string) {
  return (await store.db.selectFrom("user").select("id").where("email", "=", email).executeTakeFirstOrThrow()).id;
}

test.beforeAll(async () => {
  store = openDatabase(path.join(process.env.CERCLE_E2E_DIR!, "cercle.db"));
  const space = await store.db.selectFrom("space").select("id").where("slug", "=", SPACE).executeTakeFirstOrThrow();
  const [julienId, isabelleId, claireId] = [await userId(julienAccount.email), await userId(isabelleEmail), await userId(claireEmail)];
  const now = Date.now();
  const startsAt = now - 26 * HOUR;
  workshopId = newId();
  const description = "Comment garder la main quand un seul fournisseur peut livrer : cartographie des dépendances, plan B, clauses.";
  await store.db
    .insertInto("workshop")
    .values({
      id: workshopId,
      space_id: space.id,
      title: TITLE,
      state: "scheduled",
      starts_at: startsAt,
      ends_at: startsAt + 2 * HOUR,
      time_zone: "Europe/Paris",
      place: "Maison des entreprises, Lyon 3e",
      video_url: null,
      outside_speaker: null,
      capacity: 12,
      registration_closes_at: null,
      description_json: JSON.stringify({
        root: {
          type: "root",
          version: 1,
          direction: null,
          format: "",
          indent: 0,
          children: [{ type: "paragraph", version: 1, direction: null, format: "", indent: 0, textFormat: 0, textStyle: "", children: [{ type: "text", text: description, format: 0, style: "", mode: "normal", detail: 0, version: 1 }] }],
        },
      }),
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
      created_by: claireId,
      created_at: now - 10 * 24 * HOUR,
      updated_by: claireId,
      updated_at: now - 10 * 24 * HOUR,
      deleted_at: null,
      deleted_by: null,
    })
    .execute();
  await store.db.insertInto("workshop_facilitator").values({ workshop_id: workshopId, user_id: julienId }).execute();
  await store.db
    .insertInto("workshop_registration")
    .values({ workshop_id: workshopId, user_id: isabelleId, status: "going", note: null, arrival: 1, created_at: now - 5 * 24 * HOUR, updated_at: now - 5 * 24 * HOUR })
    .execute();
  const text = "Dépendance, alternatives, coûts de sortie : la grille à remplir avant l’atelier.";
  await pages.createPage(store.db, {
    spaceId: space.id,
    parentId: null,
    title: "Grille de préparation fournisseur",
    slug: await pages.uniqueSlug(store.db, space.id, "grille-de-preparation-fournisseur"),
    content: { json: JSON.stringify({ root: { type: "root", version: 1, direction: null, format: "", indent: 0, children: [{ type: "paragraph", version: 1, direction: null, format: "", indent: 0, textFormat: 0, textStyle: "", children: [{ type: "text", text, format: 0, style: "", mode: "normal", detail: 0, version: 1 }] }] } }), html: `<p>${text}</p>`, text },
    summary: "",
    authorId: julienId,
    now,
  });
});

test.afterAll(async () => {
  await store?.close();
});

async function newPage(browser: Browser, viewport = { width: 1280, height: 900 }) {
  const context = await browser.newContext({ locale: "fr-FR", viewport });
  return context.newPage();
}

test("Julien links the club's grid and uploads his slides as the workshop's materials", async ({ browser }) => {
  julien = await newPage(browser);
  await signIn(julien, julienAccount.email);
  await julien.goto(`/spaces/${SPACE}/workshops/${workshopId}`);
  await hydrated(julien);
  const materials = julien.getByRole("region", { name: "Supports" });
  await expect(materials).toContainText("Aucun support pour l’instant.");

  // The wiki's page picker: type, and Enter takes the only page found.
  await materials.getByRole("button", { name: "Lier une page du wiki" }).click();
  const search = materials.getByRole("searchbox", { name: "Chercher une page par son titre" });
  await expect(search).toBeFocused();
  await search.fill("grille");
  await expect(materials.getByRole("button", { name: "Grille de préparation fournisseur" })).toBeVisible();
  // The list narrowed to that one page (until the search answers, the space's other pages are listed too).
  await expect(materials.locator(".editor-files-list li")).toHaveCount(1);
  await search.press("Enter");
  await expect(julien.getByTestId("flash")).toContainText("Le support est ajouté.");
  await expect(materials.getByRole("link", { name: "Grille de préparation fournisseur" })).toBeVisible();

  // The editor's file panel: a new file goes up into the club's files, then is linked; shared with the network.
  await materials.getByLabel("Partager avec le réseau ce que j’ajoute").check();
  await materials.getByRole("button", { name: "Lier ou déposer un fichier" }).click();
  await materials.locator('input[type="file"]').setInputFiles({
    name: "negociation-fournisseur-unique.pdf",
    mimeType: "application/pdf",
    buffer: Buffer.from("%PDF-1.4\n% Support de l’atelier\n"),
  });
  await expect(materials.getByRole("link", { name: "negociation-fournisseur-unique.pdf", exact: true })).toBeVisible();
  await expect(materials.getByRole("listitem").filter({ hasText: "negociation-fournisseur-unique.pdf" })).toContainText("Partagé");

  // The slides first: one step up.
  await materials.getByRole("button", { name: "Monter negociation-fournisseur-unique.pdf" }).click();
  await expect(julien.getByTestId("flash")).toContainText("L’ordre des supports est enregistré.");
  await expect(materials.getByRole("listitem").first()).toContainText("negociation-fournisseur-unique.pdf");
  await snap(julien, "workshop-with-materials");
});

test("Julien records who came: Isabelle ticked off, Claire found among the members, from the keyboard", async () => {
  await julien.getByRole("link", { name: "Noter les présences" }).click();
  await julien.waitForURL(`**/workshops/${workshopId}/attendance`);
  await hydrated(julien);
  await expect(julien.getByRole("heading", { name: `Présences à « ${TITLE} »` })).toBeVisible();
  const registered = julien.getByRole("group", { name: "Inscrits" });
  await expect(registered.getByRole("checkbox", { name: "Isabelle Garnier" })).toBeChecked();

  const walkIns = julien.getByRole("group", { name: "Venus sans inscription" });
  const search = walkIns.getByRole("searchbox", { name: "Chercher un membre" });
  await search.focus();
  await julien.keyboard.type("clai");
  await expect(walkIns.getByRole("checkbox", { name: "Julien Moreau" })).toBeHidden();
  await julien.keyboard.press("Tab");
  await expect(walkIns.getByRole("checkbox", { name: "Claire Martin" })).toBeFocused();
  await julien.keyboard.press("Space");
  await expect(walkIns.getByRole("checkbox", { name: "Claire Martin" })).toBeChecked();
  await snap(julien, "attendance");

  await julien.getByRole("button", { name: "Enregistrer les présences" }).click();
  await julien.waitForURL(`**/workshops/${workshopId}`);
  await expect(julien.getByTestId("flash")).toContainText("Présences enregistrées : 2 personnes.");
  await expect(julien.getByRole("region", { name: "Après l’atelier" })).toContainText("2 personnes sont venues.");
});

test("Julien writes up the notes: the page opens from the template, and the workshop and its notes link to each other", async () => {
  await julien.getByRole("button", { name: "Rédiger le compte rendu" }).click();
  await julien.waitForURL(/\/wiki\/[^/]+\/edit$/);
  await hydrated(julien);
  await expect(julien.getByTestId("flash")).toContainText("La page du compte rendu est créée");
  await expect(julien.getByLabel("Titre", { exact: true })).toHaveValue(`Compte rendu — ${TITLE}`);
  const editor = julien.locator('[data-lexical-editor="true"]');
  for (const heading of ["Ordre du jour", "Ce que nous avons appris", "Ressources", "Prochaines étapes"]) {
    await expect(editor.getByRole("heading", { name: heading })).toBeVisible();
  }
  await expect(editor.getByRole("link", { name: "Grille de préparation fournisseur" })).toBeVisible();
  // What was learned, under its heading.
  await editor.getByRole("heading", { name: "Ce que nous avons appris" }).click();
  await julien.keyboard.press("End");
  await julien.keyboard.press("ArrowDown");
  await julien.keyboard.type("Toujours chiffrer le coût de sortie avant de négocier.");
  await julien.getByRole("button", { name: "Enregistrer", exact: true }).click();
  await julien.waitForURL((url) => url.pathname.startsWith(`/spaces/${SPACE}/wiki/`) && !url.pathname.endsWith("/edit"));
  await expect(julien.getByRole("heading", { name: "Ce que nous avons appris" })).toBeVisible();
  await expect(julien.getByText("Toujours chiffrer le coût de sortie avant de négocier.")).toBeVisible();

  // The notes name their workshop, and lead back to it.
  await julien.getByRole("link", { name: `Compte rendu de l’atelier « ${TITLE} »` }).click();
  await julien.waitForURL(`**/workshops/${workshopId}`);
  await expect(julien.getByRole("link", { name: `Compte rendu — ${TITLE}` })).toBeVisible();
  await expect(julien.getByRole("button", { name: "Rédiger le compte rendu" })).toHaveCount(0);
  await snap(julien, "workshop-with-notes");

  // Isabelle took part: she is told by mail, in her language.
  const mail = await waitForMail(isabelleEmail, /notes/i);
  expect(mail.text).toContain(`/spaces/${SPACE}/workshops/${workshopId}`);
});
