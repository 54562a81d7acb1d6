import { Readable } from "node:stream";
import { Upload } from "@tus/utils";
import { newId } from "#db/ids.ts";
import type { Folder } from "#db/schema.ts";
import { transact } from "#db/transact.ts";
import { createFolder, reserveUpload, trashFile, type ConflictChoice } from "#app/files/commands.server.ts";
import { finishUpload } from "#app/files/upload-finish.server.ts";
import { getEnv } from "#app/utils/env.server.ts";
import { getStorage } from "#app/utils/storage.server.ts";
import { demoImages, textPdf, type DemoAssets } from "./demo-assets.ts";
import { actingIn, at, isoMonth, monthYear, must, workshopDays, type DemoWorld } from "./demo-world.ts";

/**
 * The purchasing club's files, each sent as a member's browser sends it:
 * room reserved (reserveUpload), the bytes written through the tus store,
 * then finishUpload — which sniffs the type, makes the thumbnail of an image
 * and records the file (recordUpload) — dated when the member sent it.
 * Folders, a file with three versions, one in the trash, and the pictures
 * the articles and the wiki show.
 */

export interface DemoFiles {
  assets: DemoAssets;
  /** File ids by what they are, for the articles' covers and the wiki's image. */
  ids: Record<"negotiationCover" | "sopCover" | "responsibleCover" | "lyonCover" | "hrCover" | "upcomingCover" | "kraljic" | "workshopPhoto" | "supportPdf" | "grid", string>;
}

/** One upload, start to finish, by `person` in `space` at `when`. */
export async function uploadAs(
  world: DemoWorld,
  person: string,
  space: string,
  when: number,
  file: { name: string; bytes: Buffer; folder?: Folder | null; onConflict?: ConflictChoice },
): Promise<string> {
  const storage = getStorage();
  const ctx = await actingIn(world, person, space, when);
  const uploadId = newId();
  const freeBytes = storage.freeBytes ? await storage.freeBytes() : null;
  const onConflict = file.onConflict ?? null;
  must(
    `upload of ${file.name}`,
    await transact(world.db, (trx) =>
      reserveUpload(trx, ctx, {
        uploadId,
        name: file.name,
        size: file.bytes.length,
        folderId: file.folder?.id ?? null,
        fileId: null,
        onConflict,
        freeBytes,
        marginBytes: getEnv().storageFreeMarginBytes,
      }),
    ),
  );
  const store = storage.uploadStore();
  await store.create(new Upload({ id: uploadId, size: file.bytes.length, offset: 0, metadata: { filename: file.name, onConflict: onConflict ?? "" } }));
  await store.write(Readable.from([file.bytes]), uploadId, 0);
  const finished = await finishUpload(world.db, storage, uploadId, { onConflict, now: when });
  if (!finished) throw new Error(`demo: upload of ${file.name} did not become a file`);
  return finished.fileId;
}

async function folder(world: DemoWorld, person: string, space: string, when: number, name: string, parent: Folder | null = null) {
  const ctx = await actingIn(world, person, space, when);
  return must(`folder ${name}`, await transact(world.db, (trx) => createFolder(trx, ctx, { parentId: parent?.id ?? null, name }))).folder;
}

const gridCsv = (rows: string[]) => Buffer.from(["Fournisseur;Qualité (30 %);Délais (25 %);Prix (25 %);RSE (20 %);Note", ...rows, ""].join("\n"), "utf8");

