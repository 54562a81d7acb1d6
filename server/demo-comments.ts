import type { Owner } from "#db/owners.ts";
import type { Comment, User } from "#db/schema.ts";
import { transact } from "#db/transact.ts";
import { createComment } from "#app/comments/commands.server.ts";
import { checkCommentContent } from "#app/editor/content-pool.server.ts";
import type { DemoPosts } from "./demo-blog.ts";
import type { DemoPages } from "./demo-wiki.ts";
import { actingIn, at, frenchSpacing, HOUR, MINUTE, must, type DemoWorld } from "./demo-world.ts";

/**
 * Conversations under the articles and wiki pages, through the comment
 * command: threads with replies, and @mentions. The command notifies whom
 * a comment names or answers (and queues their mail), so Claire, who signs
 * in first, finds mentions and replies waiting, the latest from this morning.
 */

const FORMAT = { direction: null, format: "", indent: 0, version: 1 };
const text = (t: string) => ({ type: "text", text: t, format: 0, style: "", mode: "normal", detail: 0, version: 1 });
const mention = (u: User) => ({ type: "mention", userId: u.id, text: `@${u.display_name}`, format: 0, style: "", mode: "token", detail: 0, version: 1 });

/** A comment as the comment editor posts it: one paragraph of words and mentions. */
function commentJson(parts: Array<string | User>) {
  const children = parts.map((p) => (typeof p === "string" ? text(frenchSpacing(p)) : mention(p)));
  return JSON.stringify({ root: { type: "root", ...FORMAT, children: [{ type: "paragraph", ...FORMAT, textFormat: 0, textStyle: "", children }] } });
}

async function say(world: DemoWorld, person: string, space: string, when: number, target: Owner, parts: Array<string | User>, answering: Comment | null = null) {
  const body = await checkCommentContent(commentJson(parts));
  if (!body.ok) throw new Error(`demo comment refused: ${body.error}`);
  const ctx = await actingIn(world, person, space, when);
  return must("comment", await transact(world.db, (trx) => createComment(trx, ctx, { target, parentId: answering?.id ?? null, body }))).comment;
}

export async function seedDemoComments(world: DemoWorld, posts: DemoPosts, pages: DemoPages) {
  const w = world;
  const p = w.people;
  const post = (x: { id: string }): Owner => ({ kind: "post", id: x.id });
  const page = (x: { id: string }): Owner => ({ kind: "page", id: x.id });

  // Sophie's article on negotiation.
  const julien = await say(w, "julien", "achats", at(w, 28, 9, 10), post(posts.negotiation), [
    "Merci ",
    p.sophie,
    " : la MESORE chiffrée m'a servi dès la semaine suivante, chez un client qui voulait tout renégocier en même temps.",
  ]);
  await say(w, "sophie", "achats", at(w, 28, 12, 40), post(posts.negotiation), ["Ravie ! ", p.julien, " tu nous en feras un retour à l'atelier S&OP ?"], julien);
  const claireThread = await say(w, "claire", "achats", at(w, 27, 18, 5), post(posts.negotiation), [
    "Belle matinée. Je propose qu'on en fasse un format pour le Cercle Lyon au premier trimestre.",
  ]);
  await say(w, "karim", "achats", w.now - 26 * HOUR, post(posts.negotiation), ["Bonne idée ", p.claire, " : je peux l'accueillir en janvier, salle de la Part-Dieu."], claireThread);
  await say(w, "amelie", "achats", at(w, 26, 10, 0), post(posts.negotiation), ["Je peux préparer les chiffres de dépenses anonymisés pour le cas pratique."], claireThread);

  // Karim's article on S&OP.
  const amelie = await say(w, "amelie", "achats", at(w, 16, 15, 20), post(posts.sop), [
    "Très juste. Dans mes missions, c'est la donnée de capacité fournisseur qui manque le plus souvent. ",
    p.karim,
    ", tu as un modèle de tableau ?",
  ]);
  await say(w, "karim", "achats", at(w, 16, 18, 0), post(posts.sop), ["Oui, je le dépose dans les fichiers, dossier Ateliers."], amelie);
  // Pierre is the club's guest: he reads and takes part in the conversation.
  await say(w, "pierre", "achats", at(w, 15, 10, 30), post(posts.sop), ["Même constat dans les achats publics : les marchés à bons de commande gagneraient à s'aligner sur les prévisions."]);

  // Camille's article on responsible purchasing.
  const question = await say(w, "claire", "achats", at(w, 9, 8, 45), post(posts.responsible), ["Très utile, merci. Camille, as-tu une clause RSE type à partager pour les contrats-cadres ?"]);
  await say(w, "camille", "achats", w.now - 5 * HOUR, post(posts.responsible), ["Oui : je la mets dans les Modèles cette semaine, avec deux variantes selon la taille du fournisseur."], question);
  await say(w, "amelie", "achats", w.now - 3 * HOUR - 20 * MINUTE, post(posts.responsible), [
    p.claire,
    " et si on en faisait le thème de la table ronde de la rencontre annuelle ?",
  ]);

  // On the wiki: the minutes of the negotiation workshop, to be checked.
  const minutes = await say(w, "sophie", "achats", w.now - 50 * MINUTE, page(pages.negotiation), [
    p.claire,
    " peux-tu relire le compte rendu avant qu'on le diffuse au réseau ? Merci !",
  ]);
  await say(w, "julien", "achats", w.now - 30 * MINUTE, page(pages.negotiation), ["J'ai relu le cas pratique : les chiffres sont bien ceux du support."], minutes);
  await say(w, "karim", "achats", at(w, 18, 11, 0), page(pages.grid), ["Pour les transporteurs, je pondère les délais à 35 % : c'est là que tout se joue."]);

  // In the HR club, where Claire is a member.
  await say(w, "anne", "rh", w.now - 2 * HOUR, post(posts.hr), [
    "Tout à fait d'accord sur le troisième point. ",
    p.claire,
    ", ça rejoint ce que tu disais sur les équipes qui restent après un plan de départs.",
  ]);
}
