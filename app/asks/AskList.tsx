import { Form, Link, useSubmit } from "@remix-run/react";
import { useId, useRef } from "react";
import { REGIONS } from "#db/profile-fields.ts";
import { ASK_KINDS } from "#db/schema.ts";
import { useLocale, useT } from "#app/i18n/react.tsx";
import type { MessageKey } from "#app/i18n/index.ts";
import { formatDay } from "#app/people/format.ts";
import { askUrl } from "#app/urls.ts";
import type { AskCardView, AskFiltersView } from "./load.server.ts";

/**
 * A list of asks with its filters: one GET form (it works without
 * JavaScript, every search is a link; with it a changed choice applies at
 * once), the cards, and "more" by position. Used by a club's Asks tab and by
 * /asks (with the club filter).
 */
export function AskList({
  action,
  filters,
  asks,
  clubs,
  next,
  showClub,
  canSeeTrash,
  empty,
}: {
  action: string;
  filters: AskFiltersView;
  asks: AskCardView[];
  clubs: Array<{ slug: string; name: string }> | null;
  next: string | null;
  showClub: boolean;
  canSeeTrash: boolean;
  empty: string;
}) {
  const t = useT();
  const submit = useSubmit();
  const form = useRef<HTMLFormElement>(null);
  const id = useId();
  const onChange = () => {
    if (form.current) submit(form.current, { replace: true, preventScrollReset: true });
  };
  const moreQuery = new URLSearchParams();
  for (const [k, v] of Object.entries(filters)) if (v && !(k === "state" && v === "open")) moreQuery.set(k, v);
  if (next) moreQuery.set("after", next);
  const states: Array<AskFiltersView["state"]> = canSeeTrash ? ["open", "closed", "all", "trash"] : ["open", "closed", "all"];
  return (
    <div className="stack">
      <Form key={JSON.stringify(filters)} ref={form} method="get" action={action} className="ask-filters" role="search" aria-label={t("asks.filters")}>
        <div className="field">
          <label htmlFor={`${id}-state`}>{t("asks.filter.state")}</label>
          <select id={`${id}-state`} name="state" defaultValue={filters.state} onChange={onChange}>
            {states.map((s) => (
              <option key={s} value={s}>
                {t(`asks.state.${s}` as MessageKey)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-kind`}>{t("asks.filter.kind")}</label>
          <select id={`${id}-kind`} name="kind" defaultValue={filters.kind} onChange={onChange}>
            <option value="">{t("asks.filter.anyKind")}</option>
            {ASK_KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`asks.kind.${k}` as MessageKey)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-skill`}>{t("asks.filter.skill")}</label>
          <input id={`${id}-skill`} type="search" name="skill" defaultValue={filters.skill} maxLength={60} placeholder={t("asks.filter.skillPlaceholder")} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-region`}>{t("asks.filter.region")}</label>
          <select id={`${id}-region`} name="region" defaultValue={filters.region} onChange={onChange}>
            <option value="">{t("asks.filter.anyRegion")}</option>
            {REGIONS.map((r) => (
              <option key={r} value={r}>
                {t(`region.${r}`)}
              </option>
            ))}
          </select>
        </div>
        {clubs ? (
          <div className="field">
            <label htmlFor={`${id}-club`}>{t("asks.filter.club")}</label>
            <select id={`${id}-club`} name="club" defaultValue={filters.club} onChange={onChange}>
              <option value="">{t("asks.filter.anyClub")}</option>
              {clubs.map((c) => (
                <option key={c.slug} value={c.slug}>
                  {c.name}
                </option>
              ))}
            </select>
          </div>
        ) : null}
        <div className="ask-filters-submit">
          <button type="submit" className="btn">
            {t("asks.filter.apply")}
          </button>
        </div>
      </Form>
      {asks.length === 0 ? (
        <p className="card empty-state">{empty}</p>
      ) : (
        <ul className="list-reset stack-sm" aria-label={t("asks.listLabel")}>
          {asks.map((a) => (
            <AskCard key={a.id} ask={a} showClub={showClub} />
          ))}
        </ul>
      )}
      {next ? (
        <p>
          <Link to={`${action}?${moreQuery}`} className="btn" preventScrollReset>
            {t("asks.more")}
          </Link>
        </p>
      ) : null}
    </div>
  );
}

function AskCard({ ask, showClub }: { ask: AskCardView; showClub: boolean }) {
  const t = useT();
  const locale = useLocale();
  const matched = ask.matches.skills.length > 0 || ask.matches.region;
  const why = [...ask.matches.skills, ...(ask.matches.region && ask.region ? [t(`region.${ask.region}`)] : [])].join(", ");
  return (
    <li className={`card ask-card${matched ? " is-match" : ""}${ask.closed ? " is-closed" : ""}`}>
      <p className="ask-card-kind">
        <span className={`badge ask-kind ask-kind-${ask.kind}`}>{t(`asks.kind.${ask.kind}` as MessageKey)}</span>
        {ask.audience === "network" ? <span className="badge">{t("asks.networkBadge")}</span> : null}
        {ask.resolved ? <span className="badge badge-success">{t("asks.resolvedBadge")}</span> : ask.closed ? <span className="badge">{t("asks.closedBadge")}</span> : null}
        {matched ? <span className="badge badge-accent">{t("asks.matchBadge", { why })}</span> : null}
      </p>
      <h2 className="ask-card-title">
        <Link to={askUrl(ask.spaceSlug, ask.id)}>{ask.title}</Link>
      </h2>
      {ask.excerpt ? <p className="ask-card-excerpt">{ask.excerpt}</p> : null}
      {ask.skills.length > 0 ? (
        <ul className="tag-list list-reset" aria-label={t("asks.skillsWanted")}>
          {ask.skills.map((s) => (
            <li key={s.key} className={`tag${ask.matches.skills.includes(s.label) ? " tag-match" : ""}`}>
              {s.label}
            </li>
          ))}
        </ul>
      ) : null}
      <p className="card-meta small">
        {ask.author ? <span>{t("asks.by", { name: ask.author.name })}</span> : null}
        {showClub ? <span>{ask.spaceName}</span> : null}
        {ask.region ? <span>{t(`region.${ask.region}`)}</span> : null}
        {ask.deadline ? <span>{t(ask.closed && !ask.resolved ? "asks.deadlinePassed" : "asks.until", { date: formatDay(locale, ask.deadline) })}</span> : null}
        <span>{t("asks.answerCount", { count: ask.answers })}</span>
      </p>
    </li>
  );
}
