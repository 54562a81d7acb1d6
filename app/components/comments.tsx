import { useFetcher } from "@remix-run/react";
import { AudienceLine } from "./audience-line.tsx";
import { lazy, Suspense, useEffect, useRef, useState, type ReactNode } from "react";
import type { CommentsData, CommentView } from "#app/comments/load.server.ts";
import { RichTextView } from "#app/editor/RichTextView.tsx";
import { isMessageKey } from "#app/i18n/index.ts";
import { useFormatDate, useT } from "#app/i18n/react.tsx";
import { Avatar } from "./avatar.tsx";
import { ConfirmDialog } from "./ui/confirm-dialog.tsx";
import { commentsUrl } from "#app/urls.ts";

// The editor (Lexical) loads only where someone may write, and only in the browser.
const CommentEditor = lazy(() => import("#app/editor/CommentEditor.tsx").then((m) => ({ default: m.CommentEditor })));

export type { CommentsData };

type Target = CommentsData["target"];

/**
 * The comments of an article or a wiki page: one level of replies, each with
 * its author and date, "edited" when it was; a reply form under a thread,
 * edit in place, delete behind a confirmation (editors and admins moderate).
 * Reading needs no JavaScript: give it `data` from the page's loader. Without
 * `data` it fetches them (GET /spaces/<slug>/comments?post=<id>).
 */
/** `title` and `readOnlyNote` word the section for a thread that is not "comments" (an ask's answers). */
export function CommentsSection({ data, spaceSlug, target, title, readOnlyNote }: { data?: CommentsData; spaceSlug?: string; target?: Target; title?: string; readOnlyNote?: string }) {
  const t = useT();
  const loader = useFetcher<CommentsData>();
  const slug = data?.spaceSlug ?? spaceSlug ?? "";
  const want = data?.target ?? target;
  useEffect(() => {
    if (!data && want && loader.state === "idle" && !loader.data) loader.load(commentsUrl(slug, want));
  }, [data, want, slug, loader]);
  const shown = data ?? loader.data;
  if (!shown) {
    return (
      <section id="comments" className="card comments" aria-labelledby="comments-title" aria-busy="true">
        <h2 id="comments-title">{title ?? t("comments.title")}</h2>
        <p className="muted">{t("comments.loading")}</p>
      </section>
    );
  }
  return <CommentsList data={shown} title={title} readOnlyNote={readOnlyNote} />;
}

function CommentsList({ data, title, readOnlyNote }: { data: CommentsData; title?: string; readOnlyNote?: string }) {
  const t = useT();
  const tops = data.comments.filter((c) => c.parentId === null);
  const repliesOf = (id: string) => data.comments.filter((c) => c.parentId === id);
  const live = data.comments.filter((c) => !c.deleted).length;
  const [replyingTo, setReplyingTo] = useState<CommentView | null>(null);
  return (
    <section id="comments" className="card comments" aria-labelledby="comments-title">
      <h2 id="comments-title">
        {title ?? t("comments.title")} <span className="comments-count">({t("comments.count", { count: live })})</span>
      </h2>
      {data.audience ? <AudienceLine audience={data.audience} thread /> : null}
      {tops.length === 0 ? <p className="muted">{t("comments.empty")}</p> : null}
      {tops.length > 0 ? (
        <ol className="comment-list">
          {tops.map((top) => {
            const replies = repliesOf(top.id);
            const threadOpen = replyingTo !== null && (replyingTo.id === top.id || replyingTo.parentId === top.id);
            return (
              <li key={top.id} className="comment-thread">
                <CommentItem comment={top} data={data} onReply={setReplyingTo} />
                {replies.length > 0 || threadOpen ? (
                  <ol className="comment-replies" aria-label={t("comments.replies", { name: top.author?.name ?? t("comments.formerMember") })}>
                    {replies.map((reply) => (
                      <li key={reply.id}>
                        <CommentItem comment={reply} data={data} onReply={setReplyingTo} />
                      </li>
                    ))}
                    {threadOpen && replyingTo ? (
                      <li className="comment-reply-form">
                        <CommentForm
                          data={data}
                          intent="create"
                          parentId={replyingTo.id}
                          label={t("comments.replyLabel", { name: replyingTo.author?.name ?? t("comments.formerMember") })}
                          submitLabel={t("comments.submitReply")}
                          autoFocus
                          onDone={() => setReplyingTo(null)}
                          onCancel={() => setReplyingTo(null)}
                        />
                      </li>
                    ) : null}
                  </ol>
                ) : null}
              </li>
            );
          })}
        </ol>
      ) : null}
      {data.can.comment ? (
        <div className="comment-new">
          <CommentForm data={data} intent="create" parentId={null} label={t("comments.write")} submitLabel={t("comments.submit")} />
        </div>
      ) : (
        <p className="muted small">{readOnlyNote ?? t("comments.readOnly")}</p>
      )}
    </section>
  );
}

