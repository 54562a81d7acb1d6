import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { isOwnerKind, OWNER_KINDS, type Owner } from "#db/owners.ts";
import { transact } from "#db/transact.ts";
import {
  checkCommentEdit,
  checkNewComment,
  createComment,
  deleteComment,
  editComment,
} from "#app/comments/commands.server.ts";
import { loadComments } from "#app/comments/load.server.ts";
import { checkCommentContent } from "#app/editor/content-pool.server.ts";
import { isPageId } from "#app/editor/url.ts";
import { send } from "#app/mail/outbox.server.ts";
import { acting } from "#app/utils/acting.server.ts";
import { getDb } from "#app/utils/db.server.ts";
import { badRequest, redirectWithFlash, refusedAs } from "#app/utils/http.server.ts";
import { loadSpace } from "#app/utils/space.server.ts";

/**
 * Comments of a space, on its articles, wiki pages, workshops and asks.
 *
 * GET ?post=<id> | ?page=<id> | ?workshop=<id> | ?ask=<id>: the comments of
 * that target as JSON (for the article page's section when its loader does
 * not carry them).
 *
 * POST intent=create (targetType post|page|workshop|ask, targetId, parentId?, body) |
 * edit (commentId, body) | delete (commentId). Success redirects to the
 * comment on its page (#comment-<id>); refused content answers 400 with
 * {error, detail} and stores nothing. Every check is the server's: the
 * target must be of this space and readable by the actor (404 otherwise),
 * the rights are the comment policies' (403).
 */

function targetFrom(kind: unknown, id: unknown): Owner {
  if (!isOwnerKind(kind) || !isPageId(id)) badRequest();
  return { kind, id };
}

/** Content the comment checker refused: 400 with what and where, nothing stored. */
function contentRefused(refusal: { error: string; detail?: string }) {
  return Response.json({ error: refusal.error, detail: refusal.detail ?? "" }, { status: 400 });
}

function textField(form: FormData, name: string): string | null {
  const value = form.get(name);
  return typeof value === "string" ? value : null;
}

function idField(form: FormData, name: string): string {
  const value = form.get(name);
  if (!isPageId(value)) badRequest();
  return value;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await loadSpace(request, params.space);
  const url = new URL(request.url);
  const kind = OWNER_KINDS.find((k) => url.searchParams.has(k));
  const target = targetFrom(kind, kind ? url.searchParams.get(kind) : null);
  const comments = await loadComments(ctx, target);
  return Response.json(comments, { headers: { "Cache-Control": "private, no-store" } });
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const ctx = acting(await loadSpace(request, params.space), context);
  const form = await request.formData();
  const db = getDb();
  switch (form.get("intent")) {
    case "create": {
      const parent = form.get("parentId");
      const input = {
        target: targetFrom(form.get("targetType"), form.get("targetId")),
        parentId: parent === null || parent === "" ? null : idField(form, "parentId"),
      };
      // Refusals first, then the content (in its worker, outside any transaction), then the command.
      const allowed = await checkNewComment(db, ctx, input);
      if (!allowed.ok) refusedAs(allowed.error);
      const body = await checkCommentContent(textField(form, "body"));
      if (!body.ok) return contentRefused(body);
      const done = await transact(db, (trx) => createComment(trx, ctx, { ...input, body }));
      if (!done.ok) refusedAs(done.error);
      send(done.mailIds);
      return redirect(`${done.target.path}#comment-${done.comment.id}`, 303);
    }
    case "edit": {
      const commentId = idField(form, "commentId");
      const allowed = await checkCommentEdit(db, ctx, { commentId });
      if (!allowed.ok) refusedAs(allowed.error);
      const body = await checkCommentContent(textField(form, "body"));
      if (!body.ok) return contentRefused(body);
      const done = await transact(db, (trx) => editComment(trx, ctx, { commentId, body }));
      if (!done.ok) refusedAs(done.error);
      send(done.mailIds);
      return redirect(`${done.target.path}#comment-${done.comment.id}`, 303);
    }
    case "delete": {
      const commentId = idField(form, "commentId");
      const done = await transact(db, (trx) => deleteComment(trx, ctx, { commentId }));
      if (!done.ok) refusedAs(done.error);
      const { comment, target } = done;
      return redirectWithFlash(`${target.path}#${comment.parent_id ? `comment-${comment.parent_id}` : "comments"}`, { key: "comments.deletedFlash" });
    }
    default:
      badRequest();
  }
}
