import { transact } from "#db/transact.ts";
import { checkDocument } from "#app/editor/content-pool.server.ts";
import { markdownToJson } from "#app/wiki/markdown.server.ts";
import { letterhead } from "#app/utils/acting.server.ts";
import type { Workshop } from "#db/schema.ts";
import { setNotesPage } from "#db/queries/workshop-notes.ts";
import { recordAttendance } from "#app/workshops/attendance.server.ts";
import { cancelWorkshop, proposeWorkshop, scheduleWorkshop } from "#app/workshops/commands.server.ts";
import { addMaterial } from "#app/workshops/materials.server.ts";
import type { WorkshopFormValue } from "#app/workshops/form.server.ts";
import { register, type RegistrationChoice } from "#app/workshops/registration.server.ts";
import type { DemoFiles } from "./demo-files.ts";
import type { DemoPages } from "./demo-wiki.ts";
import { actingIn, at, DAY, frenchSpacing, HOUR, MINUTE, must, workshopDays, type DemoWorld } from "./demo-world.ts";

/**
 * The clubs' workshops, through the workshop commands as the form and the
 * registration panel run them: the two the club held a few weeks back (the
 * files, pages and articles about them name their month), and those coming,
 * one full with people waiting, one online and open to the whole network,
 * one across the Lyon circle, one cancelled, and a member's proposal waiting
 * for the admins.
 */

/** `daysAhead` days after now at `hour`:`minute`, Paris time in winter (UTC+1). */
function ahead(world: Pick<DemoWorld, "now">, daysAhead: number, hour: number, minute = 0): number {
  const today = new Date(world.now);
  const midnight = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate());
  return midnight + daysAhead * DAY + (hour - 1) * HOUR + minute * MINUTE;
}

interface Planned {
  by: string;
  space: string;
  /** When it was scheduled. */
  scheduled: number;
  title: string;
  startsAt: number;
  minutes: number;
  place?: string;
  videoUrl?: string;
  capacity?: number;
  /** Opened to the whole network. */
  network?: boolean;
  /** An image of the space's files. */
  cover?: string;
  markdown: string;
  /** Who answers, in this order, and when (a moment before the workshop). */
  answers: Array<[person: string, status: RegistrationChoice, note?: string]>;
}

async function plan(world: DemoWorld, p: Planned) {
  const description = await checkDocument(markdownToJson(frenchSpacing(p.markdown)));
  if (!description.ok) throw new Error(`demo workshop "${p.title}" refused: ${description.error}`);
  const form: WorkshopFormValue = {
    title: p.title,
    startsAt: p.startsAt,
    endsAt: p.startsAt + p.minutes * MINUTE,
    timeZone: "Europe/Paris",
    place: p.place ?? null,
    videoUrl: p.videoUrl ?? null,
    outsideSpeaker: null,
    capacity: p.capacity ?? null,
    registrationClosesAt: null,
    facilitatorIds: [] as string[],
    coverFileId: p.cover ?? null,
    network: p.network ?? false,
    description: description.json,
  };
  const head = await letterhead();
  const ctx = { ...(await actingIn(world, p.by, p.space, p.scheduled)) };
  form.facilitatorIds = [ctx.user.id];
  const { workshop } = must(`workshop ${p.title}`, await transact(world.db, (trx) => scheduleWorkshop(trx, ctx, { form, content: description, head })));
  for (const [i, [person, status, note]] of p.answers.entries()) {
    // Answers come in over the days after it was scheduled, always before it starts.
    const when = Math.min(p.scheduled + (i + 1) * 7 * HOUR, p.startsAt - HOUR);
    const who = await actingIn(world, person, p.space, when);
    must(`${person} answers ${p.title}`, await transact(world.db, (trx) => register(trx, who, { workshopId: workshop.id, status, note: note ?? null, head })));
  }
  return workshop;
}