function CommentItem({ comment, data, onReply }: { comment: CommentView; data: CommentsData; onReply(c: CommentView): void }) {
  const t = useT();
  const formatDate = useFormatDate();
  const [editing, setEditing] = useState(false);
  const name = comment.author?.name ?? t("comments.formerMember");
  if (comment.deleted) {
    return (
      <article id={`comment-${comment.id}`} className="comment comment-deleted" aria-label={t("comments.deletedPlaceholder")}>
        <p className="muted">{t("comments.deletedPlaceholder")}</p>
      </article>
    );
  }
  return (
    <article id={`comment-${comment.id}`} className="comment" aria-labelledby={`comment-${comment.id}-author`}>
      <header className="comment-head">
        <Avatar name={name} />
        <span className="comment-meta">
          <strong id={`comment-${comment.id}-author`}>{name}</strong>
          <a href={`#comment-${comment.id}`} className="comment-date" aria-label={`${t("comments.permalink")} — ${formatDate(comment.createdAt)}`}>
            <time dateTime={new Date(comment.createdAt).toISOString()}>{formatDate(comment.createdAt)}</time>
          </a>
          {comment.editedAt !== null ? (
            <span className="comment-edited" title={t("comments.editedAt", { date: formatDate(comment.editedAt) })}>
              ({t("comments.edited")})
            </span>
          ) : null}
        </span>
      </header>
      {editing && comment.json !== null ? (
        <CommentForm
          data={data}
          intent="edit"
          commentId={comment.id}
          initialJson={comment.json}
          label={t("comments.editLabel")}
          submitLabel={t("comments.save")}
          autoFocus
          onDone={() => setEditing(false)}
          onCancel={() => setEditing(false)}
        />
      ) : (
        <RichTextView html={comment.html} className="comment-body" />
      )}
      {!editing && (comment.can.reply || comment.can.edit || comment.can.delete) ? (
        <div className="comment-actions">
          {comment.can.reply ? (
            <button type="button" className="btn btn-ghost btn-small" aria-label={t("comments.replyTo", { name })} onClick={() => onReply(comment)}>
              {t("comments.reply")}
            </button>
          ) : null}
          {comment.can.edit && comment.json !== null ? (
            <button type="button" className="btn btn-ghost btn-small" onClick={() => setEditing(true)}>
              {t("comments.edit")}
            </button>
          ) : null}
          {comment.can.delete ? <DeleteButton comment={comment} data={data} name={name} /> : null}
        </div>
      ) : null}
    </article>
  );
}

