import { Form, useNavigation } from "@remix-run/react";
import { browserSupportsWebAuthn, startAuthentication, startRegistration } from "@simplewebauthn/browser";
import { useEffect, useId, useRef, useState } from "react";
import { useFormatDate, useT } from "#app/i18n/react.tsx";
import { CodeField } from "./views.tsx";

/**
 * Passkeys' pieces of the sign-in pages and the security settings (issue 20).
 * The button is progressive: it appears only once the page's script runs and
 * the browser can do WebAuthn; without it, the password form does the work.
 */

type Answer = { ok: true; options?: unknown; redirectTo?: string } | { ok: false; message: string; redirectTo?: string };

async function post(action: string, fields: Record<string, string>): Promise<Answer> {
  const res = await fetch(action, {
    method: "POST",
    body: new URLSearchParams(fields),
    credentials: "same-origin",
    headers: { Accept: "application/json" },
  });
  const type = res.headers.get("Content-Type") ?? "";
  if (!type.includes("application/json")) throw new Error(`unexpected answer ${res.status}`);
  return (await res.json()) as Answer;
}

/** Whether this browser can use passkeys; false until the page's script has run. */
export function useWebAuthnSupport(): boolean | null {
  const [supported, setSupported] = useState<boolean | null>(null);
  useEffect(() => setSupported(browserSupportsWebAuthn()), []);
  return supported;
}

/**
 * One passkey ceremony from a click: the options fetched (POST, so the
 * challenge cookie is set), the browser's prompt, the answer posted; then a
 * full page load where the server says. Progress and refusals are said in an
 * aria-live region; the person cancelling the prompt is no error.
 */
