import type { Executor } from "#db/client.ts";
import { newId } from "#db/ids.ts";
import { audit } from "#db/queries/audit.ts";
import * as files from "#db/queries/files.ts";
import * as pages from "#db/queries/pages.ts";
import * as links from "#db/queries/share-links.ts";
import { findById as findSpace, setShareLinks } from "#db/queries/spaces.ts";
import { findById as findUser } from "#db/queries/users.ts";
import { findMembership } from "#db/queries/members.ts";
import type { Page, ShareLink, Space, StoredFile } from "#db/schema.ts";
import { hashSecret, newSecret } from "#db/tokens.ts";
import { actorOf } from "#app/policies/actor.ts";
import { canReadFiles } from "#app/policies/file.ts";
import { canReadPages } from "#app/policies/page.ts";
import { canAllowShareLinks, canRevokeShareLink, canShareOutside, SHARE_DURATIONS, shareLinkWorks, type ShareDuration } from "#app/policies/share.ts";
import type { ActingInSpace, Moment } from "#app/utils/acting.server.ts";

/**
 * Share links (issue 19), as commands: made by a contributor for a file or a
 * page they read, shown once (only its hash is kept), revoked by its sharer
 * or the space's admins, and opened by anyone holding it — counted and
 * audited — while it works: not revoked, not expired, its item not in the
 * trash, its space still allowing links. Every check is made again at each
 * opening, so revoking, expiry, the trash or the admins' switch stop a link
 * at once.
 */

export type ShareKind = ShareLink["kind"];

export type SharedItem = { kind: "page"; page: Page } | { kind: "file"; file: StoredFile };

/** The item a link would show, live in this space, or undefined. */
export async function findShareable(db: Executor, spaceId: string, kind: ShareKind, id: string): Promise<SharedItem | undefined> {
  if (id.length === 0 || id.length > 64) return undefined;
  if (kind === "page") {
    const page = await pages.findInSpace(db, spaceId, id);
    return page && page.deleted_at === null ? { kind, page } : undefined;
  }
  const file = await files.findLiveFile(db, spaceId, id);
  return file ? { kind, file } : undefined;
}

/** Whether the actor reads the item where it lives: the rule its own page asks. */
function readsItem(ctx: Pick<ActingInSpace, "actor" | "membership" | "space">, kind: ShareKind): boolean {
  return kind === "page" ? canReadPages(ctx.actor, ctx.membership, ctx.space) : canReadFiles(ctx.actor, ctx.membership, ctx.space);
}

export type CreateResult = { ok: true; token: string; id: string; expiresAt: number } | { ok: false; error: "not-found" | "forbidden" };

export async function createShareLink(
  trx: Executor,
  ctx: ActingInSpace,
  input: { kind: ShareKind; itemId: string; duration: ShareDuration },
): Promise<CreateResult> {
  const { space, actor, now } = ctx;
  if (!readsItem(ctx, input.kind)) return { ok: false, error: "not-found" };
  const item = await findShareable(trx, space.id, input.kind, input.itemId);
  if (!item) return { ok: false, error: "not-found" };
  if (!canShareOutside(actor, ctx.membership, space)) return { ok: false, error: "forbidden" };
  const token = newSecret();
  const id = newId();
  const expiresAt = now + SHARE_DURATIONS[input.duration];
  await links.insertShareLink(trx, {
    id,
    token_hash: hashSecret(token),
    space_id: space.id,
    kind: input.kind,
    item_id: input.itemId,
    created_by: actor.id,
    created_at: now,
    expires_at: expiresAt,
  });
  await audit(trx, {
    event: "share_link_created",
    actorId: actor.id,
    ip: ctx.ip,
    spaceId: space.id,
    data: { link: id, kind: input.kind, item: input.itemId, expiresAt },
    now,
  });
  return { ok: true, token, id, expiresAt };
}

export type RevokeResult = { ok: true; link: ShareLink } | { ok: false; error: "not-found" | "forbidden" };

export async function revokeShareLink(trx: Executor, ctx: ActingInSpace, input: { id: string }): Promise<RevokeResult> {
  const { space, actor, now } = ctx;
  const link = input.id.length <= 64 ? await links.findShareLink(trx, space.id, input.id) : undefined;
  if (!link) return { ok: false, error: "not-found" };
  if (!canRevokeShareLink(actor, ctx.membership, space, link)) return { ok: false, error: "forbidden" };
  // Already revoked (two tabs): nothing more to do, and nothing to audit twice.
  const changed = await links.revokeLink(trx, link.id, actor.id, now);
  if (Number(changed.numUpdatedRows) > 0) {
    await audit(trx, { event: "share_link_revoked", actorId: actor.id, ip: ctx.ip, spaceId: space.id, data: { link: link.id, kind: link.kind, item: link.item_id }, now });
  }
  return { ok: true, link };
}

export interface OpenedLink {
  link: ShareLink;
  space: Space;
  item: SharedItem;
  sharer: string | null;
}

/** A token that opens nothing: never issued ("unknown"), or no longer working ("gone"). */
export type OpenResult = { ok: true; opened: OpenedLink } | { ok: false; error: "unknown" | "gone" };

/**
 * What a token shows now, or why not. `count`: the link's landing page
 * counts and audits an opening; the images and the download it leads to are
 * checked the same way but counted once, with the page.
 */
export async function openShareLink(trx: Executor, moment: Moment, token: string, options: { count: boolean }): Promise<OpenResult> {
  if (token.length === 0 || token.length > 64) return { ok: false, error: "unknown" };
  const link = await links.findByTokenHash(trx, hashSecret(token));
  if (!link) return { ok: false, error: "unknown" };
  const space = await findSpace(trx, link.space_id);
  if (!space || !shareLinkWorks(link, space, moment.now)) return { ok: false, error: "gone" };
  const item = await findShareable(trx, space.id, link.kind, link.item_id);
  if (!item) return { ok: false, error: "gone" };
  // A link works while its sharer still reads what it shows there: one who left the club (or whose
  // account is gone) no longer shares anything of it.
  const sharer = link.created_by ? await findUser(trx, link.created_by) : undefined;
  const sharerMembership = sharer ? await findMembership(trx, space.id, sharer.id) : undefined;
  if (!sharer || !readsItem({ actor: actorOf(sharer), membership: sharerMembership, space }, link.kind)) return { ok: false, error: "gone" };
  if (options.count) {
    await links.countOpening(trx, link.id, moment.now);
    await audit(trx, { event: "share_link_opened", actorId: null, ip: moment.ip, spaceId: space.id, data: { link: link.id, kind: link.kind, item: link.item_id }, now: moment.now });
  }
  return { ok: true, opened: { link, space, item, sharer: sharer.display_name } };
}

/** The admins' switch: on, members may make links; off, every link of the space stops (and works again if turned back on before it expires). */
export async function allowShareLinks(trx: Executor, ctx: ActingInSpace, input: { allowed: boolean }): Promise<{ ok: true } | { ok: false; error: "forbidden" }> {
  const { space, actor, now } = ctx;
  if (!canAllowShareLinks(actor, ctx.membership, space)) return { ok: false, error: "forbidden" };
  await setShareLinks(trx, space.id, input.allowed);
  await audit(trx, { event: "space_updated", actorId: actor.id, ip: ctx.ip, spaceId: space.id, data: { shareLinks: input.allowed }, now });
  return { ok: true };
}
