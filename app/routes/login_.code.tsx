import { data, redirect, type ActionFunctionArgs, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { findById } from "#db/queries/users.ts";
import { AuthCard, FormErrors } from "#app/components/auth-card.tsx";
import { useT } from "#app/i18n/react.tsx";
import { passPendingSignIn } from "#app/second-factor/finish.server.ts";
import { attemptCode, clearPendingCookie, readPending, STEP_PATHS } from "#app/second-factor/pending.server.ts";
import { PasskeyButton } from "#app/second-factor/passkey-views.tsx";
import { countPasskeys } from "#db/queries/passkeys.ts";
import { hasSecondFactor } from "#db/queries/second-factor.ts";
import { CodeField, errorFor, type FieldRefusal } from "#app/second-factor/views.tsx";
import { getDb } from "#app/utils/db.server.ts";
import { redirectWithFlash } from "#app/utils/http.server.ts";
import { getTranslator } from "#app/utils/locale.server.ts";
import { pageTitle } from "#app/utils/meta.ts";
import { clientIp } from "#app/utils/request.server.ts";
import { retryAfterHeaders } from "#app/utils/sign-in.server.ts";

/**
 * The second step of a sign-in (issue 20): the password was right, the
 * account has a second factor, and only the pending sign-in's cookie
 * (app/second-factor/pending.server.ts) says who is at it. An authenticator
 * code or a recovery code ends it in a session; without a pending sign-in
 * this page is the sign-in page's.
 */

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "secondFactor.code.title");

export const headers: HeadersFunction = retryAfterHeaders;

async function expired() {
  return redirectWithFlash("/login", { kind: "info", key: "secondFactor.code.expired" }, [await clearPendingCookie()]);
}

export async function loader({ request }: LoaderFunctionArgs) {
  const pending = await readPending(request);
  if (!pending) throw await expired();
  if (pending.purpose !== "verify") throw redirect(STEP_PATHS[pending.purpose]);
  // Which factors the account has: an authenticator (codes, recovery codes), passkeys, or both.
  return { totp: await hasSecondFactor(getDb(), pending.user_id), passkeys: (await countPasskeys(getDb(), pending.user_id)) > 0 };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await request.formData();
  const intent = form.get("intent");
  if (intent === "cancel") return redirect("/login", { headers: { "Set-Cookie": await clearPendingCookie() } });
  const pending = await readPending(request);
  if (!pending) return expired();
  if (pending.purpose !== "verify") return redirect(STEP_PATHS[pending.purpose]);
  const kind = intent === "recovery" ? "recovery" : "totp";
  const formName = kind;
  const raw = form.get("code");
  const code = typeof raw === "string" ? raw.trim().slice(0, 64) : "";
  if (kind === "totp" && !/^\d{6}$/.test(code.replace(/\s/g, ""))) {
    return data<FieldRefusal>({ form: formName, error: "secondFactor.code.format" }, { status: 400 });
  }
  if (kind === "recovery" && code === "") return data<FieldRefusal>({ form: formName, error: "v.required" }, { status: 400 });
  const user = await findById(getDb(), pending.user_id);
  if (!user) return expired();
  const ip = clientIp(context);
  const attempt = await attemptCode({ user, code, kind, ip, request, purpose: "sign_in" });
  if (!attempt.ok && attempt.reason === "throttled") {
    const { t } = await getTranslator(request);
    return data<FieldRefusal>(
      { form: "all", error: t("login.throttled", { minutes: attempt.minutes }) },
      { status: 429, headers: { "Retry-After": String(attempt.retryAfterSeconds) } },
    );
  }
  if (!attempt.ok) {
    return data<FieldRefusal>({ form: formName, error: kind === "totp" ? "secondFactor.code.wrong" : "secondFactor.code.recoveryWrong" }, { status: 400 });
  }
  // Single use: of two requests with right codes (or a code and a passkey), one signs in.
  const signedIn = await passPendingSignIn({ request, user, ip, now: Date.now(), deviceId: attempt.deviceId, pendingId: pending.id });
  if (!signedIn.ok) return expired();
  const { cookies } = signedIn;
  const to = pending.redirect_to;
  if (attempt.kind === "recovery") return redirectWithFlash(to, { kind: "info", key: "secondFactor.code.recoveryUsed", params: { count: attempt.recoveryLeft } }, cookies);
  if (signedIn.deletionCancelled) return redirectWithFlash(to, { kind: "info", key: "deletion.cancelledFlash" }, cookies);
  const headers = new Headers();
  for (const cookie of cookies) headers.append("Set-Cookie", cookie);
  return redirect(to, { headers });
}

export default function SecondFactorCode() {
  const t = useT();
  const factors = useLoaderData<typeof loader>();
  const refusal = useActionData<typeof action>();
  const navigation = useNavigation();
  const busy = navigation.state === "submitting";
  const general = errorFor(refusal, "all");
  const recoveryError = errorFor(refusal, "recovery");
  const passkey = factors.passkeys ? (
    <PasskeyButton
      action="/login/passkey"
      ceremony="authenticate"
      fields={{ step: "code" }}
      verifyIntent="verify"
      label={t("passkey.code.use")}
      primary={!factors.totp}
      intro={factors.totp ? t("passkey.code.intro") : undefined}
    />
  ) : null;
  const cancel = (
    <Form method="post" className="center">
      <input type="hidden" name="intent" value="cancel" />
      <button type="submit" className="btn btn-ghost btn-small">
        {t("secondFactor.code.cancel")}
      </button>
    </Form>
  );
  // Passkeys and no authenticator (the network requires a factor of them): the passkey is the step.
  if (!factors.totp) {
    return (
      <AuthCard title={t("secondFactor.code.title")} intro={<p>{t("passkey.code.only")}</p>}>
        {passkey}
        <noscript>
          <p className="notice notice-warning">{t("passkey.code.noScript")}</p>
        </noscript>
        {cancel}
      </AuthCard>
    );
  }
  return (
    <AuthCard title={t("secondFactor.code.title")} intro={<p>{t("secondFactor.code.intro")}</p>}>
      <FormErrors errors={general ? [general] : undefined} />
      <Form method="post" className="stack">
        <input type="hidden" name="intent" value="totp" />
        <CodeField id="code" name="code" label={t("secondFactor.code.label")} error={errorFor(refusal, "totp")} kind="totp" autoFocus />
        <button type="submit" className="btn btn-primary btn-block" disabled={busy}>
          {t("secondFactor.code.submit")}
        </button>
      </Form>
      <details className="recovery-details" open={recoveryError !== null}>
        <summary>{t("secondFactor.code.recoveryToggle")}</summary>
        <Form method="post" className="stack">
          <input type="hidden" name="intent" value="recovery" />
          <CodeField
            id="recovery-code"
            name="code"
            label={t("secondFactor.code.recoveryLabel")}
            hint={t("secondFactor.code.recoveryHint")}
            error={recoveryError}
            kind="recovery"
          />
          <button type="submit" className="btn btn-block" disabled={busy}>
            {t("secondFactor.code.recoverySubmit")}
          </button>
        </Form>
        <p className="muted small">{t("secondFactor.code.lost")}</p>
      </details>
      {passkey ? <div className="passkey-alternative">{passkey}</div> : null}
      {cancel}
    </AuthCard>
  );
}
