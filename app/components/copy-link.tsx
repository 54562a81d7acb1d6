import { useState } from "react";
import { useT } from "#app/i18n/react.tsx";

/** A read-only link with a copy button: an invitation link the sender passes on by hand. */
export function CopyLink({ link, label }: { link: string; label?: string }) {
  const t = useT();
  const [copied, setCopied] = useState(false);
  return (
    <div className="field">
      <label htmlFor="invite-link">{label ?? t("coopt.linkLabel")}</label>
      <div className="copy-field">
        <input id="invite-link" readOnly value={link} onFocus={(e) => e.currentTarget.select()} />
        <button
          type="button"
          className="btn"
          onClick={() => {
            void navigator.clipboard?.writeText(link).then(() => setCopied(true));
          }}
        >
          {copied ? t("common.copied") : t("common.copy")}
        </button>
      </div>
    </div>
  );
}
