import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useState } from "react";
import { transact } from "#db/transact.ts";
import { Breadcrumb } from "#app/components/breadcrumb.tsx";
import { GeneralErrorBoundary } from "#app/components/error-boundary.tsx";
import { answersFor, startConversation } from "#app/conversations/commands.server.ts";
import { MAX_MEMBERS } from "#app/conversations/limits.ts";
import { checkCommentContent } from "#app/editor/content-pool.server.ts";
import { CommentEditor } from "#app/editor/CommentEditor.tsx";
import { useT } from "#app/i18n/react.tsx";
import type { MessageKey } from "#app/i18n/index.ts";
import { send } from "#app/mail/outbox.server.ts";
import { findableMember } from "#app/people/profile.server.ts";
import { acting, letterhead } from "#app/utils/acting.server.ts";
import { requireSignedIn } from "#app/utils/auth.server.ts";
import { getDb } from "#app/utils/db.server.ts";
import { redirectWithFlash } from "#app/utils/http.server.ts";
import { pageTitle } from "#app/utils/meta.ts";
import type { Executor } from "#db/client.ts";
import { clubmatesOf } from "#db/queries/conversations.ts";
import type { Actor } from "#app/policies/actor.ts";
import { conversationUrl, messagesUrl, newConversationUrl } from "#app/urls.ts";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "messages.newTitle");

/**
 * A new conversation: to the members named in the address (`to`, from a
 * profile's "write" button or the picker below), each shown with what
 * writing to them means — directly, a contact request, a request already
 * out, or not possible (never why). The picker lists the members of the
 * writer's clubs; anyone else is reached from their profile.
 */

/** The ids in the address or the form, as many as a conversation holds. */
function recipientIds(values: FormDataEntryValue[]): string[] {
  // One more than a conversation holds: startConversation refuses a group too large, rather than this list dropping someone.
  return [...new Set(values.filter((v): v is string => typeof v === "string" && v.length > 0 && v.length <= 64))].slice(0, MAX_MEMBERS + 1);
}

/** Those of the ids the writer may find (an id they may not see is nobody), with what writing to each means. */
async function recipients(db: Executor, actor: Actor, userId: string, ids: string[]) {
  const found = [];
  for (const id of ids) {
    if (id === userId) continue;
    const member = await findableMember(db, actor, id);
    if (member) found.push({ id, name: member.member.display_name });
  }
  const answers = await answersFor(db, { id: userId }, found.map((f) => f.id));
  return found.map((f) => ({ ...f, answer: answers.get(f.id) ?? "refused" }));
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { user, actor } = await requireSignedIn(request, context);
  const db = getDb();
  const chosen = await recipients(db, actor, user.id, recipientIds(new URL(request.url).searchParams.getAll("to")));
  // The members of the writer's clubs, to pick from.
  const clubmates = await clubmatesOf(db, user.id, 500);
  return { chosen, clubmates, max: MAX_MEMBERS - 1 };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const signedIn = await requireSignedIn(request, context);
  const ctx = acting(signedIn, context);
  const form = await request.formData();
  const ids = recipientIds(form.getAll("to"));
  const body = await checkCommentContent(typeof form.get("body") === "string" ? (form.get("body") as string) : null);
  if (!body.ok) return data({ error: (body.error === "empty" ? "messages.error.empty" : body.error === "too_large" ? "messages.error.tooLong" : "messages.error.body") as MessageKey, who: [] as string[] }, { status: 400 });
  const head = await letterhead();
  const done = await transact(getDb(), (trx) => startConversation(trx, ctx, { recipientIds: ids, body, letterhead: head }));
  if (!done.ok) {
    const who = "who" in done ? (await recipients(getDb(), ctx.actor, ctx.user.id, done.who)).map((r) => r.name) : [];
    return data({ error: `messages.error.${done.error}` as MessageKey, who }, { status: done.error === "daily_limit" ? 429 : 400 });
  }
  send(done.mailIds);
  return redirectWithFlash(conversationUrl(done.conversationId), { key: done.request ? "messages.requestSentFlash" : "messages.sentFlash" });
}

