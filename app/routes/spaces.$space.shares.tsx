import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { transact } from "#db/transact.ts";
import { CopyLink } from "#app/components/copy-link.tsx";
import { GeneralErrorBoundary } from "#app/components/error-boundary.tsx";
import { useFormatDate, useT } from "#app/i18n/react.tsx";
import { authorize } from "#app/policies/authorize.ts";
import { canReadFiles } from "#app/policies/file.ts";
import { canReadPages } from "#app/policies/page.ts";
import { canAllowShareLinks, SHARE_DURATIONS, type ShareDuration } from "#app/policies/share.ts";
import { canReadSpace } from "#app/policies/space.ts";
import { createShareLink, findShareable, revokeShareLink, type ShareKind } from "#app/sharing/commands.server.ts";
import { liveLinksFor, mayShare } from "#app/sharing/load.server.ts";
import { acting } from "#app/utils/acting.server.ts";
import { getDb } from "#app/utils/db.server.ts";
import { badRequest, forbidden, notFound, redirectWithFlash } from "#app/utils/http.server.ts";
import { pageTitle } from "#app/utils/meta.ts";
import { loadSpace, requireSpace, type SpaceContext } from "#app/utils/space.server.ts";
import { fileUrl, settingsUrl, sharedUrl, sharesUrl, wikiPageUrl } from "#app/urls.ts";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "share.title");

const DURATIONS = Object.keys(SHARE_DURATIONS) as ShareDuration[];

/** The item named by `?page=` or `?file=`, live in this space and read by the viewer; 404 otherwise. */
async function itemOf(ctx: SpaceContext, url: URL) {
  const kind: ShareKind | null = url.searchParams.has("page") ? "page" : url.searchParams.has("file") ? "file" : null;
  if (!kind) return null;
  const reads = kind === "page" ? canReadPages(ctx.actor, ctx.membership, ctx.space) : canReadFiles(ctx.actor, ctx.membership, ctx.space);
  const item = reads ? await findShareable(getDb(), ctx.space.id, kind, url.searchParams.get(kind) ?? "") : undefined;
  if (!item) notFound();
  return item.kind === "page"
    ? { kind: item.kind, id: item.page.id, title: item.page.title, href: wikiPageUrl(ctx.space.slug, item.page.slug) }
    : { kind: item.kind, id: item.file.id, title: item.file.name, href: fileUrl(ctx.space.slug, item.file.id) };
}

