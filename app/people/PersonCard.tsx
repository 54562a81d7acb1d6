import type { Locale } from "#db/schema.ts";
import { Avatar } from "#app/components/avatar.tsx";
import { formatList, type Translate } from "#app/i18n/index.ts";
import type { PersonCard as Card } from "./directory.server.ts";
import { formatDay } from "./format.ts";

/**
 * One member in the directory: only what the loader let through for this
 * viewer. The list passes `t` and `locale` (dozens of cards need not each
 * look them up) and navigates for the name's plain link (useListLinks), and
 * skills are plain tags here — the filters find by skill.
 */
export function PersonCard({ person, t, locale }: { person: Card; t: Translate; locale: Locale }) {
  const where = [person.city, person.region ? t(`region.${person.region}`) : null].filter(Boolean).join(", ");
  return (
    <li className="card person-card">
      <div className="person-card-head">
        <Avatar name={person.name} photoUrl={person.photoUrl} size="large" />
        <div>
          <h2>{person.url ? <a href={person.url}>{person.name}</a> : person.name}</h2>
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
            <li key={s.key} className="tag">
              {s.label}
            </li>
          ))}
        </ul>
      ) : null}
      {person.openTo && person.openTo.length > 0 ? (
        <p className="open-to small">
          {t("people.openToList", { list: formatList(locale, person.openTo.map((o) => t(`openTo.${o}`))) })}
          {person.availableFrom ? <> — {t("people.availableFrom", { date: formatDay(locale, person.availableFrom) })}</> : null}
        </p>
      ) : null}
    </li>
  );
}
