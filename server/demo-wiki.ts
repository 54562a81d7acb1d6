import type { Space, User } from "#db/schema.ts";
import { transact } from "#db/transact.ts";
import { checkDocument } from "#app/editor/content-pool.server.ts";
import { getDb } from "#app/utils/db.server.ts";
import { createPage } from "#app/wiki/commands.server.ts";
import { markdownToJson } from "#app/wiki/markdown.server.ts";

/** A few wiki pages for the demo club, written in Markdown as a member would import them. */
export async function seedDemoWiki(space: Space, authors: { claire: User; julien: User; sophie: User }) {
  const page = async (author: User, title: string, markdown: string, parentId: string | null = null) => {
    const content = await checkDocument(markdownToJson(markdown));
    if (!content.ok) throw new Error(`demo page "${title}" refused: ${content.error} ${content.detail ?? ""}`);
    const result = await transact(getDb(), (trx) => createPage(trx, { space, user: author, now: Date.now() }, { title, parentId, content, summary: "" }));
    if (!result.ok) throw new Error(`demo page "${title}" refused: ${result.error}`);
    return result.page;
  };

  const methods = await page(
    authors.claire,
    "Méthodes et outils",
    `Les méthodes que le club a éprouvées en mission, à reprendre telles quelles ou à adapter.\n\nChaque page dit **quand** s'en servir, **comment**, et ce qui a coincé.`,
  );
  const grid = await page(
    authors.sophie,
    "Grille d’évaluation des fournisseurs",
    `Une grille simple pour les revues fournisseurs trimestrielles.\n\n| Critère | Poids | Question à poser |\n| --- | --- | --- |\n| Qualité | 30 % | Taux de non-conformité sur 12 mois ? |\n| Délais | 25 % | Part des livraisons à l'heure ? |\n| Prix | 25 % | Écart à la cible négociée ? |\n| RSE | 20 % | Bilan carbone et plan d'action ? |\n\n> Astuce : faire remplir la grille par le fournisseur avant la revue, puis confronter.`,
    methods.id,
  );
  await page(
    authors.julien,
    "Check-list de lancement de mission achats",
    `## Avant la première réunion\n\n- [x] Périmètre et objectifs écrits, signés par le sponsor\n- [x] Données de dépenses des 24 derniers mois\n- [ ] Liste des contrats et de leurs échéances\n\n## La première semaine\n\n1. Entretiens avec les prescripteurs\n2. Cartographie des fournisseurs par segment\n3. Premières pistes de gains, chiffrées\n\nVoir aussi [la grille d'évaluation](/pages/${grid.id}).`,
    methods.id,
  );
  const reports = await page(
    authors.claire,
    "Comptes rendus d’ateliers",
    `Un compte rendu par atelier, écrit dans la semaine par l'animateur.`,
  );
  await page(
    authors.sophie,
    "Atelier négociation — mars 2026",
    `Douze participants, animé par Sophie Lefèvre.\n\n## Ce qu'on a appris\n\n- Préparer la **zone d'accord possible** avant toute rencontre\n- Toujours avoir une *alternative* crédible (la MESORE)\n- Noter les concessions au fil de l'eau\n\n## Pour aller plus loin\n\nLa [grille d'évaluation](/pages/${grid.id}) sert aussi à préparer les renégociations.\n\n---\n\nProchain atelier : S&OP, en avril.`,
    reports.id,
  );
}
