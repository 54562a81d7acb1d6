import type { Post } from "#db/schema.ts";
import { transact } from "#db/transact.ts";
import { changePostState, createPost, savePost, type StateChange } from "#app/blog/commands.server.ts";
import type { PostForm } from "#app/blog/form.server.ts";
import { localFromInstant } from "#app/blog/schedule.ts";
import { checkDocument } from "#app/editor/content-pool.server.ts";
import { markdownToJson } from "#app/wiki/markdown.server.ts";
import type { DemoFiles } from "./demo-files.ts";
import type { DemoPages } from "./demo-wiki.ts";
import { actingIn, at, DAY, dayMonth, frenchSpacing, monthName, must, workshopDays, type DemoWorld } from "./demo-world.ts";

/**
 * The clubs' articles, through the blog's commands as the editing screen
 * runs them: a draft created, then published (or scheduled) later. Each
 * published one has a cover from the club's files; one is open to the whole
 * network; one waits for its moment; one is still a draft.
 */

async function derive(title: string, markdown: string) {
  const content = await checkDocument(markdownToJson(frenchSpacing(markdown)));
  if (!content.ok) throw new Error(`demo article "${title}" refused: ${content.error} ${content.detail ?? ""}`);
  return content;
}

interface Article {
  person: string;
  space: string;
  title: string;
  markdown: string;
  cover?: string;
  tags?: string;
  excerpt?: string;
  network?: boolean;
  /** When the draft was made. */
  written: number;
}

async function write(world: DemoWorld, a: Article): Promise<Post> {
  const content = await derive(a.title, a.markdown);
  const form: PostForm = {
    title: a.title,
    content: content.json,
    excerpt: a.excerpt ?? "",
    coverFileId: a.cover ?? "",
    tags: a.tags ?? "",
    visibility: a.network ? "network" : "space",
    summary: "",
  };
  const ctx = await actingIn(world, a.person, a.space, a.written);
  return must(`article ${a.title}`, await transact(world.db, (trx) => createPost(trx, ctx, { form, content }))).post;
}

async function change(world: DemoWorld, person: string, space: string, when: number, post: Post, to: StateChange) {
  const ctx = await actingIn(world, person, space, when);
  must(`${to.to} of ${post.title}`, await transact(world.db, (trx) => changePostState(trx, ctx, { post, change: to })));
}

export interface DemoPosts {
  negotiation: Post;
  sop: Post;
  responsible: Post;
  upcoming: Post;
  lyon: Post;
  hr: Post;
}

