import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useRevalidator } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { markRead } from "#db/queries/conversations.ts";
import { transact } from "#db/transact.ts";
import { Breadcrumb } from "#app/components/breadcrumb.tsx";
import { GeneralErrorBoundary } from "#app/components/error-boundary.tsx";
import { ConfirmDialog } from "#app/components/ui/confirm-dialog.tsx";
import { answerRequest, deleteMessage, leaveConversation, muteConversation, postMessage, reportConversation } from "#app/conversations/commands.server.ts";
import { MAX_REASON } from "#app/conversations/limits.ts";
import { loadThread } from "#app/conversations/load.server.ts";
import { checkCommentContent } from "#app/editor/content-pool.server.ts";
import { CommentEditor } from "#app/editor/CommentEditor.tsx";
import { RichTextView } from "#app/editor/RichTextView.tsx";
import { useFormatDate, useT } from "#app/i18n/react.tsx";
import type { MessageKey } from "#app/i18n/index.ts";
import { send } from "#app/mail/outbox.server.ts";
import { acting, letterhead } from "#app/utils/acting.server.ts";
import { requireSignedIn } from "#app/utils/auth.server.ts";
import { getDb } from "#app/utils/db.server.ts";
import { badRequest, notFound, redirectWithFlash, refusedAs } from "#app/utils/http.server.ts";
import { conversationUrl, messagesUrl, personUrl } from "#app/urls.ts";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.others.map((o) => o.name).join(", ")} · Cercle` : "Cercle" }];

/** How often an open conversation asks for new messages (any worker answers: they are in the database). */
const POLL_MS = 4000;

/**
 * One conversation, for its members only (anyone else: 404, whoever they
 * are). Opening it marks it read. New messages from the others appear
 * without reloading: the page asks again every few seconds while it is in
 * view, which any server process answers alike.
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { user } = await requireSignedIn(request, context);
  const db = getDb();
  const id = params.conversation ?? "";
  const thread = id.length <= 64 ? await loadThread(db, user, id) : null;
  if (!thread) notFound();
  const now = Date.now();
  // Reading is opening: what is shown now is read (a GET, as opening a notification is).
  await markRead(db, id, user.id, now);
  return thread;
}

type ActionError = { error: MessageKey };

export async function action({ request, params, context }: ActionFunctionArgs) {
  const ctx = acting(await requireSignedIn(request, context), context);
  const conversationId = params.conversation ?? "";
  const form = await request.formData();
  const db = getDb();
  const back = conversationUrl(conversationId);
  switch (form.get("intent")) {
    case "send": {
      const body = await checkCommentContent(typeof form.get("body") === "string" ? (form.get("body") as string) : null);
      if (!body.ok) return data<ActionError>({ error: body.error === "empty" ? "messages.error.empty" : body.error === "too_large" ? "messages.error.tooLong" : "messages.error.body" }, { status: 400 });
      const head = await letterhead();
      const done = await transact(db, (trx) => postMessage(trx, ctx, { conversationId, body, letterhead: head }));
      if (!done.ok) {
        if (done.error === "not_found") notFound();
        return data<ActionError>({ error: "messages.error.cannotWrite" }, { status: 403 });
      }
      send(done.mailIds);
      return { sent: done.messageId };
    }
    case "delete": {
      const messageId = form.get("messageId");
      if (typeof messageId !== "string" || messageId.length > 64) badRequest();
      const done = await transact(db, (trx) => deleteMessage(trx, ctx, { conversationId, messageId }));
      if (!done.ok) refusedAs(done.error);
      return redirectWithFlash(back, { key: "messages.deletedFlash" });
    }
    case "accept":
    case "decline": {
      const accept = form.get("intent") === "accept";
      const done = await transact(db, (trx) => answerRequest(trx, ctx, { conversationId, accept }));
      if (!done.ok) notFound();
      return accept ? redirectWithFlash(back, { key: "messages.acceptedFlash" }) : redirectWithFlash(messagesUrl, { key: "messages.declinedFlash" });
    }
    case "mute":
    case "unmute": {
      const muted = form.get("intent") === "mute";
      const done = await transact(db, (trx) => muteConversation(trx, ctx, { conversationId, muted }));
      if (!done.ok) notFound();
      return redirectWithFlash(back, { key: muted ? "messages.mutedFlash" : "messages.unmutedFlash" });
    }
    case "leave": {
      const done = await transact(db, (trx) => leaveConversation(trx, ctx, { conversationId }));
      if (!done.ok) notFound();
      return redirectWithFlash(messagesUrl, { key: "messages.leftFlash" });
    }
    case "report": {
      const reason = form.get("reason");
      const done = await transact(db, (trx) => reportConversation(trx, ctx, { conversationId, reason: typeof reason === "string" ? reason : "" }));
      if (!done.ok) {
        if (done.error === "not_found") notFound();
        return data<ActionError>({ error: "messages.error.reason" }, { status: 400 });
      }
      return redirectWithFlash(back, { key: "messages.reportedFlash" });
    }
    default:
      badRequest();
  }
}

export default function Conversation() {
  const t = useT();
  const formatDate = useFormatDate();
  const thread = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const revalidator = useRevalidator();
  const formRef = useRef<HTMLFormElement>(null);
  const endRef = useRef<HTMLDivElement>(null);
  const sending = navigation.state === "submitting" && navigation.formData?.get("intent") === "send";
  const sent = result && "sent" in result ? result.sent : null;

  // New messages from the others, without reloading: ask again while the page is in view. Never while
  // a form is posted or its answer loads: the poll's own reload would read (and clear) the flash that
  // answer carries ("your message is deleted"), and the page would never show it.
  const settled = useRef(true);
  settled.current = navigation.state === "idle";
  useEffect(() => {
    const timer = setInterval(() => {
      if (document.visibilityState === "visible" && revalidator.state === "idle" && settled.current) revalidator.revalidate();
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [revalidator]);

  const count = thread.messages.length;
  useEffect(() => {
    endRef.current?.scrollIntoView({ block: "end" });
  }, [count]);

  const names = thread.others.map((o) => o.name).join(", ");
  const error = result && "error" in result ? result.error : null;
  return (
    <div className="stack conversation-page">
      <Breadcrumb label={t("messages.title")} items={[{ to: messagesUrl, label: t("messages.title") }]} />
      <header className="card conversation-head">
        <div>
          <h1>{names || t("messages.nobodyLeft")}</h1>
          <p className="muted small">
            {thread.others.map((o, i) => (
              <span key={o.id}>
                {i > 0 ? ", " : ""}
                <Link to={personUrl(o.id)}>{o.name}</Link>
              </span>
            ))}
            {thread.muted ? <span className="badge">{t("messages.mutedBadge")}</span> : null}
          </p>
          <p className="muted small">{t("messages.privateNote")}</p>
        </div>
        <div className="conversation-actions">
          <Form method="post">
            <input type="hidden" name="intent" value={thread.muted ? "unmute" : "mute"} />
            <button type="submit" className="btn btn-small">
              {t(thread.muted ? "messages.unmute" : "messages.mute")}
            </button>
          </Form>
          <ConfirmDialog
            trigger={<button className="btn btn-small">{t("messages.report")}</button>}
            title={t("messages.reportTitle")}
            description={t("messages.reportHelp")}
            confirmLabel={t("messages.reportSubmit")}
            tone="primary"
            fields={{ intent: "report" }}
          >
            <label htmlFor="report-reason" className="field-label">
              {t("messages.reportReason")}
            </label>
            <textarea id="report-reason" name="reason" required maxLength={MAX_REASON} rows={3} />
          </ConfirmDialog>
          <ConfirmDialog
            trigger={<button className="btn btn-small btn-ghost">{t("messages.leave")}</button>}
            title={t("messages.leaveTitle")}
            description={t("messages.leaveHelp")}
            confirmLabel={t("messages.leave")}
            fields={{ intent: "leave" }}
          />
        </div>
      </header>

      {thread.request === "toAnswer" ? (
        <section className="card notice-info contact-request" aria-labelledby="request-title">
          <h2 id="request-title">{t("messages.requestTitle", { name: names })}</h2>
          <p>{t("messages.requestHelp")}</p>
          <div className="form-actions">
            <Form method="post">
              <input type="hidden" name="intent" value="accept" />
              <button type="submit" className="btn btn-primary">
                {t("messages.accept")}
              </button>
            </Form>
            <Form method="post">
              <input type="hidden" name="intent" value="decline" />
              <button type="submit" className="btn">
                {t("messages.decline")}
              </button>
            </Form>
          </div>
        </section>
      ) : thread.request === "waiting" ? (
        <p className="notice notice-info" role="note">
          {t("messages.waitingNote", { name: names })}
        </p>
      ) : null}

      <section className="card conversation-thread" aria-label={t("messages.threadLabel")}>
        <ol className="list-reset message-list" aria-live="polite" aria-relevant="additions">
          {thread.messages.map((m) => (
            <li key={m.id} id={`message-${m.id}`} className={`message${m.mine ? " is-mine" : ""}${!m.mine && m.at > thread.readUpTo ? " is-new" : ""}`}>
              <p className="message-meta">
                <strong>{m.author ? m.author.name : t("comments.formerMember")}</strong> <time dateTime={new Date(m.at).toISOString()}>{formatDate(m.at)}</time>
              </p>
              {m.deleted ? <p className="message-deleted">{t("messages.deleted")}</p> : <RichTextView html={m.html} className="message-body" />}
              {m.mine && !m.deleted ? (
                <ConfirmDialog
                  trigger={<button className="btn btn-small btn-ghost message-delete">{t("messages.deleteMine")}</button>}
                  title={t("messages.deleteTitle")}
                  description={t("messages.deleteHelp")}
                  confirmLabel={t("messages.deleteMine")}
                  fields={{ intent: "delete", messageId: m.id }}
                />
              ) : null}
            </li>
          ))}
        </ol>
        <div ref={endRef} />
      </section>

      {thread.can.write ? (
        <Form method="post" className="card conversation-reply stack-sm" ref={formRef} id="reply-form" key={sent ?? "reply"}>
          <input type="hidden" name="intent" value="send" />
          {error ? (
            <p className="notice notice-error" role="alert">
              {t(error)}
            </p>
          ) : null}
          <CommentEditor
            name="body"
            initialJson={null}
            ariaLabel={t("messages.body")}
            placeholder={t("messages.placeholder")}
            hint={t("messages.hint")}
            onSubmit={() => formRef.current?.requestSubmit()}
          />
          <div className="form-actions">
            <button type="submit" className="btn btn-primary" disabled={sending}>
              {t("messages.send")}
            </button>
          </div>
        </Form>
      ) : thread.request === null ? (
        <p className="muted small">{t("messages.cannotWrite")}</p>
      ) : null}
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
