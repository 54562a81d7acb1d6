import { data, redirect, type ActionFunctionArgs, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { transact } from "#db/transact.ts";
import { useFormatDate, useT } from "#app/i18n/react.tsx";
import { canTurnOffSecondFactor } from "#app/policies/second-factor.ts";
import { cancelTotpSetup, confirmTotpSetup, renewRecoveryCodes, startTotpSetup, turnOffSecondFactor } from "#app/second-factor/commands.server.ts";
import { securityOf } from "#app/second-factor/load.server.ts";
import { proveItIsYou } from "#app/second-factor/proof.server.ts";
import { CodeField, RecoveryCodes, TotpSetup, errorFor, type FieldRefusal } from "#app/second-factor/views.tsx";
import { PasskeySettings } from "#app/second-factor/passkey-views.tsx";
import { send } from "#app/mail/outbox.server.ts";
import { acting, letterhead } from "#app/utils/acting.server.ts";
import { requireSignedIn } from "#app/utils/auth.server.ts";
import { getDb } from "#app/utils/db.server.ts";
import { redirectWithFlash } from "#app/utils/http.server.ts";
import { getTranslator } from "#app/utils/locale.server.ts";
import { pageTitle } from "#app/utils/meta.ts";
import { networkInfo } from "#app/utils/network.server.ts";
import { retryAfterHeaders } from "#app/utils/sign-in.server.ts";

/**
 * One's own second factor (issue 20): set up an authenticator (QR code, key,
 * first code), see the recovery codes once, make new ones, turn it off. The
 * last two ask for the password or a code first: a session left open on a
 * shared computer must not be enough to take the factor over.
 */

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "secondFactor.settings.title");

export const headers: HeadersFunction = retryAfterHeaders;

const PATH = "/settings/security";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { user } = await requireSignedIn(request, context);
  const network = await networkInfo();
  const state = await securityOf(getDb(), user, network.name);
  return { ...state, canTurnOff: canTurnOffSecondFactor(state.required) };
}

type Answer = FieldRefusal | { recoveryCodes: string[]; enabled: boolean };

export async function action({ request, context }: ActionFunctionArgs) {
  const signedIn = await requireSignedIn(request, context);
  const { user } = signedIn;
  const form = await request.formData();
  const intent = form.get("intent");
  // Read before any transaction (it holds the one connection): the mails telling the member of a change need it.
  const ctx = { ...acting(signedIn, context), letterhead: await letterhead() };
  const db = getDb();
  const field = (name: string) => {
    const value = form.get(name);
    return typeof value === "string" ? value.trim().slice(0, 256) : "";
  };

  if (intent === "start") {
    await transact(db, (trx) => startTotpSetup(trx, ctx));
    return redirect(PATH);
  }
  if (intent === "cancel-setup") {
    await transact(db, (trx) => cancelTotpSetup(trx, ctx));
    return redirectWithFlash(PATH, { kind: "info", key: "secondFactor.settings.cancelled" });
  }
  if (intent === "confirm") {
    const code = field("code");
    if (!/^\d{6}$/.test(code.replace(/\s/g, ""))) return data<Answer>({ form: "setup", error: "secondFactor.code.format" }, { status: 400 });
    const done = await transact(db, (trx) => confirmTotpSetup(trx, ctx, { code }));
    if (!done.ok && done.error === "no-setup") return redirect(PATH);
    if (!done.ok) return data<Answer>({ form: "setup", error: "secondFactor.setup.wrong" }, { status: 400 });
    send(done.mailIds);
    return data<Answer>({ recoveryCodes: done.recoveryCodes, enabled: true });
  }
  if (intent === "renew" || intent === "disable") {
    const proof = field("proof");
    if (proof === "") return data<Answer>({ form: intent, error: "v.required" }, { status: 400 });
    const proved = await proveItIsYou({ user, proof, ip: ctx.ip, request });
    if (!proved.ok && proved.reason === "throttled") {
      const { t } = await getTranslator(request);
      return data<Answer>(
        { form: intent, error: t("login.throttled", { minutes: proved.minutes }) },
        { status: 429, headers: { "Retry-After": String(proved.retryAfterSeconds) } },
      );
    }
    if (!proved.ok) return data<Answer>({ form: intent, error: "secondFactor.settings.proofWrong" }, { status: 400 });
    if (intent === "renew") {
      const renewed = await transact(db, (trx) => renewRecoveryCodes(trx, ctx));
      if (!renewed.ok) return redirect(PATH);
      send(renewed.mailIds);
      return data<Answer>({ recoveryCodes: renewed.recoveryCodes, enabled: false });
    }
    const off = await transact(db, (trx) => turnOffSecondFactor(trx, ctx));
    if (!off.ok && off.error === "required") return data<Answer>({ form: intent, error: "secondFactor.settings.required" }, { status: 403 });
    if (off.ok) send(off.mailIds);
    return redirectWithFlash(PATH, { key: "secondFactor.settings.disabled" });
  }
  return data<Answer>({ form: "none", error: "v.required" }, { status: 400 });
}

