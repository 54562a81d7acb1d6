import { transact } from "#db/transact.ts";
import { answerRequest, postMessage, startConversation } from "#app/conversations/commands.server.ts";
import { checkCommentContent } from "#app/editor/content-pool.server.ts";
import { actorOf } from "#app/policies/actor.ts";
import { letterhead } from "#app/utils/acting.server.ts";
import { at, frenchSpacing, HOUR, MINUTE, must, type DemoWorld, type PersonKey } from "./demo-world.ts";

/**
 * Private conversations (issue 16), through the conversation commands:
 * Julien and Karim arrange the transport audit (Karim's last word waits
 * unread for Julien), a group of three prepares the annual meeting, Amélie
 * passes Anne the contact she asked for, and Lucas — who shares no club with
 * Julien — sends him a contact request to answer.
 */

const FORMAT = { direction: null, format: "", indent: 0, version: 1 };

async function body(words: string) {
  const text = { type: "text", text: frenchSpacing(words), format: 0, style: "", mode: "normal", detail: 0, version: 1 };
  const json = JSON.stringify({ root: { type: "root", ...FORMAT, children: [{ type: "paragraph", ...FORMAT, textFormat: 0, textStyle: "", children: [text] }] } });
  const checked = await checkCommentContent(json);
  if (!checked.ok) throw new Error(`demo message refused: ${checked.error}`);
  return checked;
}

function acting(world: DemoWorld, person: PersonKey, now: number) {
  const user = world.people[person];
  return { user, actor: actorOf(user), ip: world.ip, now };
}

export async function seedDemoConversations(world: DemoWorld) {
  const w = world;
  const head = await letterhead();
  const start = async (by: PersonKey, to: PersonKey[], when: number, words: string) => {
    const done = must("conversation", await transact(w.db, async (trx) => startConversation(trx, acting(w, by, when), { recipientIds: to.map((k) => w.people[k].id), body: await body(words), letterhead: head })));
    return done.conversationId;
  };
  const say = async (by: PersonKey, conversationId: string, when: number, words: string) => {
    const text = await body(words);
    must("message", await transact(w.db, (trx) => postMessage(trx, acting(w, by, when), { conversationId, body: text, letterhead: head })));
  };

  const audit = await start("julien", ["karim"], at(w, 5, 19, 10), "Karim, merci pour ta réponse sur l'audit transport. On s'appelle cette semaine pour caler le périmètre ?");
  await say("karim", audit, at(w, 5, 21, 0), "Avec plaisir. Jeudi 10 h ? Je t'envoie mon tableau d'indexation gazole avant.");
  await say("julien", audit, at(w, 4, 8, 30), "Jeudi 10 h parfait. Le client a 15 transporteurs, je te transmets les volumes par ligne.");
  await say("karim", audit, w.now - 2 * HOUR, "Tableau déposé dans les fichiers du club (dossier Ateliers). Regarde l'onglet « clauses de révision » avant jeudi.");

  const meeting = await start("claire", ["sophie", "karim"], at(w, 8, 9, 0), "Pour la rencontre annuelle : je propose une table ronde sur les achats responsables, avec Camille. Vos avis ?");
  await say("sophie", meeting, at(w, 8, 11, 20), "Bonne idée. On pourrait ouvrir avec le retour d'expérience de l'atelier négociation.");
  await say("karim", meeting, at(w, 7, 17, 45), "D'accord pour les deux. Je peux réserver la salle de la Part-Dieu pour le 14.");
  await say("claire", meeting, at(w, 7, 18, 5), "Parfait, je fais l'invitation au réseau la semaine prochaine.");

  const contact = await start("amelie", ["anne"], at(w, 3, 9, 15), "Bonjour Anne, comme promis sous ta demande : la DRH de l'enseigne nantaise s'appelle Claire Bodin. Elle est d'accord pour un échange, je vous mets en relation par e-mail.");
  await say("anne", contact, at(w, 3, 12, 40), "Merci Amélie, c'est exactement ce qu'il me fallait !");

  // Lucas shares no club with Julien: his first message is a contact request, waiting for Julien.
  await start("lucas", ["julien"], w.now - 40 * MINUTE, "Bonjour Julien, j'ai vu votre demande sur les achats de transport. J'accompagne un transporteur breton sur son ERP : un échange vous serait-il utile ?");

  // Pierre asked Olivier for contact last week (they share no club); Olivier accepted.
  const request = await start("pierre", ["olivier"], at(w, 9, 10, 0), "Bonjour Olivier, Nathalie m'a parlé de votre accompagnement des indépendants. Je prends ma retraite d'acheteur public et voudrais créer ma structure de conseil.");
  must("accept", await transact(w.db, (trx) => answerRequest(trx, acting(w, "olivier", at(w, 9, 18, 0)), { conversationId: request, accept: true })));
  await say("olivier", request, at(w, 9, 18, 2), "Bonjour Pierre, volontiers. Appelez-moi au cabinet, je vous présente les statuts possibles.");
}
