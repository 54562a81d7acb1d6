import type { SpaceKind, Visibility } from "#db/schema.ts";
import { useT } from "#app/i18n/react.tsx";

export function SpaceBadges({ kind, visibility, archived }: { kind: SpaceKind; visibility: Visibility; archived?: boolean }) {
  const t = useT();
  return (
    <span className="tags">
      <span className="badge badge-brand">{t(`kind.${kind}`)}</span>
      <span className={`badge${visibility === "secret" ? " badge-secret" : visibility === "open" ? " badge-accent" : ""}`}>
        {t(`visibility.${visibility}`)}
      </span>
      {archived ? <span className="badge badge-warning">{t("spaces.archived")}</span> : null}
    </span>
  );
}
