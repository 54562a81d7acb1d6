import type { Executor } from "#db/client.ts";
import * as pages from "#db/queries/pages.ts";
import { doc, paragraph } from "./lexical.ts";
import { seedWorkshop, type SeedWorkshop } from "./workshops.ts";

/**
 * Arrangements for the materials, attendance and notes suites: a workshop
 * with its facilitators, a wiki page, a file row of a space (for links only:
 * its bytes are never read).
 */

const HOUR = 3_600_000;

/** A workshop led by these people; `held` puts it two days back (started, ended). */
export async function ledWorkshop(db: Executor, input: SeedWorkshop & { facilitators?: string[]; held?: boolean }) {
  const startsAt = input.startsAt ?? (input.held ? Date.now() - 48 * HOUR : undefined);
  const row = await seedWorkshop(db, { ...input, startsAt, endsAt: input.endsAt ?? (startsAt !== undefined ? startsAt + 2 * HOUR : undefined) });
  const facilitators = input.facilitators ?? [];
  if (facilitators.length) await db.insertInto("workshop_facilitator").values(facilitators.map((user_id) => ({ workshop_id: row.id, user_id }))).execute();
  return row;
}

export async function wikiPage(db: Executor, input: { spaceId: string; authorId: string; title: string; deleted?: boolean }) {
  const text = `Contenu de ${input.title}`;
  const slug = await pages.uniqueSlug(db, input.spaceId, input.title.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "") || "page");
  const page = await pages.createPage(db, {
    spaceId: input.spaceId,
    parentId: null,
    title: input.title,
    slug,
    content: { json: doc(paragraph(text)), html: `<p>${text}</p>`, text },
    summary: "",
    authorId: input.authorId,
    now: Date.now(),
  });
  if (input.deleted) await pages.trashPage(db, page.id, input.authorId, Date.now());
  return page;
}

/** Who is linked to a workshop, in list order: what each write must leave as asked. */
export function materialRows(db: Executor, workshopId: string) {
  return db.selectFrom("workshop_material").select(["id", "page_id", "file_id", "shared", "position"]).where("workshop_id", "=", workshopId).orderBy("position").execute();
}

