import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Pager } from "#app/components/pager.tsx";
import { useLocale, useT } from "#app/i18n/react.tsx";
import { loadDirectory, type DirectoryView } from "#app/people/directory.server.ts";
import { useListLinks } from "#app/utils/list-links.ts";
import { pack, usePacked } from "#app/utils/packed.ts";
import { directoryQuery, parseDirectoryParams } from "#app/people/params.ts";
import { DirectoryFilters } from "#app/people/DirectoryFilters.tsx";
import { PersonCard } from "#app/people/PersonCard.tsx";
import { requireSignedIn } from "#app/utils/auth.server.ts";
import { getDb } from "#app/utils/db.server.ts";
import { pageTitle } from "#app/utils/meta.ts";
import { peopleUrl } from "#app/urls.ts";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "people.title");

/**
 * The network's directory: every member the viewer may find (canSeeProfile),
 * with only the fields they may see; filters and counts obey the same rule,
 * in the query itself (db/queries/people.ts).
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const { actor } = await requireSignedIn(request, context);
  const params = parseDirectoryParams(new URL(request.url));
  // One JSON string rather than some 800 values for turbo-stream to walk (app/utils/packed.ts).
  return { view: pack(await loadDirectory(getDb(), actor, params)) };
}

export default function People() {
  const t = useT();
  const locale = useLocale();
  const view = usePacked<DirectoryView>(useLoaderData<typeof loader>().view);
  const { params, total, page, pageCount, people, facets } = view;
  const onListClick = useListLinks();
  const pageLink = (n: number) => peopleUrl(directoryQuery({ ...params, page: n }));
  return (
    <>
      <div className="page-head">
        <div>
          <h1>{t("people.title")}</h1>
          <p>{t("people.intro")}</p>
        </div>
      </div>
      <div className="directory-layout">
        <DirectoryFilters action="/people" params={params} facets={facets} withClub />
        <section aria-labelledby="people-count" className="directory-results">
          <h2 id="people-count" className="directory-count" aria-live="polite">
            {t("people.count", { count: total })}
          </h2>
          {people.length === 0 ? (
            <div className="card empty-state">
              <p>{t("people.empty")}</p>
              <p className="muted small">{t("people.emptyHint")}</p>
            </div>
          ) : (
            <ul className="person-grid list-reset" onClick={onListClick}>
              {people.map((p) => (
                <PersonCard key={p.id} person={p} t={t} locale={locale} />
              ))}
            </ul>
          )}
          <Pager page={page} pageCount={pageCount} link={pageLink} label={t("people.pagination")} />
        </section>
      </div>
    </>
  );
}
