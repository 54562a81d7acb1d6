import type { ZodError } from "zod";
import type { Post, PostState, Space, User } from "#db/schema.ts";
import { findLiveFile } from "#db/queries/files.ts";
import * as posts from "#db/queries/posts.ts";
import { checkContent } from "#app/editor/content-pool.server.ts";
import { INLINE_IMAGE_TYPES } from "#app/files/content-type.server.ts";
import { isMessageKey } from "#app/i18n/index.ts";
import type { AutosaveAnswer, CoverView, PostFormErrors, PostFormField, PostFormValues } from "#app/components/post-form.tsx";
import { getDb } from "#app/utils/db.server.ts";
import { EMPTY_DOCUMENT } from "#app/wiki/commands.server.ts";
import { diffText } from "#app/wiki/diff.ts";
import { parseTags } from "./tags.ts";
import { authorName } from "./load.server.ts";
import { readPostForm, saveBlogPost, type PostFailure, type PostForm } from "./commands.server.ts";

/**
 * The editing screen's server side, shared by the edit route and the
 * autosave endpoint: reading the form back into what the form shows, the
 * conflict screen's facts, and the autosave of a draft.
 */

const FORM_FIELDS: ReadonlySet<string> = new Set<PostFormField>(["title", "excerpt", "coverFileId", "tags", "visibility", "summary"]);

/** The first refusal of each field, as message keys. */
export function errorsOfParse(error: ZodError): PostFormErrors {
  const fields: Partial<Record<PostFormField, string>> = {};
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? "");
    if (!FORM_FIELDS.has(field) || fields[field as PostFormField]) continue;
    fields[field as PostFormField] = isMessageKey(issue.message) ? issue.message : "v.invalid";
  }
  // Content too large for the form's own limit: said as the content's refusal.
  const content = error.issues.some((i) => i.path[0] === "content") ? { error: "too_large" } : null;
  return { fields, content };
}

export function errorsOfFailure(failure: PostFailure): PostFormErrors {
  if (failure.field === "content") return { content: { error: failure.error, detail: failure.detail } };
  return { fields: { [failure.field]: failure.error } };
}

/** Content Lexical could not even parse goes back as the last saved version, never as broken JSON. */
const UNPARSEABLE = new Set(["malformed", "unknown_node", "too_deep", "too_large"]);

/** What the writer posted, to show back in the form (after a refusal or a conflict). */
export async function valuesOfForm(space: Space, form: FormData, fallbackJson: string | null, failure?: PostFormErrors): Promise<PostFormValues> {
  const text = (name: string) => {
    const v = form.get(name);
    return typeof v === "string" ? v : "";
  };
  const json = text("content");
  const coverId = text("coverFileId");
  let cover: CoverView | null = null;
  if (coverId) {
    const file = await findLiveFile(getDb(), space.id, coverId.slice(0, 40));
    if (file && (INLINE_IMAGE_TYPES as readonly string[]).includes(file.content_type)) {
      cover = {
        id: file.id,
        name: file.name,
        thumbnail: file.has_thumbnail ? `/spaces/${space.slug}/files/${file.id}/thumbnail?version=${file.version}` : `/files/${file.id}/inline`,
      };
    }
  }
  return {
    title: text("title").slice(0, 200),
    json: failure?.content && UNPARSEABLE.has(failure.content.error) ? fallbackJson : json || fallbackJson,
    excerpt: text("excerpt"),
    cover,
    tags: text("tags"),
    visibility: text("visibility") === "network" ? "network" : "space",
  };
}

/** The form's view of a stored article. */
export async function valuesOfPost(space: Space, post: Post): Promise<PostFormValues> {
  const db = getDb();
  const [tags, file] = await Promise.all([posts.tagsOfPosts(db, [post.id]), post.cover_file_id ? findLiveFile(db, space.id, post.cover_file_id) : undefined]);
  return {
    title: post.title,
    json: post.content_json,
    excerpt: post.excerpt_auto ? "" : post.excerpt,
    cover: file
      ? {
          id: file.id,
          name: file.name,
          thumbnail: file.has_thumbnail ? `/spaces/${space.slug}/files/${file.id}/thumbnail?version=${file.version}` : `/files/${file.id}/inline`,
        }
      : null,
    tags: tags.map((t) => t.label).join(", "),
    visibility: post.visibility,
  };
}

