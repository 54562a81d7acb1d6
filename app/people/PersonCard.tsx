import { Link } from "@remix-run/react";
import { Avatar } from "#app/components/avatar.tsx";
import { useLocale, useT } from "#app/i18n/react.tsx";
import { peopleUrl } from "#app/urls.ts";
import type { PersonCard as Card } from "./directory.server.ts";
import { formatDay } from "./format.ts";

/** One member in the directory: only what the query let through for this viewer. */
export function PersonCard({ person, linkProfile = true }: { person: Card; linkProfile?: boolean }) {
  const t = useT();
  const locale = useLocale();
  const where = [person.city, person.region ? t(`region.${person.region}`) : null].filter(Boolean).join(", ");
  return (
    <li className="card person-card">
      <div className="person-card-head">
        <Avatar name={person.name} photoUrl={person.photoUrl} size="large" />
        <div>
          <h2>{linkProfile ? <Link to={person.url}>{person.name}</Link> : person.name}</h2>
          {person.headline ? <p className="person-headline">{person.headline}</p> : null}
        </div>
      </div>
      {where || person.status ? (
        <p className="card-meta">
          {where ? <span>{where}</span> : null}
          {where && person.status ? <span aria-hidden="true">·</span> : null}
          {person.status ? <span>{t(`status.${person.status}`)}</span> : null}
        </p>
      ) : null}
      {person.skills && person.skills.length > 0 ? (
        <ul className="tag-list list-reset" aria-label={t("people.skillsOf", { name: person.name })}>
          {person.skills.map((s) => (
            <li key={s.key}>
              <Link className="tag" to={peopleUrl(new URLSearchParams({ skill: s.key }).toString())}>
                {s.label}
              </Link>
            </li>
          ))}
        </ul>
      ) : null}
      {person.openTo && person.openTo.length > 0 ? (
        <p className="open-to small">
          {t("people.openToList", { list: new Intl.ListFormat(locale, { type: "conjunction" }).format(person.openTo.map((o) => t(`openTo.${o}`))) })}
          {person.availableFrom ? <> — {t("people.availableFrom", { date: formatDay(locale, person.availableFrom) })}</> : null}
        </p>
      ) : null}
    </li>
  );
}