/**
 * Links that show a file or a page outside the club (issue 19). With an
 * item (`?page=<id>` or `?file=<id>`): its live links and the form to make
 * one. Without: every live link of the space for its admins, one's own for
 * everyone else.
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const ctx = await requireSpace(request, params.space, canReadSpace, context);
  const item = await itemOf(ctx, new URL(request.url));
  const now = Date.now();
  const links = await liveLinksFor(getDb(), ctx, now, item ?? undefined);
  return {
    spaceSlug: ctx.space.slug,
    spaceName: ctx.space.name,
    item,
    links,
    allowed: ctx.space.share_links === 1,
    can: { share: mayShare(ctx), allow: canAllowShareLinks(ctx.actor, ctx.membership, ctx.space) },
    durations: DURATIONS,
  };
}

const intentSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("create"), kind: z.enum(["page", "file"]), item: z.string().min(1).max(64), duration: z.string() }),
  z.object({ intent: z.literal("revoke"), link: z.string().min(1).max(64) }),
]);

export async function action({ request, params, context }: ActionFunctionArgs) {
  const ctx = acting(await loadSpace(request, params.space, context), context);
  authorize(canReadSpace(ctx.actor, ctx.membership, ctx.space));
  const parsed = intentSchema.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) badRequest();
  const input = parsed.data;
  const db = getDb();

  if (input.intent === "revoke") {
    const result = await transact(db, (trx) => revokeShareLink(trx, ctx, { id: input.link }));
    if (!result.ok) {
      if (result.error === "not-found") notFound();
      forbidden();
    }
    const back = new URL(request.url).searchParams.has(result.link.kind) ? sharesUrl(ctx.space.slug, { kind: result.link.kind, id: result.link.item_id }) : sharesUrl(ctx.space.slug);
    return redirectWithFlash(back, { key: "share.revokedFlash" });
  }

  // A tampered length is said beside the choice, nothing made.
  if (!(DURATIONS as string[]).includes(input.duration)) return data({ error: "share.badDuration" as const, created: null }, { status: 400 });
  const result = await transact(db, (trx) => createShareLink(trx, ctx, { kind: input.kind, itemId: input.item, duration: input.duration as ShareDuration }));
  if (!result.ok) {
    if (result.error === "not-found") notFound();
    forbidden();
  }
  // Shown once, here: only its hash is kept.
  return { error: null, created: { url: new URL(sharedUrl(result.token), request.url).href, expiresAt: result.expiresAt } };
}

export default function Shares() {
  const t = useT();
  const formatDate = useFormatDate();
  const { spaceSlug, spaceName, item, links, allowed, can, durations } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  return (
    <div className="stack">
      <section className="card" aria-labelledby="share-title">
        <h2 id="share-title">{item ? t("share.itemTitle", { title: item.title }) : t("share.title")}</h2>
        <p className="muted">{t("share.intro", { space: spaceName })}</p>
        {item ? (
          <p className="small">
            <Link to={item.href}>{t(item.kind === "page" ? "share.backToPage" : "share.backToFile", { title: item.title })}</Link>
          </p>
        ) : null}
        {!allowed ? (
          <p className="notice notice-info" role="note">
            {t("share.off")} {can.allow ? <Link to={settingsUrl(spaceSlug)}>{t("share.turnOn")}</Link> : null}
          </p>
        ) : null}
        {result?.created ? (
          <div className="notice notice-success share-created" role="status">
            <p>
              <strong>{t("share.createdTitle")}</strong> {t("share.createdHelp", { date: formatDate(result.created.expiresAt) })}
            </p>
            <CopyLink link={result.created.url} label={t("share.linkLabel")} />
          </div>
        ) : null}
        {item && can.share ? (
          <Form method="post" className="stack">
            <input type="hidden" name="intent" value="create" />
            <input type="hidden" name="kind" value={item.kind} />
            <input type="hidden" name="item" value={item.id} />
            <fieldset className="checks" aria-describedby={result?.error ? "share-duration-error" : undefined}>
              <legend>{t("share.duration")}</legend>
              {durations.map((d, i) => (
                <label key={d} className="check">
                  <input type="radio" name="duration" value={d} defaultChecked={d === "2d" || (i === 0 && !durations.includes("2d"))} />
                  <span>{t(`share.duration.${d}`)}</span>
                </label>
              ))}
            </fieldset>
            {result?.error ? (
              <p className="field-error" id="share-duration-error" role="alert">
                {t(result.error)}
              </p>
            ) : null}
            <p className="muted small">{t(item.kind === "page" ? "share.whatPage" : "share.whatFile")}</p>
            <div className="form-actions">
              <button type="submit" className="btn btn-primary" disabled={busy}>
                {t("share.create")}
              </button>
            </div>
          </Form>
        ) : null}
      </section>

      <section className="card" aria-labelledby="share-links-title">
        <h2 id="share-links-title">{item ? t("share.itemLinks") : can.allow ? t("share.allLinks") : t("share.myLinks")}</h2>
        {links.length === 0 ? (
          <p className="muted">{t("share.none")}</p>
        ) : (
          <ul className="list-reset share-list">
            {links.map((l) => (
              <li key={l.id} className="share-row">
                <div>
                  {item ? null : (
                    <p className="share-item">
                      <Link to={l.href}>{l.title}</Link> <span className="badge">{t(l.kind === "page" ? "share.kindPage" : "share.kindFile")}</span>
                    </p>
                  )}
                  <p className="small muted">
                    {t("share.rowMeta", { sharer: l.sharer ?? t("comments.formerMember"), created: formatDate(l.createdAt), expires: formatDate(l.expiresAt) })}
                  </p>
                  <p className="small">
                    {t("share.opened", { count: l.opened })}
                    {l.lastOpenedAt ? ` · ${t("share.lastOpened", { date: formatDate(l.lastOpenedAt) })}` : ""}
                  </p>
                </div>
                {l.canRevoke ? (
                  <Form method="post">
                    <input type="hidden" name="intent" value="revoke" />
                    <input type="hidden" name="link" value={l.id} />
                    <button type="submit" className="btn btn-small btn-danger" aria-label={t("share.revokeLabel", { title: l.title })}>
                      {t("share.revoke")}
                    </button>
                  </Form>
                ) : null}
              </li>
            ))}
          </ul>
        )}
        {item ? (
          <p className="small">
            <Link to={sharesUrl(spaceSlug)}>{can.allow ? t("share.allLinks") : t("share.myLinks")}</Link>
          </p>
        ) : null}
      </section>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
