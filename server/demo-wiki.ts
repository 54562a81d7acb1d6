import type { Page } from "#db/schema.ts";
import { transact } from "#db/transact.ts";
import { checkDocument } from "#app/editor/content-pool.server.ts";
import { createPage, savePage } from "#app/wiki/commands.server.ts";
import { markdownToJson } from "#app/wiki/markdown.server.ts";
import type { DemoFiles } from "./demo-files.ts";
import { actingIn, at, frenchSpacing, isoMonth, monthName, monthYear, must, workshopDays, type DemoWorld } from "./demo-world.ts";

/**
 * The clubs' wikis, written in Markdown as a member would import them, through
 * the wiki's commands: pages under pages, links between them, the Kraljic
 * matrix as an image, and pages that several members revised over the weeks.
 */

async function derive(title: string, markdown: string) {
  const content = await checkDocument(markdownToJson(frenchSpacing(markdown)));
  if (!content.ok) throw new Error(`demo page "${title}" refused: ${content.error} ${content.detail ?? ""}`);
  return content;
}

async function page(world: DemoWorld, person: string, space: string, when: number, title: string, markdown: string, parent: Page | null = null, summary = "") {
  const content = await derive(title, markdown);
  const ctx = await actingIn(world, person, space, when);
  return must(`page ${title}`, await transact(world.db, (trx) => createPage(trx, ctx, { title, parentId: parent?.id ?? null, content, summary }))).page;
}

/** A new revision of `current` by `person`; answers the page as it now stands. */
async function revise(world: DemoWorld, person: string, space: string, when: number, current: Page, markdown: string, summary: string, title = current.title): Promise<Page> {
  const content = await derive(title, markdown);
  const ctx = await actingIn(world, person, space, when);
  const saved = must(`revision of ${title}`, await transact(world.db, (trx) => savePage(trx, ctx, { page: current, baseRevision: current.revision, title, content, summary })));
  return { ...current, title, slug: saved.slug, revision: saved.revision };
}

export interface DemoPages {
  grid: Page;
  checklist: Page;
  negotiation: Page;
  kraljic: Page;
}