export function PasskeyButton({
  action,
  ceremony,
  fields,
  verifyIntent,
  label,
  primary,
  nameLabel,
  nameHint,
  intro,
}: {
  action: string;
  ceremony: "authenticate" | "register";
  /** Sent with both requests (step, redirectTo…). */
  fields: Record<string, string>;
  verifyIntent: string;
  label: string;
  primary?: boolean;
  /** A name field for a new passkey, shown above the button. */
  nameLabel?: string;
  nameHint?: string;
  /** A line above the button, shown with it (only where the browser can use passkeys). */
  intro?: string;
}) {
  const t = useT();
  const supported = useWebAuthnSupport();
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<{ kind: "working" | "error" | "info"; text: string } | null>(null);
  const nameRef = useRef<HTMLInputElement>(null);
  const id = useId();
  if (!supported) return null;

  async function run() {
    setBusy(true);
    setStatus({ kind: "working", text: t("passkey.working") });
    try {
      const options = await post(action, { ...fields, intent: "options" });
      if (!options.ok) {
        if (options.redirectTo) return window.location.assign(options.redirectTo);
        setStatus({ kind: "error", text: options.message });
        return;
      }
      let response: unknown;
      try {
        response =
          ceremony === "register"
            ? await startRegistration({ optionsJSON: options.options as Parameters<typeof startRegistration>[0]["optionsJSON"] })
            : await startAuthentication({ optionsJSON: options.options as Parameters<typeof startAuthentication>[0]["optionsJSON"] });
      } catch (error) {
        const name = error instanceof Error ? error.name : "";
        // Closed the prompt, or let it time out: nothing went wrong, they may try again.
        if (name === "NotAllowedError" || name === "AbortError") setStatus({ kind: "info", text: t("passkey.cancelled") });
        // The authenticator holds one of this account's keys already (excludeCredentials).
        else if (name === "InvalidStateError") setStatus({ kind: "error", text: t("passkey.settings.duplicate") });
        else setStatus({ kind: "error", text: t("passkey.failed") });
        return;
      }
      const name = nameRef.current?.value ?? "";
      const answer = await post(action, { ...fields, intent: verifyIntent, response: JSON.stringify(response), ...(nameLabel ? { name } : {}) });
      if (answer.ok || answer.redirectTo) {
        // A full page load: a new session, or the list as the server now has it.
        window.location.assign(answer.redirectTo ?? window.location.href);
        return;
      }
      setStatus({ kind: "error", text: answer.message });
    } catch {
      setStatus({ kind: "error", text: t("passkey.failed") });
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="stack passkey-button">
      {intro ? <p className="muted small">{intro}</p> : null}
      {nameLabel ? (
        <div className="field">
          <label htmlFor={`${id}-name`}>{nameLabel}</label>
          <input ref={nameRef} id={`${id}-name`} type="text" maxLength={60} autoComplete="off" aria-describedby={nameHint ? `${id}-hint` : undefined} />
          {nameHint ? (
            <p id={`${id}-hint`} className="field-hint">
              {nameHint}
            </p>
          ) : null}
        </div>
      ) : null}
      <div>
        <button type="button" className={`btn${primary ? " btn-primary" : ""}${nameLabel ? "" : " btn-block"}`} onClick={run} disabled={busy} aria-describedby={`${id}-status`}>
          <KeyIcon /> {label}
        </button>
      </div>
      <p id={`${id}-status`} className={status?.kind === "error" ? "field-errors passkey-status" : "muted small passkey-status"} role="status" aria-live="polite">
        {status?.text ?? ""}
      </p>
    </div>
  );
}

function KeyIcon() {
  return (
    <svg aria-hidden="true" focusable="false" width="18" height="18" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" className="passkey-icon">
      <circle cx="8" cy="15" r="4" />
      <path d="m10.85 12.15 7.65-7.65M18 5l2 2M15 8l2 2" />
    </svg>
  );
}

/** "or", between the password form and the passkey button; only where the button shows. */
export function PasskeyDivider() {
  const t = useT();
  const supported = useWebAuthnSupport();
  if (!supported) return null;
  return (
    <p className="passkey-or" aria-hidden="true">
      <span>{t("passkey.or")}</span>
    </p>
  );
}

export interface PasskeyRow {
  id: string;
  name: string;
  createdAt: number;
  lastUsedAt: number | null;
  synced: boolean;
}

/** The security settings' passkeys: the list (name, added, last use), rename and remove (with the proof), and the button to add one. */
export function PasskeySettings({ passkeys, passwordStill, removeError }: { passkeys: PasskeyRow[]; passwordStill: boolean; removeError?: string | null }) {
  const t = useT();
  const formatDate = useFormatDate();
  const navigation = useNavigation();
  const busy = navigation.state === "submitting";
  const supported = useWebAuthnSupport();
  const action = "/settings/security/passkeys";
  return (
    <section className="card form-card stack passkey-card" aria-labelledby="passkeys-title">
      <h2 id="passkeys-title">{t("passkey.settings.title")}</h2>
      <p className="muted small">{t("passkey.settings.intro")}</p>
      {passkeys.length === 0 ? (
        <p className="muted">{t("passkey.settings.none")}</p>
      ) : (
        <ul className="list passkey-list" aria-label={t("passkey.settings.listLabel")}>
          {passkeys.map((p) => (
            <li key={p.id} data-testid="passkey">
              <span className="grow stack-tight">
                <strong className="passkey-name">{p.name}</strong> {p.synced ? <span className="badge">{t("passkey.settings.synced")}</span> : null}
                <br />
                <span className="muted small">
                  {t("passkey.settings.created", { date: formatDate(p.createdAt, "date") })} ·{" "}
                  {p.lastUsedAt !== null ? t("passkey.settings.lastUsed", { date: formatDate(p.lastUsedAt) }) : t("passkey.settings.neverUsed")}
                </span>
                <details className="passkey-details">
                  <summary className="small">{t("passkey.settings.rename")}</summary>
                  <Form method="post" action={action} className="stack">
                    <input type="hidden" name="intent" value="rename" />
                    <input type="hidden" name="id" value={p.id} />
                    <div className="field">
                      <label htmlFor={`rename-${p.id}`}>{t("passkey.settings.renameLabel", { name: p.name })}</label>
                      <input id={`rename-${p.id}`} name="name" type="text" required maxLength={60} defaultValue={p.name} autoComplete="off" />
                    </div>
                    <div className="form-actions">
                      <button type="submit" className="btn btn-small" disabled={busy}>
                        {t("passkey.settings.renameSave")}
                      </button>
                    </div>
                  </Form>
                </details>
                <details className="passkey-details">
                  <summary className="small">{t("passkey.settings.remove")}</summary>
                  <Form method="post" action={action} className="stack">
                    <input type="hidden" name="intent" value="remove" />
                    <input type="hidden" name="id" value={p.id} />
                    <input type="text" name="username" autoComplete="username" hidden readOnly />
                    <p className="muted small">{t("passkey.settings.removeIntro")}</p>
                    <CodeField id={`remove-proof-${p.id}`} name="proof" label={t("secondFactor.settings.proof")} error={removeError ?? null} kind="proof" />
                    <div className="form-actions">
                      <button type="submit" className="btn btn-danger btn-small" disabled={busy} aria-label={t("passkey.settings.removeLabel", { name: p.name })}>
                        {t("passkey.settings.removeConfirm")}
                      </button>
                    </div>
                  </Form>
                </details>
              </span>
            </li>
          ))}
        </ul>
      )}
      <section className="stack" aria-labelledby="passkey-add-title">
        <h3 id="passkey-add-title">{t("passkey.settings.addTitle")}</h3>
        {supported === false ? <p className="muted small">{t("passkey.settings.unsupported")}</p> : null}
        <noscript>
          <p className="muted small">{t("passkey.settings.unsupported")}</p>
        </noscript>
        <PasskeyButton
          action={action}
          ceremony="register"
          fields={{}}
          verifyIntent="register"
          label={t("passkey.settings.add")}
          nameLabel={t("passkey.settings.nameLabel")}
          nameHint={t("passkey.settings.nameHint")}
        />
      </section>
      {passwordStill && passkeys.length > 0 ? <p className="muted small">{t("passkey.settings.passwordStill")}</p> : null}
    </section>
  );
}

/** The setup the network requires, as a passkey: offered before the authenticator app, where the browser can. */
export function PasskeyEnrolOption() {
  const t = useT();
  const supported = useWebAuthnSupport();
  if (!supported) return null;
  return (
    <>
      <section className="stack" aria-labelledby="setup-passkey-title">
        <h2 id="setup-passkey-title" className="h3">
          {t("passkey.setup.title")}
        </h2>
        <p className="muted">{t("passkey.setup.intro")}</p>
        <PasskeyButton action="/login/passkey" ceremony="register" fields={{ step: "setup" }} verifyIntent="verify" label={t("passkey.setup.create")} primary />
      </section>
      <h2 className="h3">{t("passkey.setup.appTitle")}</h2>
    </>
  );
}
