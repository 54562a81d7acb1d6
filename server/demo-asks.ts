import { findMembership } from "#db/queries/members.ts";
import type { AskFields } from "#db/queries/asks.ts";
import type { Ask, AskAudience, AskKind, User } from "#db/schema.ts";
import type { Region } from "#db/profile-fields.ts";
import { transact } from "#db/transact.ts";
import { postAsk, resolveAsk } from "#app/asks/commands.server.ts";
import { createComment } from "#app/comments/commands.server.ts";
import { checkCommentContent } from "#app/editor/content-pool.server.ts";
import { actorOf } from "#app/policies/actor.ts";
import { at, DAY, frenchSpacing, must, type DemoWorld, type PersonKey, type SpaceKey } from "./demo-world.ts";

/**
 * The network's asks (issue 16), through the ask and comment commands:
 * experts wanted, a mission passed on, an introduction, questions answered
 * and resolved with thanks. Two go to the whole network and are answered by
 * members of other clubs; one waits in the secret Cercle Grand Ouest, past
 * its deadline. Julien (the demo's member: achats, négociation, Auvergne-
 * Rhône-Alpes) finds two asks marked as matching him.
 */

const FORMAT = { direction: null, format: "", indent: 0, version: 1 };
const text = (t: string) => ({ type: "text", text: frenchSpacing(t), format: 0, style: "", mode: "normal", detail: 0, version: 1 });
const mention = (u: User) => ({ type: "mention", userId: u.id, text: `@${u.display_name}`, format: 0, style: "", mode: "token", detail: 0, version: 1 });

/** Paragraphs of words and mentions, as the comment editor posts them. */
async function document(paragraphs: Array<Array<string | User>>) {
  const children = paragraphs.map((parts) => ({
    type: "paragraph",
    ...FORMAT,
    textFormat: 0,
    textStyle: "",
    children: parts.map((p) => (typeof p === "string" ? text(p) : mention(p))),
  }));
  const checked = await checkCommentContent(JSON.stringify({ root: { type: "root", ...FORMAT, children } }));
  if (!checked.ok) throw new Error(`demo ask text refused: ${checked.error}`);
  return checked;
}

/** Someone acting in a space, member of it or not (a network ask is answered from outside). */
async function acting(world: DemoWorld, person: PersonKey, space: SpaceKey, now: number) {
  const user = world.people[person];
  const where = world.spaces[space];
  const membership = await findMembership(world.db, where.id, user.id);
  return { user, actor: actorOf(user), membership, space: where, ip: world.ip, now };
}

interface Planned {
  by: PersonKey;
  space: SpaceKey;
  when: number;
  kind: AskKind;
  audience: AskAudience;
  title: string;
  text: string[];
  skills: string[];
  region: Region | "";
  /** Days from now (negative: already passed). */
  deadlineIn: number | null;
}

function dayOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

async function ask(world: DemoWorld, p: Planned): Promise<Ask> {
  const body = await document(p.text.map((t) => [t]));
  const deadline = p.deadlineIn === null ? null : dayOf(world.now + p.deadlineIn * DAY);
  // The end of that day in Paris (the demo's people all live there in winter: UTC+1).
  const closesAt = deadline === null ? null : Date.parse(`${deadline}T23:00:00Z`);
  const fields: AskFields = { kind: p.kind, audience: p.audience, title: p.title, body, skills: p.skills, region: p.region, deadline, closesAt };
  const ctx = await acting(world, p.by, p.space, p.when);
  return must("ask", await transact(world.db, (trx) => postAsk(trx, ctx, fields))).ask;
}

async function answer(world: DemoWorld, person: PersonKey, a: Ask, space: SpaceKey, when: number, parts: Array<string | User>) {
  const body = await document([parts]);
  const ctx = await acting(world, person, space, when);
  return must("answer", await transact(world.db, (trx) => createComment(trx, ctx, { target: { kind: "ask", id: a.id }, parentId: null, body }))).comment;
}

async function resolve(world: DemoWorld, person: PersonKey, a: Ask, space: SpaceKey, when: number, thank: PersonKey[]) {
  const ctx = await acting(world, person, space, when);
  must("resolve", await transact(world.db, (trx) => resolveAsk(trx, ctx, { askId: a.id, thank: thank.map((k) => world.people[k].id) })));
}

