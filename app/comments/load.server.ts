import * as comments from "#db/queries/comments.ts";
import type { Owner } from "#db/owners.ts";
import { canDeleteComment, canEditComment, canModerateComments, canWriteComments } from "#app/policies/comment.ts";
import { getDb } from "#app/utils/db.server.ts";
import { notFound } from "#app/utils/http.server.ts";
import type { SpaceContext } from "#app/utils/space.server.ts";
import { mayReadThread, resolveOwner, threadRights } from "#app/owners/resolve.server.ts";
import { threadAudience, type AudienceView } from "#app/audience/load.server.ts";

/**
 * What a comments section shows, with what the viewer may do to each comment
 * (the UI never re-derives permissions). Call it once the target is known to
 * be readable by the viewer (the page or article loader checked), or let it
 * check: an unreadable target answers 404.
 */
export interface CommentView {
  id: string;
  parentId: string | null;
  author: { id: string; name: string } | null;
  html: string;
  /** The stored Lexical JSON, only for comments the viewer may edit. */
  json: string | null;
  createdAt: number;
  editedAt: number | null;
  deleted: boolean;
  can: { edit: boolean; delete: boolean; reply: boolean };
}

export interface CommentsData {
  target: Owner;
  spaceSlug: string;
  comments: CommentView[];
  can: { comment: boolean; moderate: boolean };
  /** Who reads the thread, in words (app/components/audience-line.tsx). */
  audience: AudienceView | null;
}

type ThreadRights = ReturnType<typeof threadRights>;

/**
 * `checked`: the caller found the target readable, and passes the thread's
 * rights when they are not the space's (an ask's: threadRights).
 */
export async function loadComments(
  ctx: Pick<SpaceContext, "space" | "actor" | "membership">,
  target: Owner,
  options: { checked?: boolean; rights?: ThreadRights } = {},
): Promise<CommentsData> {
  const db = getDb();
  const { space, actor, membership } = ctx;
  let rights = options.rights;
  // Resolved even when the caller checked: the thread's audience is read off its owner.
  const resolved = await resolveOwner(db, ctx, target);
  if (!options.checked) {
    if (!resolved || !mayReadThread(ctx, resolved)) notFound();
    rights = threadRights(ctx, resolved, Date.now());
  }
  const inSpace = canWriteComments(actor, membership, space);
  const { answer, write } = rights ?? { answer: inSpace, write: inSpace };
  const rows = await comments.listForTarget(db, space.id, target);
  const moderate = canModerateComments(actor, membership, space);
  const jsonOf = new Map<string, string>();
  const editable = rows.filter((r) => r.deleted_at === null && canEditComment(actor, membership, space, r, write));
  if (editable.length > 0) {
    const bodies = await db.selectFrom("comment").select(["id", "body_json"]).where("id", "in", editable.map((r) => r.id)).execute();
    for (const b of bodies) jsonOf.set(b.id, b.body_json);
  }
  return {
    target,
    spaceSlug: space.slug,
    comments: rows.map((r) => ({
      id: r.id,
      parentId: r.parent_id,
      author: r.author_id && r.author_name !== null ? { id: r.author_id, name: r.author_name } : null,
      html: r.deleted_at === null ? r.body_html : "",
      json: jsonOf.get(r.id) ?? null,
      createdAt: r.created_at,
      editedAt: r.edited_at,
      deleted: r.deleted_at !== null,
      can: {
        edit: canEditComment(actor, membership, space, r, write),
        delete: canDeleteComment(actor, membership, space, r, write),
        reply: answer && r.deleted_at === null,
      },
    })),
    can: { comment: answer, moderate },
    audience: resolved && actor ? await threadAudience(db, { space, actor, membership }, resolved) : null,
  };
}
