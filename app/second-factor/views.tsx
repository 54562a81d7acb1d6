import { Form, useNavigation } from "@remix-run/react";
import type { ReactNode } from "react";
import { isMessageKey } from "#app/i18n/index.ts";
import { useT } from "#app/i18n/react.tsx";

/**
 * The pieces the settings page and the setup at sign-in share: a code field,
 * the authenticator's setup (QR code, key, first code) and the recovery codes
 * shown once. Plain forms: each page holds several, told apart by `intent`,
 * and their errors come back from the action as message keys.
 */

/** What an action answers to a form it refuses: which form, and the message key beside its field. */
export interface FieldRefusal {
  form: string;
  error: string;
}

export function errorFor(refusal: FieldRefusal | null | undefined, form: string): string | null {
  return refusal && refusal.form === form ? refusal.error : null;
}

/** One labelled text field whose error, when there is one, is tied to it for screen readers. */
export function CodeField({
  id,
  name,
  label,
  hint,
  error,
  kind,
  autoFocus,
}: {
  id: string;
  name: string;
  label: string;
  hint?: ReactNode;
  error: string | null;
  /** "totp": six digits, the one-time-code autofill and a numeric keypad; "text": a recovery code or a password. */
  kind: "totp" | "recovery" | "proof";
  autoFocus?: boolean;
}) {
  const t = useT();
  const describedBy = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(" ") || undefined;
  const typeProps =
    kind === "totp"
      ? { type: "text", inputMode: "numeric" as const, autoComplete: "one-time-code", pattern: "[0-9 ]*", maxLength: 7 }
      : kind === "recovery"
        ? { type: "text", autoComplete: "off", autoCapitalize: "none", spellCheck: false, maxLength: 40 }
        : { type: "password", autoComplete: "current-password", maxLength: 256 };
  return (
    <div className={`field${error ? " field-invalid" : ""}`}>
      <label htmlFor={id}>{label}</label>
      <input id={id} name={name} required aria-invalid={error ? true : undefined} aria-describedby={describedBy} autoFocus={autoFocus} {...typeProps} />
      {hint ? (
        <p id={`${id}-hint`} className="field-hint">
          {hint}
        </p>
      ) : null}
      {error ? (
        <ul id={`${id}-error`} className="field-errors">
          <li>{isMessageKey(error) ? t(error) : error}</li>
        </ul>
      ) : null}
    </div>
  );
}

export interface SetupData {
  qr: string;
  secret: string;
  uri: string;
}

/** The authenticator's setup: scan (or type the key), then the first code confirms it. */
export function TotpSetup({ setup, error, cancel }: { setup: SetupData; error: string | null; cancel: boolean }) {
  const t = useT();
  const navigation = useNavigation();
  return (
    <div className="stack totp-setup">
      <p>{t("secondFactor.setup.scan")}</p>
      {/* The SVG is the qrcode library's, made on the server from our own otpauth address: no markup from anyone. */}
      <div className="totp-qr" role="img" aria-label={t("secondFactor.setup.qrLabel")} dangerouslySetInnerHTML={{ __html: setup.qr }} />
      <p className="muted small">{t("secondFactor.setup.manual")}</p>
      <p>
        <code className="totp-secret">{setup.secret}</code>
      </p>
      <details>
        <summary className="small">{t("secondFactor.setup.uri")}</summary>
        <p className="small">
          <code className="totp-uri">{setup.uri}</code>
        </p>
      </details>
      <Form method="post" className="stack">
        <input type="hidden" name="intent" value="confirm" />
        <CodeField id="setup-code" name="code" label={t("secondFactor.setup.type")} error={error} kind="totp" autoFocus />
        <div className="form-actions">
          <button type="submit" className="btn btn-primary" disabled={navigation.state === "submitting"}>
            {t("secondFactor.setup.confirm")}
          </button>
        </div>
      </Form>
      {cancel ? (
        <Form method="post">
          <input type="hidden" name="intent" value="cancel-setup" />
          <button type="submit" className="btn btn-ghost btn-small">
            {t("secondFactor.setup.cancel")}
          </button>
        </Form>
      ) : null}
    </div>
  );
}

/** The recovery codes, shown this once. */
export function RecoveryCodes({ codes }: { codes: string[] }) {
  const t = useT();
  return (
    <div className="notice notice-warning recovery-codes" role="status">
      <h2 id="recovery-title">{t("secondFactor.recovery.title")}</h2>
      <p>{t("secondFactor.recovery.intro")}</p>
      <ol className="recovery-list" aria-labelledby="recovery-title">
        {codes.map((code) => (
          <li key={code}>
            <code>{code}</code>
          </li>
        ))}
      </ol>
    </div>
  );
}
