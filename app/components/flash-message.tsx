import { useEffect, useRef, useState } from "react";
import { useT } from "#app/i18n/react.tsx";
import type { Flash } from "#app/utils/flash.server.ts";

/** The message after an action; announced to screen readers, dismissible. */
export function FlashMessage({ flash }: { flash: Flash }) {
  const t = useT();
  const [open, setOpen] = useState(true);
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => setOpen(true), [flash]);
  if (!open) return null;
  return (
    <div
      ref={ref}
      className={`flash flash-${flash.kind}`}
      role={flash.kind === "error" ? "alert" : "status"}
      data-testid="flash"
    >
      <p>{t(flash.key, flash.params)}</p>
      <button type="button" className="flash-close" onClick={() => setOpen(false)} aria-label={t("flash.dismiss")}>
        ×
      </button>
    </div>
  );
}
