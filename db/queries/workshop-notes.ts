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