export async function seedDemoWorkshops(world: DemoWorld, files: DemoFiles, pages: DemoPages) {
  const w = world;
  const head = await letterhead();
  const days = workshopDays(w);
  const negotiation = await plan(w, {
    by: "sophie",
    space: "achats",
    scheduled: at(w, 60, 18, 0),
    title: "Préparer une négociation difficile",
    startsAt: days.negotiation,
    minutes: 180,
    place: "Maison des associations, 12 rue de la Paix, 75002 Paris",
    capacity: 14,
    markdown:
      "Une matinée pour **préparer** une négociation plutôt que la subir : zone d'accord possible, alternative chiffrée, registre des concessions.\n\nApportez un cas réel (anonymisé) : nous en travaillerons deux en sous-groupes.",
    answers: [["julien", "going"], ["karim", "going"], ["amelie", "going"], ["camille", "maybe"], ["pierre", "going", "J'apporte un cas d'appel d'offres public."]],
  });
  await plan(w, {
    by: "claire",
    space: "achats",
    scheduled: at(w, 45, 9, 30),
    title: "S&OP : aligner achats, production et ventes",
    startsAt: days.sop,
    minutes: 150,
    place: "Cercle des ETI, 8 quai Saint-Vincent, 69001 Lyon",
    videoUrl: "https://visio.conseil-associes.example/sop",
    markdown: "Karim présente la démarche S&OP qu'il a menée dans une ETI de 400 personnes : le cycle mensuel, les indicateurs, ce qui a résisté.",
    answers: [["karim", "going"], ["julien", "going"], ["amelie", "maybe"]],
  });
  await plan(w, {
    by: "sophie",
    space: "achats",
    scheduled: at(w, 9, 17, 45),
    title: "Négocier avec un fournisseur unique",
    cover: files.ids.negotiationCover,
    startsAt: ahead(w, 6, 9, 30),
    minutes: 150,
    place: "Maison des associations, 12 rue de la Paix, 75002 Paris",
    capacity: 4,
    markdown:
      "Quand il n'y a qu'un fournisseur possible, le rapport de force semble joué d'avance. Il ne l'est pas : **coûts de sortie**, engagement de volume, co-développement.\n\n- 9 h 30 — tour de table des situations\n- 10 h 00 — trois leviers, trois cas\n- 11 h 30 — ce que chacun essaie d'ici le prochain atelier\n\nQuatre places pour garder le temps d'échanger.",
    answers: [["julien", "going"], ["karim", "going"], ["camille", "going"], ["claire", "going"], ["amelie", "going", "Je peux venir si une place se libère."], ["pierre", "maybe"]],
  });
  await plan(w, {
    by: "claire",
    space: "achats",
    scheduled: at(w, 4, 11, 0),
    title: "Achats responsables : le devoir de vigilance en pratique",
    cover: files.ids.responsibleCover,
    startsAt: ahead(w, 13, 14, 0),
    minutes: 120,
    videoUrl: "https://visio.conseil-associes.example/vigilance",
    // A subject every club asks about: the whole network may come.
    network: true,
    markdown: "Camille partage la cartographie des risques qu'elle a construite pour un distributeur : par où commencer, quoi demander aux fournisseurs, comment suivre.",
    answers: [["camille", "going"], ["sophie", "going"], ["julien", "maybe"]],
  });
  await plan(w, {
    by: "karim",
    space: "lyon",
    scheduled: at(w, 6, 8, 15),
    title: "Petit-déjeuner du cercle : trouver ses premières missions à Lyon",
    cover: files.ids.lyonCover,
    startsAt: ahead(w, 9, 8, 0),
    minutes: 90,
    place: "Café du Cercle, 5 place Bellecour, 69002 Lyon",
    capacity: 12,
    markdown: "Un café, un croissant et un tour de table : qui cherche quoi, qui connaît qui. Olivier dira deux mots du portage et des premières factures.",
    answers: [["julien", "going"], ["nathalie", "going"], ["olivier", "going"]],
  });
  await followUp(w, negotiation, files, pages);
  const fiscal = await plan(w, {
    by: "karim",
    space: "lyon",
    scheduled: at(w, 12, 18, 30),
    title: "Loi de finances : ce qui change pour les indépendants",
    startsAt: ahead(w, 16, 18, 30),
    minutes: 90,
    place: "Café du Cercle, 5 place Bellecour, 69002 Lyon",
    markdown: "Olivier résume les mesures qui touchent les consultants indépendants : cotisations, frais réels, facturation électronique.",
    answers: [["nathalie", "going"], ["olivier", "going"], ["julien", "maybe"]],
  });
  const cancelling = await actingIn(w, "karim", "lyon", at(w, 2, 9, 10));
  must(
    "cancel the finance workshop",
    await transact(w.db, (trx) => cancelWorkshop(trx, cancelling, { workshop: fiscal, reason: "Olivier est retenu par une mission à Genève ; nous reprogrammons en janvier.", head })),
  );
  await propose(w, {
    by: "julien",
    space: "achats",
    when: at(w, 1, 21, 15),
    title: "Retour d'expérience : internaliser les achats de transport",
    startsAt: ahead(w, 27, 9, 30),
    minutes: 120,
    markdown: "J'ai accompagné une PME dans la reprise en main de ses achats de transport, jusque-là confiés à un commissionnaire. Je propose de raconter les **trois premiers mois** : appel d'offres, tableau de bord, premières économies.",
  });
}

/** A member proposes one: it waits in the admins' approvals queue. */
async function propose(world: DemoWorld, p: { by: string; space: string; when: number; title: string; startsAt: number; minutes: number; markdown: string }) {
  const content = await checkDocument(markdownToJson(frenchSpacing(p.markdown)));
  if (!content.ok) throw new Error(`demo proposal "${p.title}" refused: ${content.error}`);
  const ctx = await actingIn(world, p.by, p.space, p.when);
  const form: WorkshopFormValue = {
    title: p.title,
    startsAt: p.startsAt,
    endsAt: p.startsAt + p.minutes * MINUTE,
    timeZone: "Europe/Paris",
    place: null,
    videoUrl: null,
    outsideSpeaker: null,
    capacity: null,
    registrationClosesAt: null,
    facilitatorIds: [ctx.user.id],
    coverFileId: null,
    network: false,
    description: content.json,
  };
  must(`proposal ${p.title}`, await transact(world.db, (trx) => proposeWorkshop(trx, ctx, { form, content })));
}

/**
 * After the negotiation workshop: its supports (the slides, shared with the
 * network; the Kraljic page and the supplier grid), who came (Claire walked
 * in), and its notes — the report Sophie wrote in the wiki that week, linked
 * as the workshop's notes (the wiki page predates the link).
 */
async function followUp(world: DemoWorld, workshop: Workshop, files: DemoFiles, pages: DemoPages) {
  const after = workshop.starts_at + 5 * HOUR;
  const sophie = await actingIn(world, "sophie", "achats", after);
  for (const [target, shared] of [
    [{ kind: "file" as const, id: files.ids.supportPdf }, true],
    [{ kind: "page" as const, id: pages.kraljic.id }, false],
    [{ kind: "page" as const, id: pages.grid.id }, false],
  ] as const) {
    must(`material for ${workshop.title}`, await transact(world.db, (trx) => addMaterial(trx, sophie, { workshop, target, shared })));
  }
  const came = (["julien", "karim", "amelie", "pierre", "claire"] as const).map((p) => world.people[p].id);
  must(`attendance of ${workshop.title}`, await transact(world.db, (trx) => recordAttendance(trx, sophie, { workshop, attendedIds: came })));
  await setNotesPage(world.db, workshop.id, pages.negotiation.id);
}
