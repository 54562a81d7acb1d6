import { Form, Link, useSubmit } from "@remix-run/react";
import { useId, useRef } from "react";
import { DIRECTORY_SORTS } from "#db/profile-fields.ts";
import { SearchField } from "#app/components/search-field.tsx";
import { useT } from "#app/i18n/react.tsx";
import type { MessageKey } from "#app/i18n/index.ts";
import type { DirectoryView } from "./directory.server.ts";

type Params = DirectoryView["params"];
type Facets = DirectoryView["facets"];
type FilterName = "skill" | "region" | "club" | "status" | "open";

/**
 * The directory's search box and filters: one GET form, so it works without
 * JavaScript and every search is a link; with it, a changed choice applies
 * at once. Each choice shows how many members it would leave (the facet
 * counts, computed as the viewer may see them). Used by /people and by a
 * club's Members page (without the club filter there).
 */
export function DirectoryFilters({ action, params, facets, withClub, layout = "sidebar" }: { action: string; params: Params; facets: Facets; withClub: boolean; layout?: "sidebar" | "bar" }) {
  const t = useT();
  const submit = useSubmit();
  const form = useRef<HTMLFormElement>(null);
  const id = useId();
  const onChange = () => {
    if (form.current) submit(form.current, { replace: true, preventScrollReset: true });
  };

  const selects: Array<{ name: FilterName; label: MessageKey; any: MessageKey; options: Array<{ value: string; label: string; count: number }> }> = [
    { name: "skill", label: "people.skill", any: "people.anySkill", options: facets.skills },
    { name: "region", label: "people.region", any: "people.anyRegion", options: facets.regions.map((r) => ({ ...r, label: t(`region.${r.value}`) })) },
    ...(withClub ? [{ name: "club" as const, label: "people.club" as const, any: "people.anyClub" as const, options: facets.clubs }] : []),
    { name: "status", label: "people.status", any: "people.anyStatus", options: facets.statuses.map((s) => ({ ...s, label: t(`status.${s.value}`) })) },
    { name: "open", label: "people.openTo", any: "people.anyOpenTo", options: facets.openTo.map((o) => ({ ...o, label: t(`openToFilter.${o.value}`) })) },
  ];

  const active = selects
    .map((s) => ({ name: s.name, value: params[s.name], label: s.label }))
    .filter((a): a is { name: FilterName; value: string; label: MessageKey } => a.value !== null);

  /** The same search without one filter, for its chip. */
  const without = (name: FilterName | "q") => {
    const query = new URLSearchParams();
    for (const [k, v] of Object.entries({ q: params.q, skill: params.skill, region: params.region, club: params.club, status: params.status, open: params.open })) {
      if (v && k !== name) query.set(k, v);
    }
    const s = query.toString();
    return s ? `${action}?${s}` : action;
  };

  return (
    // Keyed by the search, so the choices follow a chip or the back button.
    <Form key={JSON.stringify(params)} ref={form} method="get" action={action} className={`directory-filters directory-filters-${layout}`} role="search" aria-label={t("people.searchLabel")}>
      <SearchField id={`${id}-q`} label={t("people.searchLabel")} placeholder={t("people.searchPlaceholder")} defaultValue={params.q} maxLength={100} submit={t("people.search")} />
      <fieldset className="directory-facets">
        <legend className="sr-only">{t("people.filters")}</legend>
        {selects.map((s) => {
          const chosen = params[s.name];
          const options = chosen && !s.options.some((o) => o.value === chosen) ? [{ value: chosen, label: chosen, count: 0 }, ...s.options] : s.options;
          return (
            <div className="field" key={s.name}>
              <label htmlFor={`${id}-${s.name}`}>{t(s.label)}</label>
              <select id={`${id}-${s.name}`} name={s.name} defaultValue={chosen ?? ""} onChange={onChange}>
                <option value="">{t(s.any)}</option>
                {options.map((o) => (
                  <option key={o.value} value={o.value}>
                    {`${o.label} (${o.count})`}
                  </option>
                ))}
              </select>
            </div>
          );
        })}
        <div className="field">
          <label htmlFor={`${id}-sort`}>{t("people.sort")}</label>
          <select id={`${id}-sort`} name="sort" defaultValue={params.sort} onChange={onChange}>
            {DIRECTORY_SORTS.map((s) => (
              <option key={s} value={s}>
                {t(`people.sort.${s}`)}
              </option>
            ))}
          </select>
        </div>
        <noscript>
          <button type="submit" className="btn">
            {t("people.apply")}
          </button>
        </noscript>
      </fieldset>
      {active.length > 0 || params.q ? (
        <ul className="filter-chips list-reset" aria-label={t("people.filtersActive", { count: active.length + (params.q ? 1 : 0) })}>
          {params.q ? (
            <li>
              <Link className="chip" to={without("q")} aria-label={t("people.removeFilter", { label: `« ${params.q} »` })} replace preventScrollReset>
                « {params.q} » <span aria-hidden="true">×</span>
              </Link>
            </li>
          ) : null}
          {active.map((a) => {
            const label = selects.find((s) => s.name === a.name)!.options.find((o) => o.value === a.value)?.label ?? a.value;
            return (
              <li key={a.name}>
                <Link className="chip" to={without(a.name)} aria-label={t("people.removeFilter", { label: t("people.chip", { filter: t(a.label), value: label }) })} replace preventScrollReset>
                  {t("people.chip", { filter: t(a.label), value: label })} <span aria-hidden="true">×</span>
                </Link>
              </li>
            );
          })}
          <li>
            <Link className="chip chip-clear" to={action} replace>
              {t("people.clear")}
            </Link>
          </li>
        </ul>
      ) : null}
    </Form>
  );
}