export async function seedDemoFiles(world: DemoWorld): Promise<DemoFiles> {
  const assets = await demoImages();
  const w = world;
  const days = workshopDays(w);

  const workshops = await folder(w, "sophie", "achats", at(w, 40, 9, 15), "Ateliers");
  const march = await folder(w, "sophie", "achats", at(w, 40, 9, 16), `${isoMonth(days.negotiation)} Négociation`, workshops);
  const sop = await folder(w, "karim", "achats", at(w, 26, 16, 0), `${isoMonth(days.sop)} S&OP`, workshops);
  const templates = await folder(w, "claire", "achats", at(w, 39, 11, 30), "Modèles");
  const studies = await folder(w, "claire", "achats", at(w, 39, 11, 32), "Veille et études");

  const supportPdf = await uploadAs(w, "sophie", "achats", at(w, 38, 18, 20), {
    name: "Support atelier négociation.pdf",
    folder: march,
    bytes: textPdf(`Atelier négociation - ${monthYear(days.negotiation)}`, [
      "Club Achats & Supply Chain - Réseau Conseil & Associés",
      "",
      "1. Préparer la zone d'accord possible (ZOPA) avant toute rencontre",
      "2. Construire une alternative crédible : la MESORE",
      "3. Noter les concessions au fil de l'eau, et ce qu'elles ont rapporté",
      "4. Conclure par écrit dans les 48 heures",
      "",
      "Cas pratique : renégociation d'un contrat de transport (3,2 M EUR / an)",
      "- Situation : hausse demandée de 9 % au 1er janvier",
      "- Levier : appel d'offres ciblé sur deux lots régionaux",
      "- Résultat obtenu : +2,5 % avec engagement de service",
      "",
      "Animation : Sophie Lefèvre. Douze participants.",
    ]),
  });
  const workshopPhoto = await uploadAs(w, "julien", "achats", at(w, 38, 18, 40), { name: "Photo atelier négociation.jpg", folder: march, bytes: assets.workshopPhoto });
  await uploadAs(w, "sophie", "achats", at(w, 38, 18, 45), {
    name: "Feuille de présence.csv",
    folder: march,
    bytes: Buffer.from(
      "Nom;Cabinet;Présent\nSophie Lefèvre;Lefèvre Conseil;oui\nJulien Moreau;JM Achats;oui\nKarim Benali;Flux & Co;oui\nAmélie Perrin;Perrin Data;oui\nCamille Bernard;Bernard RSE;non\n",
      "utf8",
    ),
  });
  await uploadAs(w, "karim", "achats", at(w, 25, 10, 0), {
    name: "Trame S&OP mensuelle.txt",
    folder: sop,
    bytes: Buffer.from(
      "Trame de la réunion S&OP mensuelle\n\n1. Revue de la demande (commercial) - 20 min\n2. Revue de l'offre (production, achats) - 20 min\n3. Écarts et arbitrages - 30 min\n4. Décisions et plan d'action - 20 min\n\nÀ préparer : prévisions à 18 mois, niveau de stocks, capacité fournisseurs critiques.\n",
      "utf8",
    ),
  });

  await uploadAs(w, "amelie", "achats", at(w, 21, 17, 0), {
    name: "Baromètre des achats 2026 - synthèse.pdf",
    folder: studies,
    bytes: textPdf("Baromètre des achats 2026 - synthèse", [
      "Notes d'Amélie Perrin pour le club, d'après l'enquête annuelle (312 directions achats).",
      "",
      "- Priorité n° 1 : la sécurisation des approvisionnements (64 %)",
      "- Les achats responsables progressent : 48 % ont un critère RSE dans leurs appels d'offres",
      "- La donnée reste le point faible : 1 direction sur 3 a un outil de pilotage fiable",
      "",
      "À discuter lors du prochain atelier.",
    ]),
  });

  // The supplier grid: Sophie's first version, Karim's (an editor may version anyone's file), then Sophie's again.
  const grid = await uploadAs(w, "sophie", "achats", at(w, 36, 14, 0), {
    name: "Grille évaluation fournisseurs.csv",
    folder: templates,
    bytes: gridCsv(["Transports Martin;4;3;4;2;3,4", "Emballages du Rhône;5;4;3;3;3,9"]),
  });
  await uploadAs(w, "karim", "achats", at(w, 20, 9, 30), {
    name: "Grille évaluation fournisseurs.csv",
    folder: templates,
    onConflict: "version",
    bytes: gridCsv(["Transports Martin;4;3;4;2;3,4", "Emballages du Rhône;5;4;3;3;3,9", "Métallerie Dauphinoise;3;4;4;3;3,5"]),
  });
  await uploadAs(w, "sophie", "achats", at(w, 9, 16, 10), {
    name: "Grille évaluation fournisseurs.csv",
    folder: templates,
    onConflict: "version",
    bytes: gridCsv(["Transports Martin;4;3;4;2;3,4", "Emballages du Rhône;5;4;3;3;3,9", "Métallerie Dauphinoise;3;4;4;3;3,5", "Logistique Saône;4;4;3;4;3,75"]),
  });
  await uploadAs(w, "julien", "achats", at(w, 33, 8, 50), {
    name: "Check-list lancement de mission.pdf",
    folder: templates,
    bytes: textPdf("Check-list de lancement de mission achats", [
      "Avant la première réunion",
      "[x] Périmètre et objectifs écrits, signés par le sponsor",
      "[x] Données de dépenses des 24 derniers mois",
      "[ ] Liste des contrats et de leurs échéances",
      "",
      "La première semaine",
      "1. Entretiens avec les prescripteurs",
      "2. Cartographie des fournisseurs par segment",
      "3. Premières pistes de gains, chiffrées",
    ]),
  });

  // Pictures sent from the editors (articles' covers, the wiki's matrix) land at the top, as the editor's uploads do.
  const kraljic = await uploadAs(w, "sophie", "achats", at(w, 31, 10, 5), { name: "Matrice de Kraljic.png", bytes: assets.kraljic });
  const negotiationCover = await uploadAs(w, "sophie", "achats", at(w, 30, 9, 0), { name: "Couverture négociation.jpg", bytes: assets.covers.negotiation });
  const sopCover = await uploadAs(w, "karim", "achats", at(w, 18, 8, 40), { name: "Couverture S&OP.jpg", bytes: assets.covers.sop });
  const responsibleCover = await uploadAs(w, "camille", "achats", at(w, 11, 14, 20), { name: "Couverture achats responsables.jpg", bytes: assets.covers.responsible });
  const upcomingCover = await uploadAs(w, "claire", "achats", at(w, 2, 10, 0), { name: "Couverture rencontre annuelle.jpg", bytes: assets.covers.upcoming });
  const lyonCover = await uploadAs(w, "karim", "lyon", at(w, 15, 7, 50), { name: "Couverture petit-déjeuner.jpg", bytes: assets.covers.lyon });
  const hrCover = await uploadAs(w, "nathalie", "rh", at(w, 12, 12, 30), { name: "Couverture dialogue social.jpg", bytes: assets.covers.hr });

  // Julien's first draft of the minutes, superseded by the wiki page: he put it in the trash this week (the trash keeps 30 days).
  const stale = await uploadAs(w, "julien", "achats", at(w, 37, 21, 0), {
    name: "Compte rendu négociation (brouillon).txt",
    folder: march,
    bytes: Buffer.from("Compte rendu - premier jet\n\nÀ reprendre : les chiffres du cas transport ne sont pas les bons.\n", "utf8"),
  });
  const julien = await actingIn(w, "julien", "achats", at(w, 3, 18, 30));
  must("trash of the draft minutes", await transact(w.db, (trx) => trashFile(trx, julien, { fileId: stale })));

  return {
    assets,
    ids: { negotiationCover, sopCover, responsibleCover, lyonCover, hrCover, upcomingCover, kraljic, workshopPhoto, supportPdf, grid },
  };
}
