import { Link } from "@remix-run/react";
import { useT } from "#app/i18n/react.tsx";

/* Pieces of "Latest from the clubs" (app/routes/latest.*). */

/** The club's name; a link to its space only for readers of that space. */
export function ClubLabel({ club }: { club: { name: string; href: string | null } }) {
  const t = useT();
  return (
    <p className="latest-club">
      <span className="sr-only">{t("latest.clubPrefix")} </span>
      {club.href ? (
        <Link to={club.href} className="badge badge-brand">
          {club.name}
        </Link>
      ) : (
        <span className="badge badge-brand">{club.name}</span>
      )}
    </p>
  );
}

export function PostTags({ tags }: { tags: string[] }) {
  const t = useT();
  if (tags.length === 0) return null;
  return (
    <ul className="list-reset tags latest-tags" aria-label={t("latest.tags")}>
      {tags.map((tag) => (
        <li key={tag} className="badge">
          {tag}
        </li>
      ))}
    </ul>
  );
}
