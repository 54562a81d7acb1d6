import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { answersFor } from "#app/conversations/commands.server.ts";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { hasBlocked } from "#db/queries/contact.ts";
import { transact } from "#db/transact.ts";
import { blockMember, unblockMember } from "#app/contact/commands.server.ts";
import { ConfirmDialog } from "#app/components/ui/confirm-dialog.tsx";
import { Avatar } from "#app/components/avatar.tsx";
import { GeneralErrorBoundary } from "#app/components/error-boundary.tsx";
import { RichTextView } from "#app/editor/RichTextView.tsx";
import { formatList } from "#app/i18n/index.ts";
import { useFormatDate, useLocale, useT } from "#app/i18n/react.tsx";
import { formatDay, languageName } from "#app/people/format.ts";
import { findableMember, loadProfile, previewRelation } from "#app/people/profile.server.ts";
import { acting } from "#app/utils/acting.server.ts";
import { requireSignedIn } from "#app/utils/auth.server.ts";
import { getDb } from "#app/utils/db.server.ts";
import { badRequest, notFound, redirectWithFlash } from "#app/utils/http.server.ts";
import { pageTitle } from "#app/utils/meta.ts";
import { newConversationUrl, peopleUrl, personPreviewUrl, personUrl } from "#app/urls.ts";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => pageTitle(matches, "person.title", { name: data?.profile.name ?? "" });

/**
 * A member's profile: 404 to whoever may not find them (as for nobody at
 * all), and only the fields the viewer may see. On one's own profile,
 * ?as=club|network previews it as others see it.
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { actor } = await requireSignedIn(request, context);
  const as = previewRelation(new URL(request.url).searchParams.get("as"));
  const view = await loadProfile(getDb(), actor, params.member ?? "", as);
  if (!view) notFound();
  const other = view.relation !== "self";
  // What writing to them means, as the conversation commands will answer it (app/policies/contact.ts).
  const contact = other && view.preview === null ? ((await answersFor(getDb(), { id: actor.id }, [view.profile.id])).get(view.profile.id) ?? "refused") : "refused";
  return { ...view, contact, blocked: other && (await hasBlocked(getDb(), actor.id, view.profile.id)) };
}

/**
 * Block or unblock this member, from their profile: only one the viewer may
 * find (the same 404 as the page otherwise), never oneself.
 */
export async function action({ request, params, context }: ActionFunctionArgs) {
  const signedIn = await requireSignedIn(request, context);
  const db = getDb();
  const found = await findableMember(db, signedIn.actor, params.member ?? "");
  if (!found) notFound();
  if (found.relation === "self") badRequest();
  const ctx = acting(signedIn, context);
  const { id, display_name: name } = found.member;
  switch ((await request.formData()).get("intent")) {
    case "block":
      await transact(db, (trx) => blockMember(trx, ctx, id));
      return redirectWithFlash(personUrl(id), { key: "person.blockedFlash", params: { name } });
    case "unblock": {
      const result = await transact(db, (trx) => unblockMember(trx, ctx, id));
      if (!result.ok) notFound();
      return redirectWithFlash(personUrl(id), { key: "person.unblockedFlash", params: { name } });
    }
    default:
      badRequest();
  }
}