export async function seedDemoWiki(world: DemoWorld, files: DemoFiles): Promise<DemoPages> {
  const w = world;
  const days = workshopDays(w);
  const methods = await page(
    w,
    "claire",
    "achats",
    at(w, 45, 10, 0),
    "Méthodes et outils",
    `Les méthodes que le club a éprouvées en mission, à reprendre telles quelles ou à adapter.\n\nChaque page dit **quand** s'en servir, **comment**, et ce qui a coincé.`,
  );

  let grid = await page(
    w,
    "sophie",
    "achats",
    at(w, 44, 15, 30),
    "Grille d’évaluation des fournisseurs",
    `Une grille simple pour les revues fournisseurs trimestrielles.\n\n| Critère | Poids | Question à poser |\n| --- | --- | --- |\n| Qualité | 35 % | Taux de non-conformité sur 12 mois ? |\n| Délais | 30 % | Part des livraisons à l'heure ? |\n| Prix | 35 % | Écart à la cible négociée ? |`,
    methods,
  );
  grid = await revise(
    w,
    "camille",
    "achats",
    at(w, 35, 11, 10),
    grid,
    `Une grille simple pour les revues fournisseurs trimestrielles.\n\n| Critère | Poids | Question à poser |\n| --- | --- | --- |\n| Qualité | 30 % | Taux de non-conformité sur 12 mois ? |\n| Délais | 25 % | Part des livraisons à l'heure ? |\n| Prix | 25 % | Écart à la cible négociée ? |\n| RSE | 20 % | Bilan carbone et plan d'action ? |`,
    "Ajout du critère RSE, poids revus",
  );
  grid = await revise(
    w,
    "karim",
    "achats",
    at(w, 19, 17, 40),
    grid,
    `Une grille simple pour les revues fournisseurs trimestrielles. La version tableur est dans les fichiers du club (Modèles).\n\n## Les critères\n\n| Critère | Poids | Question à poser |\n| --- | --- | --- |\n| Qualité | 30 % | Taux de non-conformité sur 12 mois ? |\n| Délais | 25 % | Part des livraisons à l'heure ? |\n| Prix | 25 % | Écart à la cible négociée ? |\n| RSE | 20 % | Bilan carbone et plan d'action ? |\n\n## En pratique\n\n- Faire remplir la grille par le fournisseur **avant** la revue, puis confronter\n- Une note sous 3 ouvre un plan de progrès à six mois\n\n> Astuce : garder les notes d'une revue à l'autre, c'est la tendance qui compte.`,
    "Mode d'emploi et lien vers le tableur",
  );

  const kraljic = await page(
    w,
    "sophie",
    "achats",
    at(w, 31, 10, 20),
    "Matrice de Kraljic",
    `Classer les familles d'achats selon leur **impact financier** et le **risque fournisseur**, pour choisir une stratégie par famille.\n\n![Matrice de Kraljic : quatre quadrants, stratégiques, critiques, leviers et simples](/files/${files.ids.kraljic}/inline)\n\n## Les quatre familles\n\n1. **Stratégiques** — partenariat, plans de continuité, revues trimestrielles\n2. **Critiques** — sécuriser l'approvisionnement, qualifier une deuxième source\n3. **Leviers** — mise en concurrence, regroupement des volumes\n4. **Simples** — catalogues, commandes automatisées, cartes achats\n\nPour noter les fournisseurs d'une famille stratégique, voir la [grille d'évaluation](/pages/${grid.id}).`,
    methods,
  );

  let checklist = await page(
    w,
    "julien",
    "achats",
    at(w, 33, 9, 0),
    "Check-list de lancement de mission achats",
    `## Avant la première réunion\n\n- [x] Périmètre et objectifs écrits, signés par le sponsor\n- [x] Données de dépenses des 24 derniers mois\n- [ ] Liste des contrats et de leurs échéances\n\n## La première semaine\n\n1. Entretiens avec les prescripteurs\n2. Cartographie des fournisseurs par segment\n3. Premières pistes de gains, chiffrées`,
    methods,
  );
  checklist = await revise(
    w,
    "amelie",
    "achats",
    at(w, 16, 14, 45),
    checklist,
    `## Avant la première réunion\n\n- [x] Périmètre et objectifs écrits, signés par le sponsor\n- [x] Données de dépenses des 24 derniers mois\n- [ ] Liste des contrats et de leurs échéances\n- [ ] Accès en lecture à l'ERP (extractions de commandes)\n\n## La première semaine\n\n1. Entretiens avec les prescripteurs\n2. Cartographie des fournisseurs par segment, avec la [matrice de Kraljic](/pages/${kraljic.id})\n3. Premières pistes de gains, chiffrées\n\nVoir aussi [la grille d'évaluation](/pages/${grid.id}).`,
    "Accès ERP et lien vers la matrice",
  );

  const reports = await page(w, "claire", "achats", at(w, 42, 9, 30), "Comptes rendus d’ateliers", `Un compte rendu par atelier, écrit dans la semaine par l'animateur. Les supports sont dans les fichiers du club, dossier **Ateliers**.`);
  let negotiation = await page(
    w,
    "sophie",
    "achats",
    at(w, 37, 19, 0),
    `Atelier négociation — ${monthYear(days.negotiation)}`,
    `Douze participants, animé par Sophie Lefèvre.\n\n## Ce qu'on a appris\n\n- Préparer la **zone d'accord possible** avant toute rencontre\n- Toujours avoir une *alternative* crédible (la MESORE)\n- Noter les concessions au fil de l'eau`,
    reports,
  );
  negotiation = await revise(
    w,
    "julien",
    "achats",
    at(w, 36, 8, 30),
    negotiation,
    `Douze participants, animé par Sophie Lefèvre.\n\n## Ce qu'on a appris\n\n- Préparer la **zone d'accord possible** avant toute rencontre\n- Toujours avoir une *alternative* crédible (la MESORE)\n- Noter les concessions au fil de l'eau\n\n## Le cas pratique\n\nRenégociation d'un contrat de transport de 3,2 M€ par an : la hausse demandée de 9 % est ramenée à 2,5 %, avec un engagement de service en contrepartie.`,
    "Ajout du cas pratique",
  );
  negotiation = await revise(
    w,
    "sophie",
    "achats",
    at(w, 35, 18, 15),
    negotiation,
    `Douze participants, animé par Sophie Lefèvre. Le support et la photo sont dans les fichiers du club (Ateliers › ${isoMonth(days.negotiation)} Négociation).\n\n## Ce qu'on a appris\n\n- Préparer la **zone d'accord possible** avant toute rencontre\n- Toujours avoir une *alternative* crédible (la MESORE)\n- Noter les concessions au fil de l'eau\n\n## Le cas pratique\n\nRenégociation d'un contrat de transport de 3,2 M€ par an : la hausse demandée de 9 % est ramenée à 2,5 %, avec un engagement de service en contrepartie.\n\n## Pour aller plus loin\n\nLa [grille d'évaluation](/pages/${grid.id}) sert aussi à préparer les renégociations.\n\n---\n\nProchain atelier : S&OP, en ${monthName(days.sop)}.`,
    "Liens et suite",
  );

  await page(
    w,
    "karim",
    "achats",
    at(w, 24, 18, 0),
    `Atelier S&OP — ${monthYear(days.sop)}`,
    `Neuf participants, animé par Karim Benali.\n\n## Les trois messages\n\n1. Le S&OP est une réunion de **décision**, pas de reporting\n2. Les achats y apportent la capacité des fournisseurs critiques\n3. Un seul chiffre de prévision, partagé par tous\n\nLa trame de réunion est dans les fichiers du club (Ateliers › ${isoMonth(days.sop)} S&OP).`,
    reports,
  );

  // The HR club keeps its own wiki.
  const hrGuide = await page(
    w,
    "anne",
    "rh",
    at(w, 50, 10, 0),
    "Guide du dialogue social en restructuration",
    `## Les étapes\n\n1. Information du CSE, calendrier écrit\n2. Consultation : livre 2, expertise éventuelle\n3. Accompagnement individuel des salariés\n\n## Ce qui fait la différence\n\n- Un calendrier tenu, annoncé tôt\n- Des managers de proximité formés avant l'annonce`,
  );
  await revise(
    w,
    "nathalie",
    "rh",
    at(w, 27, 16, 0),
    hrGuide,
    `## Les étapes\n\n1. Information du CSE, calendrier écrit\n2. Consultation : livre 2, expertise éventuelle\n3. Accompagnement individuel des salariés\n\n## Ce qui fait la différence\n\n- Un calendrier tenu, annoncé tôt\n- Des managers de proximité formés avant l'annonce\n- Un coaching court pour les managers qui annoncent (trois séances suffisent)`,
    "Coaching des managers",
  );

  return { grid, checklist, negotiation, kraljic };
}