export async function seedDemoAsks(world: DemoWorld) {
  const w = world;
  const p = w.people;

  const transport = await ask(w, {
    by: "julien",
    space: "achats",
    when: at(w, 6, 9, 30),
    kind: "expert",
    audience: "network",
    title: "Cherche un expert des achats de transport routier pour un audit chez un industriel lyonnais",
    text: [
      "Un client de la Plastics Vallée (300 salariés) veut revoir ses contrats de transport routier : 4 M€ par an, une quinzaine de transporteurs, aucun appel d'offres depuis 2019.",
      "Je cherche un ou une pair qui a déjà mené ce type d'audit pour un binôme de trois semaines en janvier. Indexation gazole et clauses de révision, c'est là que j'ai besoin de renfort.",
    ],
    skills: ["achats de transport", "négociation", "supply chain"],
    region: "ara",
    deadlineIn: 12,
  });
  await answer(w, "karim", transport, "achats", at(w, 6, 11, 15), ["Je l'ai fait chez un chimiste de l'Ain l'an dernier. Disponible la deuxième quinzaine de janvier, appelle-moi."]);
  // Nathalie is not in the purchasing club: a network ask reaches her all the same.
  await answer(w, "nathalie", transport, "achats", at(w, 5, 18, 40), [
    "Je ne suis pas du métier, mais ",
    p.olivier,
    " a accompagné deux transporteurs de la région sur leur indexation gazole : il connaît l'autre côté de la table.",
  ]);

  await ask(w, {
    by: "sophie",
    space: "achats",
    when: at(w, 3, 8, 50),
    kind: "opportunity",
    audience: "network",
    title: "Mission : direction achats de transition, 6 mois, ETI agroalimentaire près de Rennes",
    text: [
      "Un cabinet partenaire me transmet une mission que je ne peux pas prendre : remplacement du directeur achats d'une ETI agroalimentaire (450 M€ de CA), départ en février, 3 jours par semaine sur site.",
      "Profil : achats de matières premières agricoles, management d'une équipe de 8. Écrivez-moi en réponse ici, je transmets les profils au cabinet.",
    ],
    skills: ["management de transition", "achats"],
    region: "bre",
    deadlineIn: 20,
  });

  const carbon = await ask(w, {
    by: "camille",
    space: "achats",
    when: at(w, 2, 14, 5),
    kind: "opportunity",
    audience: "network",
    title: "Appel d'offres : bilan carbone scope 3 d'une métropole, je cherche un binôme achats",
    text: [
      "Une métropole d'Auvergne-Rhône-Alpes lance un marché pour le bilan carbone de ses achats (scope 3). Je porte la partie méthode ; il me faut un binôme qui connaisse la cartographie des dépenses publiques.",
      "Remise des offres dans trois semaines. Sous-traitance ou groupement, les deux me vont.",
    ],
    skills: ["achats", "bilan carbone", "achats publics"],
    region: "ara",
    deadlineIn: 18,
  });
  await answer(w, "pierre", carbon, "achats", at(w, 1, 9, 20), ["Je connais bien ces marchés : attention au critère de prix, souvent pondéré à 60 %. Je peux relire la note méthodologique."]);

  const mapping = await ask(w, {
    by: "amelie",
    space: "achats",
    when: at(w, 14, 10, 0),
    kind: "question",
    audience: "space",
    title: "Quel outil pour la cartographie des dépenses quand on part d'exports Excel ?",
    text: ["Chez une PME cliente, tout sort de l'ERP en Excel, sans classification. Vous utilisez quoi pour une première cartographie rapide ? Power BI suffit-il, ou faut-il un outil dédié ?"],
    skills: ["data", "Power BI", "achats"],
    region: "",
    deadlineIn: null,
  });
  await answer(w, "karim", mapping, "achats", at(w, 14, 15, 30), ["Power BI suffit pour démarrer : une table de correspondance fournisseurs → familles, et tu es à 80 % en deux jours."]);
  await answer(w, "julien", mapping, "achats", at(w, 13, 9, 10), ["Même avis que Karim. Le vrai travail, c'est le nettoyage des libellés fournisseurs : prévois-le dans ton devis."]);
  await resolve(w, "amelie", mapping, "achats", at(w, 12, 17, 0), ["karim", "julien"]);

  const intro = await ask(w, {
    by: "anne",
    space: "rh",
    when: at(w, 4, 16, 20),
    kind: "introduction",
    audience: "network",
    title: "Mise en relation : la DRH d'un groupe de distribution en Pays de la Loire",
    text: ["Je cherche à être présentée à la DRH (ou au DRH) d'un groupe de distribution de la région, pour un retour d'expérience sur un accord de télétravail en magasins. Quelqu'un a-t-il un contact ?"],
    skills: ["RH", "dialogue social"],
    region: "pdl",
    deadlineIn: 25,
  });
  await answer(w, "claire", intro, "rh", at(w, 4, 18, 0), [p.amelie, " tu travaillais avec une enseigne nantaise l'an dernier, non ?"]);
  await answer(w, "amelie", intro, "rh", at(w, 3, 9, 0), ["Oui ! Je t'envoie son contact en message privé, Anne."]);

  const pse = await ask(w, {
    by: "claire",
    space: "rh",
    when: at(w, 21, 11, 0),
    kind: "question",
    audience: "space",
    title: "Qui a déjà accompagné un PSE dans une PME de moins de 100 salariés ?",
    text: ["Un dirigeant me demande conseil. Je cherche un retour d'expérience concret : calendrier, accompagnement des managers, erreurs à éviter."],
    skills: ["restructuration", "dialogue social"],
    region: "",
    deadlineIn: null,
  });
  await answer(w, "nathalie", pse, "rh", at(w, 21, 17, 45), ["Oui, deux fois. Le point critique : former les managers à l'annonce avant le premier CSE. Appelons-nous jeudi ?"]);
  await resolve(w, "claire", pse, "rh", at(w, 19, 10, 0), ["nathalie"]);

  // In the secret Cercle Grand Ouest: its members only, and past its deadline.
  const sirh = await ask(w, {
    by: "thomas",
    space: "ouest",
    when: at(w, 20, 9, 0),
    kind: "question",
    audience: "space",
    title: "Un organisme de formation SIRH à recommander en Bretagne ?",
    text: ["Déploiement d'un nouveau SIRH chez un client, 40 managers à former en deux vagues. Je cherche un organisme sérieux, idéalement à Rennes."],
    skills: ["SIRH", "formation"],
    region: "bre",
    deadlineIn: -6,
  });
  await answer(w, "lucas", sirh, "ouest", at(w, 18, 14, 0), ["J'ai travaillé avec un organisme rennais très bien sur les ERP ; je te transmets le nom."]);
}
