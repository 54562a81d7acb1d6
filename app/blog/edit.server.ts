import type { ZodError } from "zod";
import type { Post, Space, User } from "#db/schema.ts";
import { findLiveFile } from "#db/queries/files.ts";
import * as posts from "#db/queries/posts.ts";
import { transact } from "#db/transact.ts";
import { documentOrEmpty, UNPARSEABLE, type DerivedDocument } from "#app/editor/document.ts";
import { checkDocument } from "#app/editor/content-pool.server.ts";
import { INLINE_IMAGE_TYPES } from "#app/files/content-type.server.ts";
import { isMessageKey } from "#app/i18n/index.ts";
import type { AutosaveAnswer, CoverView, PostFormErrors, PostFormField, PostFormValues } from "#app/components/post-form.tsx";
import { getDb } from "#app/utils/db.server.ts";
import { diffText } from "#app/wiki/diff.ts";
import { parseTags } from "./tags.ts";
import { authorName } from "./load.server.ts";
import { savePost, type PostFailure } from "./commands.server.ts";
import { readPostForm, type PostForm } from "./form.server.ts";
import { fileThumbnailUrl } from "#app/urls.ts";

/**
 * The editing screen's server side, shared by the edit route and the
 * autosave endpoint: reading the form back into what the form shows, what a
 * save with a change of state must write, the conflict screen's facts, and
 * the autosave of a draft. The writes themselves are commands.server.ts's.
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
        thumbnail: file.has_thumbnail ? fileThumbnailUrl(space.slug, file.id, file.version) : `/files/${file.id}/inline`,
      };
    }
  }
  return {
    title: text("title").slice(0, 200),
    // Content Lexical could not even parse goes back as the last saved version, never as broken JSON.
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
          thumbnail: file.has_thumbnail ? fileThumbnailUrl(space.slug, file.id, file.version) : `/files/${file.id}/inline`,
        }
      : null,
    tags: tags.map((t) => t.label).join(", "),
    visibility: post.visibility,
  };
}

/** Whether the posted form says anything but its content that the stored article does not. */
async function fieldsDiffer(post: Post, input: PostForm): Promise<boolean> {
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
  return !parsed.ok || key(parsed.tags) !== key(stored);
}

/**
 * The posted document, checked and derived in the worker pool: once per
 * save, before its transaction opens. A refusal is the save's own answer.
 */
export async function derivePosted(input: PostForm): Promise<{ ok: true; content: DerivedDocument } | PostFailure> {
  const content = await checkDocument(input.content);
  if (!content.ok) return { ok: false, field: "content", error: content.error, detail: content.detail };
  return { ok: true, content };
}

/**
 * What a change of state must save first: the posted document as
 * derivePosted gives it, or null when the form says nothing the stored
 * article does not (then it is not even checked), so the change of state
 * need not save.
 */
export async function contentToSave(post: Post, input: PostForm): Promise<{ ok: true; content: DerivedDocument | null } | PostFailure> {
  const others = await fieldsDiffer(post, input);
  if (!others && documentOrEmpty(input.content) === post.content_json) return { ok: true, content: null };
  const derived = await derivePosted(input);
  // The editor and the server may write the same document with keys in another order.
  if (derived.ok && !others && derived.content.json === post.content_json) return { ok: true, content: null };
  return derived;
}

/**
 * The text of the writer's version for the conflict screen: the content
 * their save derived, or, when they posted none, that of the fallback their
 * form shows (valuesOfForm), the stored article's.
 */
export function mineText(form: FormData, derived: DerivedDocument, post: Post): string {
  return form.get("content") ? derived.text : post.content_text;
}

/** The conflict screen: the version saved meanwhile, and the difference with the writer's (`mineText`). */
export async function conflictOf(space: Space, postId: string, mine: PostFormValues, mineText: string) {
  const current = await posts.findPostInSpace(getDb(), space.id, postId);
  if (!current) return null;
  return {
    revision: current.revision,
    theirs: {
      revision: current.revision,
      title: current.title,
      html: current.content_html,
      editor: (await authorName(current.updated_by)) ?? "—",
      at: current.updated_at,
    },
    diff: diffText(`${current.title}\n\n${current.content_text}`, `${mine.title}\n\n${mineText}`),
  };
}

export function readBaseRevision(form: FormData): number | null {
  const n = Number(form.get("baseRevision"));
  return Number.isInteger(n) && n >= 1 ? n : null;
}

/**
 * A draft saving itself while its writer types: in place, without a
 * revision of its own (unless the latest is someone else's: see
 * commands.server.ts), only on top of the revision the editor holds.
 * Anything but a draft is not autosaved (its saves are revisions, made by hand).
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
  const derived = await derivePosted(parsed.data);
  const result = derived.ok
    ? await transact(getDb(), (trx) =>
        savePost(trx, { space, user, now: Date.now() }, { post, baseRevision: base, form: parsed.data, content: derived.content, autosave: true }),
      )
    : derived;
  if (result.ok) return { status: 200, answer: { ok: true, revision: result.revision, savedAt: Date.now() } };
  if (result.field === "revision") return { status: 409, answer: { ok: false, error: "conflict" } };
  const message = result.field === "content" ? `blog.error.${result.error}` : result.error;
  return { status: 400, answer: { ok: false, error: "invalid", message } };
}
