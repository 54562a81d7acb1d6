import type { Executor } from "#db/client.ts";
import type { Space, Workshop } from "#db/schema.ts";
import { findLiveFile } from "#db/queries/files.ts";
import { findInSpace } from "#db/queries/pages.ts";
import * as materials from "#db/queries/workshop-materials.ts";
import type { ActingParts } from "#app/utils/acting.server.ts";
import { fileDownloadUrl, fileUrl, wikiPageUrl } from "#app/urls.ts";

/**
 * A workshop's materials: pages and files of its own space, linked with the
 * wiki's and the files' own pickers (or a file uploaded into the space's
 * files first, then linked), marked "shared" or not, reordered, removed. The
 * caller has checked who acts (canManageMaterials); these commands check that
 * what is named belongs to this workshop and this space: anything else is
 * "not_found", and nothing changes.
 */

export type MaterialsActing = ActingParts<"user" | "space" | "now">;
export type MaterialTarget = { kind: "page" | "file"; id: string };
type NotFound = { ok: false; error: "not_found" };

/** Links a live page or file of the space; one already listed stays as it is (answered `already`). */
export async function addMaterial(
  trx: Executor,
  ctx: MaterialsActing,
  input: { workshop: Pick<Workshop, "id">; target: MaterialTarget; shared: boolean },
): Promise<{ ok: true; id: string; already: boolean } | NotFound> {
  const { target } = input;
  // Another space's page or file is as unknown here as one that does not exist.
  const found =
    target.kind === "page"
      ? await findInSpace(trx, ctx.space.id, target.id).then((p) => (p && p.deleted_at === null ? p : undefined))
      : await findLiveFile(trx, ctx.space.id, target.id);
  if (!found) return { ok: false, error: "not_found" };
  const key = target.kind === "page" ? { pageId: found.id } : { fileId: found.id };
  const existing = await materials.findLinked(trx, input.workshop.id, key);
  if (existing) return { ok: true, id: existing.id, already: true };
  const id = await materials.insertMaterial(trx, {
    workshopId: input.workshop.id,
    pageId: target.kind === "page" ? found.id : null,
    fileId: target.kind === "file" ? found.id : null,
    shared: input.shared,
    addedBy: ctx.user.id,
    now: ctx.now,
  });
  return { ok: true, id, already: false };
}

export async function removeMaterial(trx: Executor, _ctx: MaterialsActing, input: { workshop: Pick<Workshop, "id">; materialId: string }): Promise<{ ok: true } | NotFound> {
  const row = await materials.findMaterial(trx, input.workshop.id, input.materialId);
  if (!row) return { ok: false, error: "not_found" };
  await materials.deleteMaterial(trx, row.id);
  return { ok: true };
}

export async function shareMaterial(
  trx: Executor,
  _ctx: MaterialsActing,
  input: { workshop: Pick<Workshop, "id">; materialId: string; shared: boolean },
): Promise<{ ok: true } | NotFound> {
  const row = await materials.findMaterial(trx, input.workshop.id, input.materialId);
  if (!row) return { ok: false, error: "not_found" };
  await materials.setShared(trx, row.id, input.shared);
  return { ok: true };
}

/** One step up or down; at either end nothing moves (still ok: the list is as asked). */
export async function moveMaterial(
  trx: Executor,
  _ctx: MaterialsActing,
  input: { workshop: Pick<Workshop, "id">; materialId: string; direction: "up" | "down" },
): Promise<{ ok: true; moved: boolean } | NotFound> {
  const row = await materials.findMaterial(trx, input.workshop.id, input.materialId);
  if (!row) return { ok: false, error: "not_found" };
  return { ok: true, moved: await materials.moveMaterial(trx, input.workshop.id, row.id, input.direction) };
}

export interface MaterialView {
  id: string;
  kind: "page" | "file";
  title: string;
  /** Null for a reader outside the space: the page or file is not theirs to open (yet). */
  href: string | null;
  /** A file's bytes, straight away. */
  downloadHref: string | null;
  size: number | null;
  contentType: string | null;
  shared: boolean;
}

/**
 * The materials a reader of the workshop page sees, in order: all of them
 * to whoever reads the space; to a member of another club reading a workshop
 * opened to the network, only those marked shared, by name: the wiki and the
 * files do not open to them (the workshop page links nowhere else in the
 * space for them).
 */
export async function materialsView(db: Executor, space: Pick<Space, "slug">, workshop: Pick<Workshop, "id">, options: { sharedOnly: boolean }): Promise<MaterialView[]> {
  const rows = await materials.listMaterials(db, workshop.id, { sharedOnly: options.sharedOnly });
  const links = !options.sharedOnly;
  return rows.map((m) =>
    m.page_id !== null
      ? {
          id: m.id,
          kind: "page" as const,
          title: m.page_title ?? "",
          href: links ? wikiPageUrl(space.slug, m.page_slug ?? "") : null,
          downloadHref: null,
          size: null,
          contentType: null,
          shared: m.shared === 1,
        }
      : {
          id: m.id,
          kind: "file" as const,
          title: m.file_name ?? "",
          href: links ? fileUrl(space.slug, m.file_id ?? "") : null,
          downloadHref: links ? fileDownloadUrl(space.slug, m.file_id ?? "") : null,
          size: m.file_size,
          contentType: m.file_type,
          shared: m.shared === 1,
        },
  );
}