/** Whether the posted form says anything the stored article does not (so a change of state need not save). */
export async function differsFromPost(post: Post, input: PostForm): Promise<boolean> {
  if (input.title !== post.title) return true;
  if (input.excerpt !== (post.excerpt_auto ? "" : post.excerpt)) return true;
  if ((input.coverFileId || null) !== post.cover_file_id) return true;
  if (input.visibility !== post.visibility) return true;
  const parsed = parseTags(input.tags);
  const stored = await posts.tagsOfPosts(getDb(), [post.id]);
  const key = (tags: Array<{ tag: string; label: string }>) =>
    tags
      .map((t) => `${t.tag}\u0000${t.label}`)
      .sort()
      .join("\u0001");
  if (!parsed.ok || key(parsed.tags) !== key(stored)) return true;
  const posted = input.content && input.content.trim() ? input.content : EMPTY_DOCUMENT;
  if (posted === post.content_json) return false;
  // The editor and the server may write the same document with keys in another order.
  const derived = await checkContent(posted);
  return !derived.ok || derived.json !== post.content_json;
}

/** The conflict screen: the version saved meanwhile, and the difference with the writer's. */
export async function conflictOf(space: Space, postId: string, mine: PostFormValues) {
  const current = await posts.findPostInSpace(getDb(), space.id, postId);
  if (!current) return null;
  const mineDerived = await checkContent(mine.json && mine.json.trim() ? mine.json : EMPTY_DOCUMENT);
  return {
    revision: current.revision,
    theirs: {
      revision: current.revision,
      title: current.title,
      html: current.content_html,
      editor: (await authorName(current.updated_by)) ?? "—",
      at: current.updated_at,
    },
    diff: diffText(`${current.title}\n\n${current.content_text}`, `${mine.title}\n\n${mineDerived.ok ? mineDerived.text : ""}`),
  };
}

/**
 * Whether a draft's save may rewrite its latest revision in place (an
 * autosave): only when that revision is the writer's own. On top of someone
 * else's (an editor correcting a member's draft, or after a conflict), the
 * first save makes a revision of its own, so theirs stays in the history.
 */
export async function savesInPlace(post: Post, user: User, baseRevision: number): Promise<boolean> {
  if (post.state !== "draft") return false;
  const latest = await posts.findPostRevision(getDb(), post.id, baseRevision);
  return latest?.author_id === user.id;
}

export function readBaseRevision(form: FormData): number | null {
  const n = Number(form.get("baseRevision"));
  return Number.isInteger(n) && n >= 1 ? n : null;
}

/**
 * A draft saving itself while its writer types: in place, without a
 * revision of its own (unless the latest is someone else's: see
 * savesInPlace), only on top of the revision the editor holds. Anything but
 * a draft is not autosaved (its saves are revisions, made by hand).
 */
export async function autosavePost(ctx: { space: Space; user: User; post: Post }, form: FormData): Promise<{ status: number; answer: AutosaveAnswer }> {
  const { space, user, post } = ctx;
  if (post.state !== "draft") return { status: 409, answer: { ok: false, error: "notDraft" } };
  const base = readBaseRevision(form);
  if (base === null) return { status: 400, answer: { ok: false, error: "invalid", message: "v.invalid" } };
  const parsed = readPostForm(form);
  if (!parsed.success) {
    const errors = errorsOfParse(parsed.error);
    const first = Object.values(errors.fields ?? {})[0] ?? (errors.content ? `blog.error.${errors.content.error}` : "v.invalid");
    return { status: 400, answer: { ok: false, error: "invalid", message: first } };
  }
  const result = await saveBlogPost(space, post, user, base, parsed.data, { autosave: await savesInPlace(post, user, base) });
  if (result.ok) return { status: 200, answer: { ok: true, revision: result.revision, savedAt: Date.now() } };
  if (result.field === "revision") return { status: 409, answer: { ok: false, error: "conflict" } };
  const message = result.field === "content" ? `blog.error.${result.error}` : result.error;
  return { status: 400, answer: { ok: false, error: "invalid", message } };
}

export type StateIntent = "publish" | "schedule" | "unpublish" | "draft";

/** Which changes of state make sense from each state. */
export const STATE_CHANGES: Record<PostState, readonly StateIntent[]> = {
  draft: ["publish", "schedule"],
  scheduled: ["publish", "schedule", "draft"],
  published: ["unpublish"],
  unpublished: ["publish", "schedule", "draft"],
};

export function isStateIntent(value: string): value is StateIntent {
  return value === "publish" || value === "schedule" || value === "unpublish" || value === "draft";
}