export async function seedDemoBlog(world: DemoWorld, files: DemoFiles, pages: DemoPages): Promise<DemoPosts> {
  const w = world;
  const { ids } = files;
  const days = workshopDays(w);

  const negotiation = await write(w, {
    person: "sophie",
    space: "achats",
    written: at(w, 30, 9, 5),
    title: frenchSpacing("Négociation : ce que douze acheteurs ont appris en une matinée"),
    cover: ids.negotiationCover,
    tags: "négociation, atelier",
    network: true,
    markdown: `Le ${dayMonth(days.negotiation)}, douze membres du club ont passé une matinée sur un seul sujet : **préparer** une négociation plutôt que la subir.\n\n## Trois idées à garder\n\n1. Écrire la zone d'accord possible avant la première rencontre\n2. Avoir une alternative crédible — la fameuse MESORE — et la connaître chiffrée\n3. Tenir le registre des concessions : ce qu'on a donné, ce qu'on a obtenu\n\n## Le cas pratique\n\nUn transporteur demandait 9 % de hausse au 1er janvier. En ouvrant un appel d'offres ciblé sur deux lots régionaux, l'acheteur a conclu à 2,5 %, avec un engagement de service en échange.\n\n> « On ne négocie bien que ce qu'on a préparé par écrit. »\n\nLe compte rendu complet est dans [le wiki du club](/pages/${pages.negotiation.id}).`,
  });
  await change(w, "sophie", "achats", at(w, 29, 8, 0), negotiation, { to: "publish" });

  const sop = await write(w, {
    person: "karim",
    space: "achats",
    written: at(w, 18, 9, 0),
    title: frenchSpacing("S&OP : les achats ont leur mot à dire"),
    cover: ids.sopCover,
    tags: "supply chain, S&OP",
    markdown: `Dans beaucoup d'ETI, la réunion S&OP se tient sans les achats. C'est une erreur : la capacité des fournisseurs critiques est souvent la première contrainte du plan.\n\n## Ce que les achats apportent\n\n- La capacité réelle des fournisseurs critiques, à 6 et 18 mois\n- Les délais d'approvisionnement qui bougent\n- Les risques : un fournisseur unique, une matière sous tension\n\n## Comment s'y inviter\n\nCommencer par une famille stratégique (voir [la matrice de Kraljic](/pages/${pages.kraljic.id})), apporter un chiffre que personne d'autre n'a, et revenir chaque mois.`,
  });
  await change(w, "karim", "achats", at(w, 17, 7, 30), sop, { to: "publish" });

  // Camille's article, which Claire corrected before it went out: two revisions by two authors.
  let responsible = await write(w, {
    person: "camille",
    space: "achats",
    written: at(w, 11, 14, 30),
    title: frenchSpacing("Achats responsables : par où commencer dans une PME"),
    cover: ids.responsibleCover,
    tags: "RSE, achats responsables",
    markdown: `Une PME n'a ni direction RSE ni budget d'audit. Elle peut pourtant commencer demain.\n\n## Trois premiers pas\n\n1. Repérer les dix fournisseurs qui pèsent le plus dans le bilan carbone\n2. Ajouter un critère RSE à la grille d'évaluation\n3. Demander à chacun un plan d'action, même modeste`,
  });
  const claireEdit = await actingIn(w, "claire", "achats", at(w, 11, 19, 10));
  const correctedContent = await derive(
    responsible.title,
    `Une PME n'a ni direction RSE ni budget d'audit. Elle peut pourtant commencer demain.\n\n## Trois premiers pas\n\n1. Repérer les dix fournisseurs qui pèsent le plus dans le bilan carbone\n2. Ajouter un critère RSE à la grille d'évaluation (la nôtre lui donne 20 %)\n3. Demander à chacun un plan d'action, même modeste, et le revoir chaque année\n\n## Ce qu'il ne faut pas faire\n\n- Envoyer un questionnaire de quarante pages à tous les fournisseurs\n- Exclure un fournisseur sans lui laisser le temps de progresser`,
  );
  must(
    "Claire's correction",
    await transact(w.db, (trx) =>
      savePost(trx, claireEdit, {
        post: responsible,
        baseRevision: responsible.revision,
        content: correctedContent,
        form: {
          title: responsible.title,
          content: correctedContent.json,
          excerpt: "",
          coverFileId: ids.responsibleCover,
          tags: "RSE, achats responsables",
          visibility: "space",
          summary: "Ajout de « ce qu'il ne faut pas faire »",
        },
      }),
    ),
  );
  responsible = { ...responsible, revision: responsible.revision + 1 };
  await change(w, "camille", "achats", at(w, 10, 8, 15), responsible, { to: "publish" });

  // Claire's announcement goes out by itself in three days, at 9 o'clock Paris time.
  const upcoming = await write(w, {
    person: "claire",
    space: "achats",
    written: at(w, 2, 10, 5),
    title: frenchSpacing("Rencontre annuelle du club : programme et inscriptions"),
    cover: ids.upcomingCover,
    tags: "rencontre annuelle",
    markdown: `La rencontre annuelle du club aura lieu à Lyon, dans les locaux de la CCI.\n\n## Au programme\n\n- 9 h 30 : bilan de l'année et ateliers à venir\n- 11 h : table ronde « achats responsables dans les PME »\n- 12 h 30 : déjeuner\n- 14 h : ateliers en petits groupes\n\nInscriptions auprès de Claire Martin avant la fin du mois.`,
  });
  const day = localFromInstant(w.now + 3 * DAY, "Europe/Paris").slice(0, 10);
  await change(w, "claire", "achats", at(w, 1, 18, 30), upcoming, { to: "schedule", local: `${day}T09:00`, timeZone: "Europe/Paris" });

  // Still a draft: only Julien and the club's editors see it.
  await write(w, {
    person: "julien",
    space: "achats",
    written: at(w, 4, 21, 15),
    title: frenchSpacing("Retour d'expérience : un appel d'offres transport en six semaines"),
    markdown: `Brouillon — à relire par Sophie avant publication.\n\n## Le contexte\n\nUn industriel de la vallée du Rhône, 40 M€ de chiffre d'affaires, un seul transporteur depuis douze ans.\n\n## Ce qui a marché\n\n- Un cahier des charges court, par lot\n- Trois semaines de questions-réponses, pas plus`,
  });

  const lyon = await write(w, {
    person: "karim",
    space: "lyon",
    written: at(w, 15, 8, 0),
    title: frenchSpacing(`Petit-déjeuner de ${monthName(at(w, 16))} : missions à partager`),
    cover: ids.lyonCover,
    tags: "petit-déjeuner, missions",
    network: true,
    markdown: `Nous étions quatorze au petit-déjeuner de ${monthName(at(w, 16))}, à la Part-Dieu.\n\n## Missions à partager\n\n- Une ETI de la chimie cherche un directeur achats de transition pour six mois\n- Un cabinet d'expertise comptable cherche un binôme pour un diagnostic supply chain\n\nÉcrivez à Karim pour être mis en relation.`,
  });
  await change(w, "karim", "lyon", at(w, 14, 7, 45), lyon, { to: "publish" });

  const hr = await write(w, {
    person: "nathalie",
    space: "rh",
    written: at(w, 12, 12, 40),
    title: frenchSpacing("Dialogue social : trois erreurs à éviter en restructuration"),
    cover: ids.hrCover,
    tags: "dialogue social, restructuration",
    network: true,
    markdown: `Après vingt restructurations accompagnées, les mêmes erreurs reviennent.\n\n1. **Annoncer trop tard** aux managers de proximité\n2. **Sous-estimer le calendrier** de consultation du CSE\n3. **Oublier ceux qui restent** : ce sont eux qui feront l'après\n\nLe guide complet est dans le wiki du club.`,
  });
  await change(w, "nathalie", "rh", at(w, 11, 9, 0), hr, { to: "publish" });

  return { negotiation, sop, responsible, upcoming, lyon, hr };
}
