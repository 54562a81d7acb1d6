import type { Executor } from "#db/client.ts";
import * as links from "#db/queries/share-links.ts";
import { canManageShareLinks, canRevokeShareLink, canShareOutside } from "#app/policies/share.ts";
import { canReadFiles } from "#app/policies/file.ts";
import { canReadPages } from "#app/policies/page.ts";
import type { SpaceContext } from "#app/utils/space.server.ts";
import { fileUrl, wikiPageUrl } from "#app/urls.ts";
import type { ShareKind } from "./commands.server.ts";

/**
 * The links a member sees on the shares page: the space's admins every live
 * link of the space, anyone else the ones they made — each with what it
 * shows, how often it was opened, and whether the viewer may revoke it.
 */

export interface ShareLinkView {
  id: string;
  kind: ShareKind;
  title: string;
  href: string;
  sharer: string | null;
  createdAt: number;
  expiresAt: number;
  opened: number;
  lastOpenedAt: number | null;
  canRevoke: boolean;
}

export async function liveLinksFor(db: Executor, ctx: Pick<SpaceContext, "space" | "actor" | "membership">, now: number, item?: { kind: ShareKind; id: string }): Promise<ShareLinkView[]> {
  const { space, actor, membership } = ctx;
  const all = await links.listLiveLinks(db, space.id, now, item);
  const seen = canManageShareLinks(actor, membership, space) ? all : all.filter((l) => l.created_by === actor.id);
  // What each shows: a name and an address, read for the rows at hand.
  const pageIds = seen.filter((l) => l.kind === "page").map((l) => l.item_id);
  const fileIds = seen.filter((l) => l.kind === "file").map((l) => l.item_id);
  const [pages, files] = await Promise.all([
    pageIds.length && canReadPages(actor, membership, space)
      ? db.selectFrom("page").select(["id", "title", "slug"]).where("space_id", "=", space.id).where("id", "in", pageIds).where("deleted_at", "is", null).execute()
      : [],
    fileIds.length && canReadFiles(actor, membership, space)
      ? db.selectFrom("file").select(["id", "name"]).where("space_id", "=", space.id).where("id", "in", fileIds).where("deleted_at", "is", null).execute()
      : [],
  ]);
  const pageOf = new Map(pages.map((p) => [p.id, p]));
  const fileOf = new Map(files.map((f) => [f.id, f]));
  const views: ShareLinkView[] = [];
  for (const l of seen) {
    const target = l.kind === "page" ? pageOf.get(l.item_id) : fileOf.get(l.item_id);
    // In the trash (the link shows nothing any more): not listed.
    if (!target) continue;
    views.push({
      id: l.id,
      kind: l.kind,
      title: "title" in target ? target.title : target.name,
      href: "slug" in target ? wikiPageUrl(space.slug, target.slug) : fileUrl(space.slug, target.id),
      sharer: l.sharer_name,
      createdAt: l.created_at,
      expiresAt: l.expires_at,
      opened: l.open_count,
      lastOpenedAt: l.last_opened_at,
      canRevoke: canRevokeShareLink(actor, membership, space, l),
    });
  }
  return views;
}

/** Whether the viewer may make a link here now (the space allows it, they contribute). */
export const mayShare = (ctx: Pick<SpaceContext, "space" | "actor" | "membership">) => canShareOutside(ctx.actor, ctx.membership, ctx.space);
