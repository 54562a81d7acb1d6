import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import type { CommentTarget } from "#db/queries/comments.ts";
import { CommentRefused, createComment, deleteComment, editComment } from "#app/comments/commands.server.ts";
import { loadComments } from "#app/comments/load.server.ts";
import { isPageId } from "#app/editor/url.ts";
import { badRequest, redirectWithFlash } from "#app/utils/http.server.ts";
import { clientIp } from "#app/utils/request.server.ts";
import { loadSpace } from "#app/utils/space.server.ts";

/**
 * Comments of a space, on its articles and wiki pages.
 *
 * GET ?post=<id> | ?page=<id>: the comments of that target as JSON (for the
 * article page's section when its loader does not carry them).
 *
 * POST intent=create (targetType post|page, targetId, parentId?, body) |
 * edit (commentId, body) | delete (commentId). Success redirects to the
 * comment on its page (#comment-<id>); refused content answers 400 with
 * {error, detail} and stores nothing. Every check is the server's: the
 * target must be of this space and readable by the actor (404 otherwise),
 * the rights are the comment policies' (403).
 */

function targetFrom(type: unknown, id: unknown): CommentTarget {
  if ((type !== "post" && type !== "page") || !isPageId(id)) badRequest();
  return { type, id };
}

function idField(form: FormData, name: string): string {
  const value = form.get(name);
  if (!isPageId(value)) badRequest();
  return value;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await loadSpace(request, params.space);
  const url = new URL(request.url);
  const post = url.searchParams.get("post");
  const page = url.searchParams.get("page");
  const target = post !== null ? targetFrom("post", post) : targetFrom("page", page);
  const comments = await loadComments(ctx, target);
  return Response.json(comments, { headers: { "Cache-Control": "private, no-store" } });
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const ctx = await loadSpace(request, params.space);
  const form = await request.formData();
  const body = form.get("body");
  try {
    switch (form.get("intent")) {
      case "create": {
        const parent = form.get("parentId");
        const { comment, target } = await createComment(ctx, {
          target: targetFrom(form.get("targetType"), form.get("targetId")),
          parentId: parent === null || parent === "" ? null : idField(form, "parentId"),
          body: typeof body === "string" ? body : null,
        });
        return redirect(`${target.path}#comment-${comment.id}`, 303);
      }
      case "edit": {
        const { comment, target } = await editComment(ctx, { commentId: idField(form, "commentId"), body: typeof body === "string" ? body : null });
        return redirect(`${target.path}#comment-${comment.id}`, 303);
      }
      case "delete": {
        const { comment, target } = await deleteComment(ctx, { commentId: idField(form, "commentId"), ip: clientIp(context) });
        return redirectWithFlash(`${target.path}#${comment.parent_id ? `comment-${comment.parent_id}` : "comments"}`, { key: "comments.deletedFlash" });
      }
      default:
        badRequest();
    }
  } catch (error) {
    if (error instanceof CommentRefused) return Response.json({ error: error.code, detail: error.detail ?? "" }, { status: 400 });
    throw error;
  }
}