export default function Person() {
  const t = useT();
  const locale = useLocale();
  const formatDate = useFormatDate();
  const { profile: p, relation, preview, previewHidden, clubs, sponsor, coopted, articles, workshops, helped, contact, blocked } = useLoaderData<typeof loader>();
  const where = [p.city, p.region ? t(`region.${p.region}`) : null].filter(Boolean).join(", ");
  const list = (items: string[]) => formatList(locale, items);
  const hasDetails = p.bioHtml || (p.skills && p.skills.length > 0) || (p.sectors && p.sectors.length > 0) || (p.languages && p.languages.length > 0) || p.website || p.linkedin || p.email;

  return (
    <div className="stack person-page">
      {relation === "self" ? (
        <div className={`card person-self${preview ? " person-preview" : ""}`} role={preview ? "status" : undefined}>
          <p>{preview === "club" ? t("person.previewClub") : preview === "network" ? t("person.previewNetwork") : t("person.yourProfile")}</p>
          <div className="actions">
            {preview ? (
              <Link to={personUrl(p.id)} className="btn btn-small">
                {t("person.previewBack")}
              </Link>
            ) : (
              <Link to="/settings/profile" className="btn btn-small btn-primary">
                {t("person.edit")}
              </Link>
            )}
            <span className="muted small">{t("person.seeAs")}</span>
            <Link to={personPreviewUrl(p.id, "club")} className="btn btn-small" aria-current={preview === "club" ? "page" : undefined}>
              {t("person.seeAsClub")}
            </Link>
            <Link to={personPreviewUrl(p.id, "network")} className="btn btn-small" aria-current={preview === "network" ? "page" : undefined}>
              {t("person.seeAsNetwork")}
            </Link>
          </div>
        </div>
      ) : null}

      {previewHidden ? (
        <p className="card empty-state">{t("person.previewHidden")}</p>
      ) : (
        <>
          <section className="card person-header" aria-labelledby="person-name">
            <Avatar name={p.name} photoUrl={p.photoUrl} size="xl" />
            <div className="person-header-text">
              <h1 id="person-name">{p.name}</h1>
              {p.headline ? <p className="person-headline-lg">{p.headline}</p> : null}
              <p className="card-meta">
                {where ? <span>{where}</span> : null}
                {p.status ? <span className="badge">{t(`status.${p.status}`)}</span> : null}
                <span>{t("person.joined", { date: formatDate(p.joinedAt, "date") })}</span>
                {helped > 0 ? <span className="badge badge-success">{t("person.helped", { count: helped })}</span> : null}
              </p>
              {contact === "write" || contact === "request" ? (
                <p className="person-write">
                  <Link to={newConversationUrl([p.id])} className="btn btn-primary">
                    {t(contact === "write" ? "person.write" : "person.requestContact")}
                  </Link>
                  {contact === "request" ? <span className="muted small">{t("person.requestContactHint")}</span> : null}
                </p>
              ) : contact === "wait" ? (
                <p className="muted small">{t("person.requestWaiting")}</p>
              ) : null}
              {p.openTo && p.openTo.length > 0 ? (
                <p className="open-to">
                  {t("people.openToList", { list: list(p.openTo.map((o) => t(`openTo.${o}`))) })}
                  {p.availableFrom ? <> — {t("people.availableFrom", { date: formatDay(locale, p.availableFrom) })}</> : null}
                </p>
              ) : null}
            </div>
          </section>

          <div className="person-columns">
            <div className="stack">
              {p.bioHtml ? (
                <section className="card" aria-labelledby="person-about">
                  <h2 id="person-about">{t("person.about")}</h2>
                  <RichTextView html={p.bioHtml} />
                </section>
              ) : null}
              {p.skills && p.skills.length > 0 ? (
                <section className="card" aria-labelledby="person-skills">
                  <h2 id="person-skills">{t("person.skills")}</h2>
                  <ul className="tag-list list-reset">
                    {p.skills.map((s) => (
                      <li key={s.key}>
                        <Link className="tag" to={peopleUrl(new URLSearchParams({ skill: s.key }).toString())}>
                          {s.label}
                        </Link>
                      </li>
                    ))}
                  </ul>
                </section>
              ) : null}
              <Activity id="person-articles" title={t("person.articles")} items={articles.map((a) => ({ url: a.url, title: a.title, meta: [a.spaceName, a.at ? formatDate(a.at, "date") : null] }))} />
              <Activity
                id="person-workshops"
                title={t("person.workshops")}
                items={workshops.map((w) => ({ url: w.url, title: w.title, meta: [w.spaceName, formatDate(w.at, "date")], badge: w.cancelled ? t("workshops.state.cancelled") : null }))}
              />
              {!hasDetails && articles.length === 0 && workshops.length === 0 ? <p className="card muted">{t("person.nothingShown")}</p> : null}
            </div>

            <aside className="stack">
              {(p.sectors && p.sectors.length > 0) || (p.languages && p.languages.length > 0) || p.website || p.linkedin || p.email ? (
                <section className="card person-facts">
                  <dl>
                    {p.sectors && p.sectors.length > 0 ? (
                      <>
                        <dt>{t("person.sectors")}</dt>
                        <dd>{list(p.sectors.map((s) => t(`sector.${s}`)))}</dd>
                      </>
                    ) : null}
                    {p.languages && p.languages.length > 0 ? (
                      <>
                        <dt>{t("person.languages")}</dt>
                        <dd>{list(p.languages.map((l) => languageName(locale, l)))}</dd>
                      </>
                    ) : null}
                    {p.email ? (
                      <>
                        <dt>{t("person.email")}</dt>
                        <dd>
                          <a href={`mailto:${p.email}`}>{p.email}</a>
                        </dd>
                      </>
                    ) : null}
                    {p.website ? <ExternalLink term={t("person.website")} url={p.website} /> : null}
                    {p.linkedin ? <ExternalLink term={t("person.linkedin")} url={p.linkedin} /> : null}
                  </dl>
                </section>
              ) : null}
              {relation === "club" && clubs.length > 0 ? (
                <section className="card" aria-labelledby="person-clubs">
                  <h2 id="person-clubs">{t("person.clubsInCommon")}</h2>
                  <ul className="link-list list-reset">
                    {clubs.map((c) => (
                      <li key={c.slug}>
                        <Link to={c.url}>{c.name}</Link>
                      </li>
                    ))}
                  </ul>
                </section>
              ) : null}
              {sponsor || coopted.length > 0 ? (
                <section className="card person-facts">
                  <dl>
                    {sponsor ? (
                      <>
                        <dt>{t("person.sponsor")}</dt>
                        <dd>
                          <Link to={sponsor.url}>{sponsor.name}</Link>
                        </dd>
                      </>
                    ) : null}
                    {coopted.length > 0 ? (
                      <>
                        <dt>{t("person.coopted")}</dt>
                        <dd>
                          <ul className="list-reset">
                            {coopted.map((c) => (
                              <li key={c.id}>
                                <Link to={c.url}>{c.name}</Link>
                              </li>
                            ))}
                          </ul>
                        </dd>
                      </>
                    ) : null}
                  </dl>
                </section>
              ) : null}
              {relation !== "self" ? (
                <section className="card person-contact">
                  {blocked ? (
                    <>
                      <p>{t("person.blocked", { name: p.name })}</p>
                      <Form method="post">
                        <input type="hidden" name="intent" value="unblock" />
                        <button type="submit" className="btn btn-small">
                          {t("person.unblock")}
                        </button>
                      </Form>
                    </>
                  ) : (
                    <>
                      <p className="muted small">{t("person.blockHint")}</p>
                      <ConfirmDialog
                      trigger={<button className="btn btn-small btn-ghost">{t("person.block")}</button>}
                      title={t("person.blockTitle", { name: p.name })}
                      description={t("person.blockHelp", { name: p.name })}
                      confirmLabel={t("person.block")}
                      fields={{ intent: "block" }}
                      />
                    </>
                  )}
                </section>
              ) : null}
            </aside>
          </div>
        </>
      )}
    </div>
  );
}

