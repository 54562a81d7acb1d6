import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useSubmit } from "@remix-run/react";
import { useId, useRef } from "react";
import type { Piece } from "#db/search/snippet.ts";
import { Avatar } from "#app/components/avatar.tsx";
import { Pager } from "#app/components/pager.tsx";
import { SearchField } from "#app/components/search-field.tsx";
import { GeneralErrorBoundary } from "#app/components/error-boundary.tsx";
import { useLocale, useT } from "#app/i18n/react.tsx";
import { PersonCard } from "#app/people/PersonCard.tsx";
import { loadSearch, type SearchView } from "#app/search/load.server.ts";
import { SEARCH_PERIODS, SEARCH_TYPES, parseSearchParams, searchUrl, type SearchParams } from "#app/search/params.ts";
import { requireSignedIn } from "#app/utils/auth.server.ts";
import { getDb } from "#app/utils/db.server.ts";
import { useListLinks } from "#app/utils/list-links.ts";
import { pageTitle } from "#app/utils/meta.ts";
import { pack, usePacked } from "#app/utils/packed.ts";
import { peopleUrl } from "#app/urls.ts";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "search.title");

/**
 * Search over everything the viewer may read now: content from the index
 * (trimmed inside its query, db/search/), people from the directory (only
 * the fields they may see). A GET form: every search is a link, and it works
 * without JavaScript.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const { actor } = await requireSignedIn(request, context);
  const params = parseSearchParams(new URL(request.url));
  return { view: pack(await loadSearch(getDb(), actor, params, Date.now())) };
}

/** Text and <mark>s: React escapes the text, nothing of the content is read as HTML. */
function Marked({ pieces }: { pieces: Piece[] }) {
  return <>{pieces.map((p, i) => (p.mark ? <mark key={i}>{p.text}</mark> : p.text))}</>;
}

export default function Search() {
  const t = useT();
  const locale = useLocale();
  const view = usePacked<SearchView>(useLoaderData<typeof loader>().view);
  const { params, results, total, pageCount, people, peopleTotal, clubs, author, empty, pending } = view;
  const onListClick = useListLinks();
  const date = new Intl.DateTimeFormat(locale, { day: "numeric", month: "short", year: "numeric" });
  const pageLink = (page: number) => searchUrl({ ...params, page });
  const showPeople = people.length > 0 && params.page === 1;
  return (
    <>
      <div className="page-head">
        <div>
          <h1>{params.q ? t("search.titleFor", { q: params.q }) : t("search.title")}</h1>
          {pending ? <p className="muted small">{t("search.indexing")}</p> : null}
        </div>
      </div>
      <div className="directory-layout search-layout">
        <SearchFilters params={params} clubs={clubs} author={author} />
        <section aria-labelledby="search-count" className="search-results">
          <h2 id="search-count" className="directory-count" aria-live="polite">
            {empty ? t("search.prompt") : params.type === "person" ? t("search.peopleCount", { count: total }) : t("search.count", { count: total })}
          </h2>
          {showPeople && params.type !== "person" ? (
            <section aria-labelledby="search-people" className="search-people">
              <h3 id="search-people" className="search-section-title">
                {t("search.people", { count: peopleTotal })}
              </h3>
              <ul className="search-people-list list-reset" onClick={onListClick}>
                {people.map((p) => (
                  <li key={p.id}>
                    <Avatar name={p.name} photoUrl={p.photoUrl} />
                    <span>
                      {p.url ? <a href={p.url}>{p.name}</a> : <strong>{p.name}</strong>}
                      {p.headline ? <span className="muted small">{p.headline}</span> : null}
                    </span>
                  </li>
                ))}
              </ul>
              {peopleTotal > people.length ? (
                <p className="small">
                  <Link to={searchUrl({ ...params, type: "person", page: 1 })}>{t("search.allPeople", { count: peopleTotal })}</Link>
                </p>
              ) : null}
            </section>
          ) : null}
          {params.type === "person" ? (
            people.length ? (
              <ul className="person-grid list-reset" onClick={onListClick}>
                {people.map((p) => (
                  <PersonCard key={p.id} person={p} t={t} locale={locale} />
                ))}
              </ul>
            ) : null
          ) : results.length ? (
            <ol className="search-list list-reset" onClick={onListClick}>
              {results.map((r) => (
                <li key={r.key} className="search-result">
                  <p className="search-meta small">
                    <span className={`search-kind search-kind-${r.kind}`}>{t(`search.kind.${r.kind}`)}</span>
                    {r.club ? <span>{r.club.name}</span> : null}
                  </p>
                  <h3 className="search-title">
                    <a href={r.url}>
                      {r.kind === "comment" ? t("search.commentOn", { title: r.context ?? "" }) : r.kind === "message" ? t("search.messageWith", { names: r.context || t("search.formerMembers") }) : <Marked pieces={r.title} />}
                    </a>
                  </h3>
                  {r.snippet.length ? (
                    <p className="search-snippet">
                      <Marked pieces={r.snippet} />
                    </p>
                  ) : null}
                  <p className="search-byline muted small">
                    {r.author ? r.author.url ? <a href={r.author.url}>{r.author.name}</a> : r.author.name : null}
                    {r.author ? " · " : null}
                    <time dateTime={new Date(r.at).toISOString()}>{date.format(r.at)}</time>
                    {r.author && params.author !== r.author.id ? (
                      <>
                        {" · "}
                        <a href={searchUrl({ ...params, author: r.author.id, page: 1 })} className="search-by">
                          {t("search.byThisAuthor")}
                        </a>
                      </>
                    ) : null}
                  </p>
                </li>
              ))}
            </ol>
          ) : !empty && !showPeople ? (
            <div className="card empty-state">
              <p>{t("search.none", { q: params.q })}</p>
              <p className="muted small">{t("search.noneHint")}</p>
              <p className="small">
                <Link to={peopleUrl()}>{t("search.tryDirectory")}</Link>
              </p>
            </div>
          ) : empty ? (
            <div className="card empty-state">
              <p className="muted small">{t("search.syntax")}</p>
            </div>
          ) : null}
          <Pager page={params.page} pageCount={pageCount} link={pageLink} label={t("search.pagination")} />
        </section>
      </div>
    </>
  );
}