export default function SecuritySettings() {
  const t = useT();
  const formatDate = useFormatDate();
  const state = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const navigation = useNavigation();
  const busy = navigation.state === "submitting";
  const refusal = answer && "form" in answer ? answer : null;
  const codes = answer && "recoveryCodes" in answer ? answer : null;
  return (
    <>
    <section className="card form-card stack" aria-labelledby="security-title">
      <h2 id="security-title">{t("secondFactor.settings.title")}</h2>
      <p className="muted">{t("secondFactor.settings.intro")}</p>
      {codes ? (
        <>
          {codes.enabled ? (
            <p className="notice notice-success" role="status">
              {t("secondFactor.settings.enabled")}
            </p>
          ) : null}
          <RecoveryCodes codes={codes.recoveryCodes} />
        </>
      ) : null}
      {state.enabled ? (
        <>
          <p>
            <span className="badge badge-success">{t("secondFactor.settings.on", { date: formatDate(state.enabledAt ?? 0, "date") })}</span>{" "}
            <span className="muted">{t("secondFactor.settings.recoveryLeft", { count: state.recoveryLeft })}</span>
          </p>
          {state.required ? <p className="notice notice-info">{t("secondFactor.settings.required")}</p> : null}
          <section className="stack" aria-labelledby="renew-title">
            <h3 id="renew-title">{t("secondFactor.settings.renewTitle")}</h3>
            <p className="muted small">{t("secondFactor.settings.renewIntro")}</p>
            <Form method="post" className="stack">
              <input type="hidden" name="intent" value="renew" />
              <input type="text" name="username" autoComplete="username" hidden readOnly />
              <CodeField id="renew-proof" name="proof" label={t("secondFactor.settings.proof")} hint={t("secondFactor.settings.proofHint")} error={errorFor(refusal, "renew")} kind="proof" />
              <div className="form-actions">
                <button type="submit" className="btn" disabled={busy}>
                  {t("secondFactor.settings.renew")}
                </button>
              </div>
            </Form>
          </section>
          {state.canTurnOff ? (
            <section className="stack" aria-labelledby="disable-title">
              <h3 id="disable-title">{t("secondFactor.settings.disableTitle")}</h3>
              <p className="muted small">{t("secondFactor.settings.disableIntro")}</p>
              <Form method="post" className="stack">
                <input type="hidden" name="intent" value="disable" />
                <input type="text" name="username" autoComplete="username" hidden readOnly />
                <CodeField id="disable-proof" name="proof" label={t("secondFactor.settings.proof")} hint={t("secondFactor.settings.proofHint")} error={errorFor(refusal, "disable")} kind="proof" />
                <div className="form-actions">
                  <button type="submit" className="btn btn-danger" disabled={busy}>
                    {t("secondFactor.settings.disable")}
                  </button>
                </div>
              </Form>
            </section>
          ) : null}
        </>
      ) : (
        <>
          <p>
            <span className="badge">{t("secondFactor.settings.off")}</span>
          </p>
          {/* Passkeys meet the requirement too (issue 20): no warning then. */}
          {state.required && state.passkeys.length === 0 ? <p className="notice notice-warning">{t("secondFactor.settings.requiredOff")}</p> : null}
          {state.setup ? (
            <TotpSetup setup={state.setup} error={errorFor(refusal, "setup")} cancel />
          ) : (
            <Form method="post" className="stack">
              <p className="muted">{t("secondFactor.setup.apps")}</p>
              <input type="hidden" name="intent" value="start" />
              <div className="form-actions">
                <button type="submit" className="btn btn-primary" disabled={busy}>
                  {t("secondFactor.setup.start")}
                </button>
              </div>
            </Form>
          )}
        </>
      )}
    </section>
    {/* Passkeys (issue 20): their own card; their forms post to /settings/security/passkeys. */}
    <PasskeySettings passkeys={state.passkeys} passwordStill={!state.enabled && !state.required} />
    </>
  );
}
