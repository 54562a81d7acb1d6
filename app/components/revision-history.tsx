import { Form, Link } from "@remix-run/react";
import type { ReactNode } from "react";
import { DiffView } from "#app/components/diff-view.tsx";
import type { MessageKey } from "#app/i18n/index.ts";
import { useFormatDate, useT } from "#app/i18n/react.tsx";
import type { DiffSegment } from "#app/wiki/diff.ts";

export interface RevisionEntry {
  n: number;
  at: number;
  author: string | null;
}

/** Each of the blog and the wiki words its history in its own catalogue section. */
export interface RevisionHistoryKeys {
  diffTitle: MessageKey;
  historyTitle: MessageKey;
  compareFrom: MessageKey;
  compareTo: MessageKey;
  compare: MessageKey;
  revision: MessageKey;
  by: MessageKey;
}

/**
 * A document's revisions, newest first, with a form to compare any two and the
 * comparison the URL asks for (`?from=&to=`) above them.
 */
export function RevisionHistory<R extends RevisionEntry>({
  keys,
  title,
  revision,
  revisions,
  comparison,
  currentBadge,
  singleRevisionNote,
  compareLabel,
  details,
  actions,
}: {
  keys: RevisionHistoryKeys;
  /** The document's title as it stands now. */
  title: string;
  /** Its current revision, which gets the badge. */
  revision: number;
  revisions: R[];
  comparison: { from: number; to: number; segments: DiffSegment[] } | null;
  /** Passed whole: the blog and the wiki space theirs differently, and each keeps its markup. */
  currentBadge: ReactNode;
  /** Shown instead of the compare form while there is nothing to compare; without it the form always shows. */
  singleRevisionNote?: string;
  /** An accessible name for each "compare with the previous one" link. */
  compareLabel?: (n: number) => string;
  /** What a revision says beyond its number, author and date (its summary…). */
  details: (r: R) => ReactNode;
  /** Buttons after the compare link (restoring it…). */
  actions?: (r: R) => ReactNode;
}) {
  const t = useT();
  const formatDate = useFormatDate();
  const latest = revisions[0]?.n ?? 1;
  return (
    <>
      {comparison ? (
        <section className="card" aria-labelledby="diff-title">
          <h2 id="diff-title">{t(keys.diffTitle, { from: comparison.from, to: comparison.to })}</h2>
          <DiffView segments={comparison.segments} />
        </section>
      ) : null}
      <section className="card" aria-labelledby="history-title">
        <h2 id="history-title">
          {t(keys.historyTitle)} — {title}
        </h2>
        {singleRevisionNote !== undefined && revisions.length <= 1 ? (
          <p className="muted small">{singleRevisionNote}</p>
        ) : (
          <Form method="get" className="inline-form compare-form">
            <label htmlFor="from">{t(keys.compareFrom)}</label>
            <select id="from" name="from" defaultValue={comparison?.from ?? Math.max(1, latest - 1)}>
              {revisions.map((r) => (
                <option key={r.n} value={r.n}>
                  {r.n}
                </option>
              ))}
            </select>
            <label htmlFor="to">{t(keys.compareTo)}</label>
            <select id="to" name="to" defaultValue={comparison?.to ?? latest}>
              {revisions.map((r) => (
                <option key={r.n} value={r.n}>
                  {r.n}
                </option>
              ))}
            </select>
            <button type="submit" className="btn btn-small">
              {t(keys.compare)}
            </button>
          </Form>
        )}
        <ol className="list revisions" reversed>
          {revisions.map((r) => (
            <li key={r.n} data-testid="revision">
              <span className="grow">
                <strong>{t(keys.revision, { n: r.n })}</strong>
                {r.n === revision ? currentBadge : null}{" "}
                <span className="muted small">
                  {t(keys.by, { name: r.author ?? "—" })} · {formatDate(r.at)}
                </span>
                {details(r)}
              </span>
              {r.n > 1 ? (
                <Link className="btn btn-small" to={`?from=${r.n - 1}&to=${r.n}`} aria-label={compareLabel?.(r.n)}>
                  {t(keys.compare)}
                </Link>
              ) : null}
              {actions?.(r)}
            </li>
          ))}
        </ol>
      </section>
    </>
  );
}