/** The search box and filters: one GET form; with JavaScript a changed choice applies at once. */
function SearchFilters({ params, clubs, author }: { params: SearchParams; clubs: SearchView["clubs"]; author: SearchView["author"] }) {
  const t = useT();
  const submit = useSubmit();
  const form = useRef<HTMLFormElement>(null);
  const id = useId();
  const onChange = () => {
    if (form.current) submit(form.current, { replace: true, preventScrollReset: true });
  };
  const clubOptions = params.club && !clubs.some((c) => c.slug === params.club) ? [{ slug: params.club, name: params.club }, ...clubs] : clubs;
  return (
    <Form key={JSON.stringify(params)} ref={form} method="get" action="/search" className="directory-filters" role="search" aria-label={t("search.label")}>
      <SearchField id={`${id}-q`} label={t("search.label")} placeholder={t("search.placeholder")} defaultValue={params.q} maxLength={200} submit={t("search.submit")} />
      <fieldset className="directory-facets">
        <legend className="sr-only">{t("search.filters")}</legend>
        <div className="field">
          <label htmlFor={`${id}-type`}>{t("search.type")}</label>
          <select id={`${id}-type`} name="type" defaultValue={params.type ?? ""} onChange={onChange}>
            <option value="">{t("search.anyType")}</option>
            {SEARCH_TYPES.map((type) => (
              <option key={type} value={type}>
                {t(`search.kinds.${type}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-club`}>{t("search.club")}</label>
          <select id={`${id}-club`} name="club" defaultValue={params.club ?? ""} onChange={onChange}>
            <option value="">{t("search.anyClub")}</option>
            {clubOptions.map((c) => (
              <option key={c.slug} value={c.slug}>
                {c.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-when`}>{t("search.when")}</label>
          <select id={`${id}-when`} name="when" defaultValue={params.when ?? ""} onChange={onChange}>
            <option value="">{t("search.anyTime")}</option>
            {SEARCH_PERIODS.map((p) => (
              <option key={p} value={p}>
                {t(`search.period.${p}`)}
              </option>
            ))}
          </select>
        </div>
        {params.author ? <input type="hidden" name="author" value={params.author} /> : null}
        <noscript>
          <button type="submit" className="btn">
            {t("people.apply")}
          </button>
        </noscript>
      </fieldset>
      {author ? (
        <ul className="filter-chips list-reset" aria-label={t("search.activeFilters")}>
          <li>
            <Link className="chip" to={searchUrl({ ...params, author: null, page: 1 })} aria-label={t("search.removeAuthor", { name: author.name })} replace preventScrollReset>
              {t("search.authorChip", { name: author.name })} <span aria-hidden="true">×</span>
            </Link>
          </li>
        </ul>
      ) : null}
      <details className="search-help small">
        <summary>{t("search.helpTitle")}</summary>
        <p className="muted">{t("search.syntax")}</p>
      </details>
    </Form>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
