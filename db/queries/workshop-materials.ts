import type { Executor } from "../client.ts";
import { newId } from "../ids.ts";

/**
 * A workshop's materials: pages and files of its own space, in the order the
 * facilitators gave them. A material whose page or file went to the trash is
 * left out of every list (and comes back with it); the row itself goes only
 * when the page or file is purged (ON DELETE CASCADE).
 */

export interface MaterialRow {
  id: string;
  shared: number;
  position: number;
  page_id: string | null;
  page_title: string | null;
  page_slug: string | null;
  file_id: string | null;
  file_name: string | null;
  file_size: number | null;
  file_type: string | null;
}

export function listMaterials(db: Executor, workshopId: string, options: { sharedOnly?: boolean } = {}): Promise<MaterialRow[]> {
  let q = db
    .selectFrom("workshop_material as m")
    .leftJoin("page as p", (j) => j.onRef("p.id", "=", "m.page_id").on("p.deleted_at", "is", null))
    .leftJoin("file as f", (j) => j.onRef("f.id", "=", "m.file_id").on("f.deleted_at", "is", null))
    .select([
      "m.id",
      "m.shared",
      "m.position",
      "m.page_id",
      "p.title as page_title",
      "p.slug as page_slug",
      "m.file_id",
      "f.name as file_name",
      "f.size as file_size",
      "f.content_type as file_type",
    ])
    .where("m.workshop_id", "=", workshopId)
    .where((eb) => eb.or([eb("p.id", "is not", null), eb("f.id", "is not", null)]));
  if (options.sharedOnly) q = q.where("m.shared", "=", 1);
  return q.orderBy("m.position").orderBy("m.added_at").execute();
}

export function findMaterial(db: Executor, workshopId: string, materialId: string) {
  // Always by workshop too: another workshop's material id finds nothing here.
  return db.selectFrom("workshop_material").selectAll().where("workshop_id", "=", workshopId).where("id", "=", materialId).executeTakeFirst();
}

/** The row already linking this page or file to the workshop, if any. */
export function findLinked(db: Executor, workshopId: string, target: { pageId: string } | { fileId: string }) {
  const q = db.selectFrom("workshop_material").selectAll().where("workshop_id", "=", workshopId);
  return ("pageId" in target ? q.where("page_id", "=", target.pageId) : q.where("file_id", "=", target.fileId)).executeTakeFirst();
}

/** Appends a material at the end of the list; answers its id. */
export async function insertMaterial(
  db: Executor,
  input: { workshopId: string; pageId: string | null; fileId: string | null; shared: boolean; addedBy: string; now: number },
): Promise<string> {
  const last = await db
    .selectFrom("workshop_material")
    .select((eb) => eb.fn.max("position").as("position"))
    .where("workshop_id", "=", input.workshopId)
    .executeTakeFirst();
  const id = newId();
  await db
    .insertInto("workshop_material")
    .values({
      id,
      workshop_id: input.workshopId,
      page_id: input.pageId,
      file_id: input.fileId,
      shared: input.shared ? 1 : 0,
      position: Number(last?.position ?? 0) + 1,
      added_by: input.addedBy,
      added_at: input.now,
    })
    .execute();
  return id;
}

export async function deleteMaterial(db: Executor, id: string) {
  await db.deleteFrom("workshop_material").where("id", "=", id).execute();
}

export async function setShared(db: Executor, id: string, shared: boolean) {
  await db.updateTable("workshop_material").set({ shared: shared ? 1 : 0 }).where("id", "=", id).execute();
}

/**
 * Moves one material a step up or down among those the list shows, by
 * renumbering the whole list 1…n in its new order (a few rows; positions left
 * with gaps by removals are closed on the way). Answers false at either end.
 */
export async function moveMaterial(db: Executor, workshopId: string, id: string, direction: "up" | "down"): Promise<boolean> {
  const order = (await listMaterials(db, workshopId)).map((m) => m.id);
  const at = order.indexOf(id);
  const to = direction === "up" ? at - 1 : at + 1;
  if (at < 0 || to < 0 || to >= order.length) return false;
  [order[at], order[to]] = [order[to], order[at]];
  for (const [index, materialId] of order.entries()) {
    await db.updateTable("workshop_material").set({ position: index + 1 }).where("id", "=", materialId).execute();
  }
  return true;
}
