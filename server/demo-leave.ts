import type { Owner } from "#db/owners.ts";
import { addMember } from "#db/queries/members.ts";
import { currentProfileInput, writeProfile } from "#db/queries/people.ts";
import { createUser } from "#db/queries/users.ts";
import type { Comment, User } from "#db/schema.ts";
import { transact } from "#db/transact.ts";
import { carryOutDueDeletions } from "#app/accounts/deletion-job.server.ts";
import { requestAccountDeletion } from "#app/accounts/deletion.server.ts";
import { createComment } from "#app/comments/commands.server.ts";
import { checkCommentContent } from "#app/editor/content-pool.server.ts";
import { actorOf } from "#app/policies/actor.ts";
import { letterhead } from "#app/utils/acting.server.ts";
import { getStorage } from "#app/utils/storage.server.ts";
import type { DemoPages } from "./demo-wiki.ts";
import { actingIn, at, DAY, frenchSpacing, must, type DemoWorld } from "./demo-world.ts";

/**
 * Leaving the network, in the demo (issue 19). Bernard Lemoine, a buyer
 * co-opted into the purchasing club by Sophie, discussed the Kraljic matrix
 * on the wiki, then asked three weeks ago for his account to be deleted,
 * anonymised: the job carried it out once his 14 days were over. His
 * comments stay in the thread, signed "Ancien membre", Karim's answer under
 * them; the club still records that Sophie co-opted someone. Hélène Garnier
 * asked three days ago (removing what is hers alone): until her date she is
 * out of the directory, and signing in would cancel it. Both requests, and
 * the deletion, are in the audit log by id.
 */

const FORMAT = { direction: null, format: "", indent: 0, version: 1 };

function commentJson(words: string) {
  const children = [{ type: "text", text: frenchSpacing(words), format: 0, style: "", mode: "normal", detail: 0, version: 1 }];
  return JSON.stringify({ root: { type: "root", ...FORMAT, children: [{ type: "paragraph", ...FORMAT, textFormat: 0, textStyle: "", children }] } });
}

async function say(world: DemoWorld, who: User, space: string, when: number, target: Owner, words: string, answering: Comment | null = null) {
  const body = await checkCommentContent(commentJson(words));
  if (!body.ok) throw new Error(`demo comment refused: ${body.error}`);
  const key = Object.entries(world.people).find(([, u]) => u.id === who.id)?.[0];
  const ctx = key ? await actingIn(world, key, space, when) : await actingAs(world, who, space, when);
  return must("comment", await transact(world.db, (trx) => createComment(trx, ctx, { target, parentId: answering?.id ?? null, body }))).comment;
}

/** Someone outside the demo's cast of people acting in a space. */
async function actingAs(world: DemoWorld, user: User, space: string, now: number) {
  const where = world.spaces[space];
  const membership = await world.db.selectFrom("space_member").selectAll().where("space_id", "=", where.id).where("user_id", "=", user.id).executeTakeFirstOrThrow();
  return { user, actor: actorOf(user), membership, space: where, ip: world.ip, now };
}

async function newcomer(world: DemoWorld, passwordHash: string, input: { name: string; email: string; sponsor: User; space: string; joinedDaysAgo: number }) {
  const when = at(world, input.joinedDaysAgo, 9, 0);
  const user = await createUser(world.db, { email: input.email, displayName: input.name, passwordHash, sponsorId: input.sponsor.id, locale: "fr", now: when });
  await addMember(world.db, { spaceId: world.spaces[input.space].id, userId: user.id, role: "member", sponsorId: input.sponsor.id, now: when });
  return user;
}

export async function seedDemoLeave(world: DemoWorld, pages: DemoPages, passwordHash: string) {
  const w = world;
  const head = await letterhead();

  const bernard = await newcomer(w, passwordHash, { name: "Bernard Lemoine", email: "bernard.lemoine@conseil-associes.example", sponsor: w.people.sophie, space: "achats", joinedDaysAgo: 200 });
  const kraljic: Owner = { kind: "page", id: pages.kraljic.id };
  const question = await say(
    w,
    bernard,
    "achats",
    at(w, 30, 14, 10),
    kraljic,
    "Dans l'agroalimentaire, je classe l'emballage carton en « critique » et non en « levier » : deux papetiers seulement savent tenir nos délais. Vous faites comment ?",
  );
  await say(
    w,
    w.people.karim,
    "achats",
    at(w, 30, 17, 35),
    kraljic,
    "Pareil chez mes clients : on qualifie un troisième fournisseur sur un format standard, ça suffit souvent à rouvrir la négociation.",
    question,
  );
  await say(w, bernard, "achats", at(w, 29, 8, 50), kraljic, "Merci Karim, je tente le format standard au prochain appel d'offres et je vous fais un retour.", question);

  // Three weeks ago he asked, anonymised; the job did it when his 14 days were over.
  const asked = at(w, 21, 19, 0);
  const bernardNow = (await w.db.selectFrom("user").selectAll().where("id", "=", bernard.id).executeTakeFirstOrThrow()) as User;
  must(
    "Bernard's deletion",
    await transact(w.db, (trx) => requestAccountDeletion(trx, { user: bernardNow, actor: actorOf(bernardNow), ip: w.ip, now: asked, letterhead: head }, { mode: "anonymise" })),
  );
  const deleted = await carryOutDueDeletions(w.db, getStorage(), asked + 14 * DAY + 60_000);
  if (deleted !== 1) throw new Error(`demo: Bernard's deletion was not carried out (${deleted})`);

  // Hélène asked three days ago, removing what is hers alone: pending, out of the directory meanwhile.
  const helene = await newcomer(w, passwordHash, { name: "Hélène Garnier", email: "helene.garnier@conseil-associes.example", sponsor: w.people.anne, space: "rh", joinedDaysAgo: 120 });
  const bio = "Juriste en droit social, j'accompagne les PME dans leurs négociations annuelles et la mise en place de leur CSE.";
  const profile = await currentProfileInput(w.db, helene.id);
  await writeProfile(
    w.db,
    helene.id,
    {
      ...profile,
      headline: "Juriste droit social, relations collectives",
      bio: { json: commentJson(bio), html: `<p class="rt-p">${bio.replace(/'/g, "&#x27;")}</p>` },
      skills: ["droit social", "CSE", "négociation collective", "paie"],
      region: "pdl",
      city: "Angers",
      professionalStatus: "independent",
      languages: ["fr", "en"],
      openTo: ["missions", "mentoring"],
    },
    at(w, 120, 9, 30),
  );
  must(
    "Hélène's deletion request",
    await transact(w.db, (trx) => requestAccountDeletion(trx, { user: helene, actor: actorOf(helene), ip: w.ip, now: at(w, 3, 21, 15), letterhead: head }, { mode: "remove" })),
  );
}