/** A profile's list of what the member wrote or led, each with where and when. */
function Activity({ id, title, items }: { id: string; title: string; items: Array<{ url: string; title: string; meta: Array<string | null>; badge?: string | null }> }) {
  if (items.length === 0) return null;
  return (
    <section className="card" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      <ul className="link-list list-reset">
        {items.map((item) => (
          <li key={item.url}>
            <Link to={item.url}>{item.title}</Link>
            <span className="muted small"> · {item.meta.filter(Boolean).join(" · ")}</span>
            {item.badge ? <span className="badge badge-warning">{item.badge}</span> : null}
          </li>
        ))}
      </ul>
    </section>
  );
}

/** A member's https link, shown by its address without the scheme; a member's link is never followed for ranking. */
function ExternalLink({ term, url }: { term: string; url: string }) {
  return (
    <>
      <dt>{term}</dt>
      <dd>
        <a href={url} rel="noopener noreferrer nofollow ugc">
          {displayHost(url)}
        </a>
      </dd>
    </>
  );
}

/** "linkedin.com/in/claire-martin": the address without its scheme and trailing slash. */
function displayHost(url: string): string {
  return url.replace(/^https:\/\/(www\.)?/, "").replace(/\/$/, "");
}

export const ErrorBoundary = GeneralErrorBoundary;