export default function NewConversation() {
  const t = useT();
  const { chosen, clubmates, max } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const [filter, setFilter] = useState("");
  const chosenIds = new Set(chosen.map((c) => c.id));
  const group = chosen.length > 1;
  const blocking = chosen.filter((c) => c.answer === "refused" || c.answer === "wait" || (group && c.answer !== "write"));
  const canSend = chosen.length > 0 && blocking.length === 0;
  const shown = clubmates.filter((m) => !chosenIds.has(m.id) && m.name.toLocaleLowerCase().includes(filter.trim().toLocaleLowerCase()));
  return (
    <div className="stack">
      <Breadcrumb label={t("messages.title")} items={[{ to: messagesUrl, label: t("messages.title") }]} />
      <section className="card form-card conversation-new" aria-labelledby="new-conversation-title">
        <h1 id="new-conversation-title">{t("messages.newTitle")}</h1>
        <h2 className="field-label">{t("messages.to")}</h2>
        {chosen.length === 0 ? <p className="muted">{t("messages.noRecipient")}</p> : null}
        <ul className="list-reset recipient-list">
          {chosen.map((c) => (
            <li key={c.id} className="recipient">
              <span className="chip">
                {c.name}
                <Link to={newConversationUrl(chosen.filter((o) => o.id !== c.id).map((o) => o.id))} aria-label={t("messages.removeRecipient", { name: c.name })}>
                  ×
                </Link>
              </span>
              {c.answer !== "write" ? <span className="small muted">{t(`messages.answer.${group && c.answer === "request" ? "groupRequest" : c.answer}` as MessageKey, { name: c.name })}</span> : null}
            </li>
          ))}
        </ul>
        {chosen.length < max ? (
          <details className="recipient-picker" open={chosen.length === 0}>
            <summary>{t("messages.addPeople")}</summary>
            <Form method="get" className="stack-sm">
              {chosen.map((c) => (
                <input key={c.id} type="hidden" name="to" value={c.id} />
              ))}
              <label htmlFor="people-filter" className="sr-only">
                {t("messages.filterPeople")}
              </label>
              <input id="people-filter" type="search" value={filter} onChange={(e) => setFilter(e.target.value)} placeholder={t("messages.filterPeople")} autoComplete="off" />
              <fieldset className="check-list picker-list">
                <legend className="sr-only">{t("messages.clubmates")}</legend>
                {shown.slice(0, 200).map((m) => (
                  <label key={m.id} className="check">
                    <input type="checkbox" name="to" value={m.id} />
                    <span>{m.name}</span>
                  </label>
                ))}
                {shown.length === 0 ? <p className="muted small">{t("messages.noClubmate")}</p> : null}
              </fieldset>
              <div>
                <button type="submit" className="btn">
                  {t("messages.addChosen")}
                </button>
              </div>
            </Form>
            <p className="muted small">{t("messages.othersFromProfile")}</p>
          </details>
        ) : null}
        {result ? (
          <p className="notice notice-error" role="alert">
            {t(result.error, { names: result.who.join(", ") })}
          </p>
        ) : null}
        {canSend ? (
          <Form method="post" className="stack-sm" id="new-conversation-form">
            {chosen.map((c) => (
              <input key={c.id} type="hidden" name="to" value={c.id} />
            ))}
            <CommentEditor
              name="body"
              initialJson={null}
              ariaLabel={t("messages.body")}
              placeholder={t(chosen.length === 1 && chosen[0].answer === "request" ? "messages.requestPlaceholder" : "messages.placeholder")}
              hint={t("messages.hint")}
              onSubmit={() => (document.getElementById("new-conversation-form") as HTMLFormElement | null)?.requestSubmit()}
            />
            <div className="form-actions">
              <button type="submit" className="btn btn-primary" disabled={busy}>
                {t(chosen.length === 1 && chosen[0].answer === "request" ? "messages.sendRequest" : "messages.send")}
              </button>
            </div>
          </Form>
        ) : null}
      </section>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
