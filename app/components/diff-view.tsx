import type { DiffSegment } from "#app/wiki/diff.ts";
import { countChanges } from "#app/wiki/diff.ts";
import { useT } from "#app/i18n/react.tsx";

/** Additions and removals marked in the text itself, with a legend and a count; <ins>/<del> for screen readers. */
export function DiffView({ segments }: { segments: DiffSegment[] }) {
  const t = useT();
  const { added, removed } = countChanges(segments);
  if (added === 0 && removed === 0) return <p className="muted">{t("wiki.noChanges")}</p>;
  return (
    <>
      <p className="legend">
        <span>{t("wiki.changes", { added, removed })}</span>
        <ins className="diff-key">{t("wiki.legendAdded")}</ins>
        <del className="diff-key">{t("wiki.legendRemoved")}</del>
      </p>
      <div className="diff" data-testid="diff">
        {segments.map((s, i) =>
          s.kind === "added" ? <ins key={i}>{s.text}</ins> : s.kind === "removed" ? <del key={i}>{s.text}</del> : <span key={i}>{s.text}</span>,
        )}
      </div>
    </>
  );
}
