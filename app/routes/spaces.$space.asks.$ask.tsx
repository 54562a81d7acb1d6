import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { AudienceLine } from "#app/components/audience-line.tsx";
import { describeAudience } from "#app/audience/load.server.ts";
import { transact } from "#db/transact.ts";
import * as asks from "#db/queries/asks.ts";
import type { Ask } from "#db/schema.ts";
import { deleteAsk, reopenAsk, resolveAsk, restoreAsk } from "#app/asks/commands.server.ts";
import { loadAskDetail } from "#app/asks/load.server.ts";
import { loadComments } from "#app/comments/load.server.ts";
import { Breadcrumb } from "#app/components/breadcrumb.tsx";
import { CommentsSection } from "#app/components/comments.tsx";
import { GeneralErrorBoundary } from "#app/components/error-boundary.tsx";
import { ConfirmDialog } from "#app/components/ui/confirm-dialog.tsx";
import { RichTextView } from "#app/editor/RichTextView.tsx";
import { useLocale, useT } from "#app/i18n/react.tsx";
import type { MessageKey } from "#app/i18n/index.ts";
import { send } from "#app/mail/outbox.server.ts";
import { askThreadRights } from "#app/owners/resolve.server.ts";
import { formatDay } from "#app/people/format.ts";
import { localFromInstant } from "#app/blog/schedule.ts";
import {
  canDeleteAsk,
  canEditAsk,
  canReadAsk,
  canReadAsks,
  canResolveAsk,
  canRestoreAsk,
  canThankForAsk,
  isAskClosed,
} from "#app/policies/ask.ts";
import { acting } from "#app/utils/acting.server.ts";
import { getDb } from "#app/utils/db.server.ts";
import { badRequest, notFound, redirectWithFlash, refusedAs } from "#app/utils/http.server.ts";
import { loadSpace, type SpaceContext } from "#app/utils/space.server.ts";
import { askEditUrl, asksUrl, askUrl, networkAsksUrl, personUrl } from "#app/urls.ts";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.ask.title} · Cercle` : "Cercle" }];

/**
 * One ask: its words, what it wants, its answers (the comments), and what
 * the viewer may do — the author edits, resolves (thanking who helped) and
 * reopens; editors and admins close and remove it. A network ask is read
 * and answered by every member of the network, who sees nothing else of the
 * club. In the trash, it is the moderators' alone (to restore).
 */
async function findReadable(ctx: SpaceContext, id: string | undefined): Promise<Ask> {
  const ask = id && id.length <= 64 ? await asks.findAsk(getDb(), ctx.space.id, id) : undefined;
  if (!ask) notFound();
  const trashed = ask.deleted_at !== null && canRestoreAsk(ctx.actor, ctx.membership, ctx.space);
  if (!trashed && !canReadAsk(ctx.actor, ctx.membership, ctx.space, ask)) notFound();
  return ask;
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const ctx = await loadSpace(request, params.space, context);
  const { space, actor, membership, user } = ctx;
  const ask = await findReadable(ctx, params.ask);
  const now = Date.now();
  const db = getDb();
  const inTrash = ask.deleted_at !== null;
  const [detail, comments, audience] = await Promise.all([
    loadAskDetail(db, ask),
    inTrash
      ? Promise.resolve(null)
      : loadComments(ctx, { kind: "ask", id: ask.id }, { checked: true, rights: askThreadRights(ctx, ask, now) }),
    // Who reads it: the rules findReadable asked (in the trash, its moderators).
    describeAudience(db, ctx, (a, m) => (inTrash ? canRestoreAsk(a, m, space) : canReadAsk(a, m, space, ask)), ask.author_id),
  ]);
  return {
    spaceSlug: space.slug,
    spaceName: space.name,
    /** Whether the viewer reads the club (its tabs lead somewhere), or only this network ask. */
    readsSpace: canReadAsks(actor, membership, space),
    ask: {
      id: ask.id,
      kind: ask.kind,
      audience: ask.audience,
      title: ask.title,
      html: ask.body_html,
      region: ask.region,
      deadline: ask.deadline,
      /** The day it was asked, in the viewer's zone. */
      askedOn: localFromInstant(ask.created_at, user.time_zone).slice(0, 10),
      updatedAt: ask.updated_at,
      resolved: ask.resolved_at !== null,
      closed: isAskClosed(ask, now),
      inTrash,
      mine: ask.author_id === user.id,
    },
    author: detail.author,
    skills: detail.skills,
    answerers: detail.answerers,
    can: {
      edit: canEditAsk(actor, membership, space, ask),
      resolve: canResolveAsk(actor, membership, space, ask),
      thank: canThankForAsk(actor, membership, space, ask),
      delete: canDeleteAsk(actor, membership, space, ask),
      restore: inTrash && canRestoreAsk(actor, membership, space),
    },
    comments,
    seenBy: audience,
  };
}

function thankedIds(form: FormData): string[] {
  return form
    .getAll("thank")
    .filter((v): v is string => typeof v === "string" && v.length > 0 && v.length <= 64)
    .slice(0, 100);
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const ctx = acting(await loadSpace(request, params.space, context), context);
  const askId = params.ask ?? "";
  const form = await request.formData();
  const db = getDb();
  switch (form.get("intent")) {
    case "resolve": {
      const done = await transact(db, (trx) => resolveAsk(trx, ctx, { askId, thank: thankedIds(form) }));
      if (!done.ok) refusedAs(done.error === "not_found" ? "not_found" : "forbidden");
      send(done.mailIds);
      return redirectWithFlash(askUrl(ctx.space.slug, askId), { key: done.thanked.length > 0 ? "asks.thankedFlash" : "asks.resolvedFlash", params: { count: done.thanked.length } });
    }
    case "reopen": {
      const done = await transact(db, (trx) => reopenAsk(trx, ctx, { askId }));
      if (!done.ok) refusedAs(done.error === "not_found" ? "not_found" : "forbidden");
      return redirectWithFlash(askUrl(ctx.space.slug, askId), { key: "asks.reopenedFlash" });
    }
    case "delete": {
      const done = await transact(db, (trx) => deleteAsk(trx, ctx, { askId }));
      if (!done.ok) refusedAs(done.error === "not_found" ? "not_found" : "forbidden");
      return redirectWithFlash(asksUrl(ctx.space.slug), { key: "asks.deletedFlash", params: { title: done.ask.title } });
    }
    case "restore": {
      const done = await transact(db, (trx) => restoreAsk(trx, ctx, { askId }));
      if (!done.ok) refusedAs(done.error === "not_found" ? "not_found" : "forbidden");
      return redirectWithFlash(askUrl(ctx.space.slug, askId), { key: "asks.restoredFlash" });
    }
    default:
      badRequest();
  }
}

export default function AskPage() {
  const t = useT();
  const locale = useLocale();
  const { spaceSlug, spaceName, readsSpace, ask, author, skills, answerers, can, comments, seenBy } = useLoaderData<typeof loader>();
  const back = readsSpace ? { to: asksUrl(spaceSlug), label: t("asks.title") } : { to: networkAsksUrl, label: t("asks.networkTitle") };
  return (
    <div className="stack">
      <Breadcrumb label={back.label} items={[back]} />
      {ask.inTrash ? (
        <p className="notice notice-warning" role="note">
          {t("asks.inTrash")}
        </p>
      ) : null}
      <article className="card ask-page" aria-labelledby="ask-title">
        <p className="ask-card-kind">
          <span className={`badge ask-kind ask-kind-${ask.kind}`}>{t(`asks.kind.${ask.kind}` as MessageKey)}</span>
          <span className="badge">{ask.audience === "network" ? t("asks.networkBadge") : t("asks.spaceBadge", { space: spaceName })}</span>
          {ask.resolved ? <span className="badge badge-success">{t("asks.resolvedBadge")}</span> : ask.closed ? <span className="badge">{t("asks.closedBadge")}</span> : <span className="badge badge-accent">{t("asks.openBadge")}</span>}
        </p>
        <h1 id="ask-title">{ask.title}</h1>
        <p className="card-meta small">
          {author ? (
            <span>
              {t("asks.askedBy")} <Link to={personUrl(author.id)}>{author.name}</Link>
            </span>
          ) : null}
          <span>{formatDay(locale, ask.askedOn)}</span>
          {!readsSpace ? <span>{spaceName}</span> : null}
        </p>
        <AudienceLine audience={seenBy} />
        <RichTextView html={ask.html} className="ask-body" />
        <dl className="ask-facts">
          {skills.length > 0 ? (
            <div>
              <dt>{t("asks.skillsWanted")}</dt>
              <dd>
                <ul className="tag-list list-reset">
                  {skills.map((s) => (
                    <li key={s.key} className="tag">
                      {s.label}
                    </li>
                  ))}
                </ul>
              </dd>
            </div>
          ) : null}
          {ask.region ? (
            <div>
              <dt>{t("asks.regionWanted")}</dt>
              <dd>{t(`region.${ask.region}`)}</dd>
            </div>
          ) : null}
          {ask.deadline ? (
            <div>
              <dt>{t("asks.deadline")}</dt>
              <dd>{t(ask.closed && !ask.resolved ? "asks.deadlinePassed" : "asks.until", { date: formatDay(locale, ask.deadline) })}</dd>
            </div>
          ) : null}
        </dl>
        <div className="ask-actions">
          {can.edit && !ask.inTrash ? (
            <Link to={askEditUrl(spaceSlug, ask.id)} className="btn btn-small">
              {t("asks.edit")}
            </Link>
          ) : null}
          {can.resolve && ask.resolved ? (
            <Form method="post">
              <input type="hidden" name="intent" value="reopen" />
              <button type="submit" className="btn btn-small">
                {t("asks.reopen")}
              </button>
            </Form>
          ) : null}
          {can.delete && !ask.inTrash ? (
            <ConfirmDialog
              trigger={<button className="btn btn-small btn-ghost">{t("asks.delete")}</button>}
              title={t("asks.deleteTitle")}
              description={t(ask.mine ? "asks.deleteHelp" : "asks.deleteHelpModerator")}
              confirmLabel={t("asks.delete")}
              fields={{ intent: "delete" }}
            />
          ) : null}
          {can.restore ? (
            <Form method="post">
              <input type="hidden" name="intent" value="restore" />
              <button type="submit" className="btn btn-small btn-primary">
                {t("asks.restore")}
              </button>
            </Form>
          ) : null}
        </div>
      </article>
      {can.resolve && !ask.resolved && !ask.inTrash ? <ResolvePanel thank={can.thank} answerers={answerers} /> : null}
      {ask.resolved && answerers.some((a) => a.thanked) ? (
        <p className="card ask-thanked" role="note">
          {t("asks.thankedList", { names: answerers.filter((a) => a.thanked).map((a) => a.name).join(", ") })}
        </p>
      ) : null}
      {can.thank && ask.resolved && answerers.some((a) => !a.thanked) ? <ResolvePanel thank answerers={answerers.filter((a) => !a.thanked)} again /> : null}
      {comments ? <CommentsSection data={comments} title={t("asks.answers")} readOnlyNote={t(ask.closed ? "asks.closedNote" : "asks.answerReadOnly")} /> : null}
    </div>
  );
}

/** "Mark resolved", with a box for each member who answered, to thank them; after resolving, thanking those not yet thanked. */
function ResolvePanel({ thank, answerers, again = false }: { thank: boolean; answerers: Array<{ id: string; name: string; thanked: boolean }>; again?: boolean }) {
  const t = useT();
  return (
    <section className="card ask-resolve" aria-labelledby="ask-resolve-title">
      <h2 id="ask-resolve-title">{t(again ? "asks.thankTitle" : "asks.resolveTitle")}</h2>
      <Form method="post" className="stack-sm">
        <input type="hidden" name="intent" value="resolve" />
        {thank && answerers.length > 0 ? (
          <fieldset className="check-list">
            <legend>{t("asks.thankLegend")}</legend>
            {answerers.map((a) => (
              <label key={a.id} className="check">
                <input type="checkbox" name="thank" value={a.id} defaultChecked={a.thanked} disabled={a.thanked} />
                <span>{a.name}</span>
              </label>
            ))}
          </fieldset>
        ) : (
          <p className="muted small">{t(thank ? "asks.noAnswerersYet" : "asks.resolveModerator")}</p>
        )}
        <div>
          <button type="submit" className="btn btn-primary">
            {t(again ? "asks.thankSubmit" : "asks.resolve")}
          </button>
        </div>
      </Form>
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