function DeleteButton({ comment, data, name }: { comment: CommentView; data: CommentsData; name: string }) {
  const t = useT();
  const mine = comment.can.edit;
  return (
    <ConfirmDialog
      trigger={
        <button type="button" className="btn btn-ghost btn-small btn-danger-text">
          {mine ? t("comments.delete") : t("comments.moderate")}
        </button>
      }
      title={t("comments.deleteTitle")}
      description={mine ? t("comments.deleteConfirm") : t("comments.moderateConfirm", { name })}
      confirmLabel={t("comments.delete")}
      action={commentsUrl(data.spaceSlug)}
      fields={{ intent: "delete", commentId: comment.id }}
    />
  );
}

function CommentForm({
  data,
  intent,
  parentId,
  commentId,
  initialJson = null,
  label,
  submitLabel,
  autoFocus,
  onDone,
  onCancel,
}: {
  data: CommentsData;
  intent: "create" | "edit";
  parentId?: string | null;
  commentId?: string;
  initialJson?: string | null;
  label: string;
  submitLabel: string;
  autoFocus?: boolean;
  onDone?(): void;
  onCancel?(): void;
}) {
  const t = useT();
  const fetcher = useFetcher<{ error?: string; detail?: string }>();
  const formRef = useRef<HTMLFormElement>(null);
  const [round, setRound] = useState(0);
  const [hydrated, setHydrated] = useState(false);
  const errorId = `comment-error-${intent}-${commentId ?? parentId ?? "new"}`;
  const busy = fetcher.state !== "idle";
  const wasBusy = useRef(false);
  useEffect(() => setHydrated(true), []);
  useEffect(() => {
    // Back to idle without an error: it went through (the action redirected); start afresh.
    if (wasBusy.current && fetcher.state === "idle" && !fetcher.data?.error) {
      setRound((r) => r + 1);
      onDone?.();
    }
    wasBusy.current = fetcher.state !== "idle";
  }, [fetcher.state, fetcher.data, onDone]);
  const error = fetcher.data?.error;
  const errorKey = error ? `comments.error.${error}` : null;
  const message = errorKey && isMessageKey(errorKey) ? t(errorKey, { detail: fetcher.data?.detail ?? "" }) : error ? t("comments.error.failed") : null;

  return (
    <fetcher.Form method="post" action={commentsUrl(data.spaceSlug)} ref={formRef} className="comment-form">
      <input type="hidden" name="intent" value={intent} />
      {intent === "create" ? (
        <>
          <input type="hidden" name="targetType" value={data.target.kind} />
          <input type="hidden" name="targetId" value={data.target.id} />
          {parentId ? <input type="hidden" name="parentId" value={parentId} /> : null}
        </>
      ) : (
        <input type="hidden" name="commentId" value={commentId} />
      )}
      {hydrated ? (
        <Suspense fallback={<EditorPlaceholder />}>
          <CommentEditor
            key={round}
            name="body"
            initialJson={initialJson}
            spaceSlug={data.spaceSlug}
            ariaLabel={label}
            autoFocus={autoFocus}
            invalid={Boolean(message)}
            ariaDescribedBy={message ? errorId : undefined}
            onSubmit={() => {
              if (!busy) formRef.current?.requestSubmit();
            }}
          />
        </Suspense>
      ) : (
        <EditorPlaceholder />
      )}
      {message ? (
        <p id={errorId} className="field-error" role="alert">
          {message}
        </p>
      ) : null}
      <div className="comment-form-actions">
        {onCancel ? (
          <button type="button" className="btn btn-small" onClick={onCancel}>
            {t("comments.cancel")}
          </button>
        ) : null}
        <button type="submit" className="btn btn-primary btn-small" disabled={busy || !hydrated}>
          {busy ? t("comments.sending") : submitLabel}
        </button>
      </div>
    </fetcher.Form>
  );
}

/**
 * Holds the editor's place while its code loads. Hidden from assistive
 * technology: an aria-label on a div without a role is not announced
 * (axe: aria-prohibited-attr), and there is nothing to use until it loads.
 */
function EditorPlaceholder(): ReactNode {
  return <div className="comment-editor-placeholder" aria-hidden="true" />;
}
