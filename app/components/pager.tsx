import { Link } from "@remix-run/react";
import { useT } from "#app/i18n/react.tsx";

/** Previous, "page N of M", next: for a list paged by number (the directory, the search). Nothing when one page holds it all. */
export function Pager({ page, pageCount, link, label }: { page: number; pageCount: number; link: (page: number) => string; label: string }) {
  const t = useT();
  if (pageCount <= 1) return null;
  return (
    <nav className="pagination" aria-label={label}>
      {page > 1 ? (
        <Link to={link(page - 1)} rel="prev" className="btn btn-small">
          {t("people.previous")}
        </Link>
      ) : (
        <span />
      )}
      <span className="muted small" aria-current="page">
        {t("people.pageOf", { page, count: pageCount })}
      </span>
      {page < pageCount ? (
        <Link to={link(page + 1)} rel="next" className="btn btn-small">
          {t("people.next")}
        </Link>
      ) : (
        <span />
      )}
    </nav>
  );
}
