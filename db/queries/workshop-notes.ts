import type { Executor } from "../client.ts";

/** A workshop's notes: a wiki page of its space, linked both ways through workshop.notes_page_id. */

export async function setNotesPage(db: Executor, workshopId: string, pageId: string) {
  await db.updateTable("workshop").set({ notes_page_id: pageId }).where("id", "=", workshopId).execute();
}

/** The live workshops of this space whose notes are this page (the wiki page links back to them). */
export function workshopsWithNotes(db: Executor, spaceId: string, pageId: string) {
  return db
    .selectFrom("workshop")
    .select(["id", "title", "state", "proposed_by", "deleted_at", "visibility", "starts_at"])
    .where("space_id", "=", spaceId)
    .where("notes_page_id", "=", pageId)
    .where("deleted_at", "is", null)
    .orderBy("starts_at", "desc")
    .execute();
}

/** The notes page, if it is still a live page of the workshop's space. */
export function liveNotesPage(db: Executor, spaceId: string, pageId: string | null) {
  if (pageId === null) return Promise.resolve(undefined);
  return db
    .selectFrom("page")
    .select(["id", "title", "slug"])
    .where("space_id", "=", spaceId)
    .where("id", "=", pageId)
    .where("deleted_at", "is", null)
    .executeTakeFirst();
}

/** The notes page of each of these workshops that has one still live, by workshop id. */
export async function notesPages(db: Executor, workshopIds: readonly string[]): Promise<Map<string, { slug: string; title: string }>> {
  if (workshopIds.length === 0) return new Map();
  const rows = await db
    .selectFrom("workshop as w")
    .innerJoin("page as p", "p.id", "w.notes_page_id")
    .select(["w.id", "p.slug", "p.title"])
    .where("w.id", "in", [...workshopIds])
    .where("p.deleted_at", "is", null)
    .execute();
  return new Map(rows.map((r) => [r.id, { slug: r.slug, title: r.title }]));
}
