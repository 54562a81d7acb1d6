import { getFormProps } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { data, redirect, type ActionFunctionArgs, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { AuthCard, FormErrors } from "#app/components/auth-card.tsx";
import { TextField } from "#app/components/ui/field.tsx";
import { useZodForm } from "#app/components/ui/use-zod-form.ts";
import { useT } from "#app/i18n/react.tsx";
import { PasskeyButton, PasskeyDivider } from "#app/second-factor/passkey-views.tsx";
import { requireAnonymous, startSession } from "#app/utils/auth.server.ts";
import { beginSecondFactor, STEP_PATHS } from "#app/second-factor/pending.server.ts";
import { getEnv } from "#app/utils/env.server.ts";
import { redirectWithFlash } from "#app/utils/http.server.ts";
import { getTranslator } from "#app/utils/locale.server.ts";
import { clientIp, safeRedirect } from "#app/utils/request.server.ts";
import { checkPassword, retryAfterHeaders } from "#app/utils/sign-in.server.ts";
import { emailField } from "#app/utils/validation.ts";
import { pageTitle } from "#app/utils/meta.ts";

const schema = z.object({
  email: emailField,
  password: z.string({ error: "v.required" }).min(1, { error: "v.required" }).max(256),
  redirectTo: z.string().optional(),
});

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "login.title");

export const headers: HeadersFunction = retryAfterHeaders;

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAnonymous(request);
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const submission = parseWithZod(await request.formData(), { schema });
  if (submission.status !== "success") {
    return data(submission.reply({ hideFields: ["password"] }), { status: 400 });
  }
  const { email, password, redirectTo } = submission.value;
  const ip = clientIp(context);
  const { t } = await getTranslator(request);
  const check = await checkPassword({ email, password, ip, request });
  if (!check.ok && check.reason === "throttled") {
    return data(submission.reply({ formErrors: [t("login.throttled", { minutes: check.minutes })], hideFields: ["password"] }), {
      status: 429,
      headers: { "Retry-After": String(check.retryAfterSeconds) },
    });
  }
  if (!check.ok && check.reason === "deactivated") {
    return data(submission.reply({ formErrors: [t("login.deactivated")], hideFields: ["password"] }), { status: 403 });
  }
  if (!check.ok) {
    return data(submission.reply({ formErrors: [t("login.invalid")], hideFields: ["password"] }), { status: 400 });
  }
  const user = check.user;
  const to = safeRedirect(redirectTo, "/", getEnv().baseUrl.origin);
  // A second factor to give, or to set up as the network requires: no session yet (app/second-factor/pending.server.ts).
  if (check.secondFactor) {
    const pending = await beginSecondFactor({ user, step: check.secondFactor, redirectTo: to });
    return redirect(STEP_PATHS[check.secondFactor], { headers: { "Set-Cookie": pending } });
  }
  const cookies = await startSession(request, user.id, ip);
  // Back before the 14 days were over: the account's deletion is off, and the member is told on arrival.
  if (check.deletionCancelled) return redirectWithFlash(to, { kind: "info", key: "deletion.cancelledFlash" }, cookies);
  const headers = new Headers();
  for (const cookie of cookies) headers.append("Set-Cookie", cookie);
  return redirect(to, { headers });
}

export default function Login() {
  const t = useT();
  const lastResult = useActionData<typeof action>();
  const [params] = useSearchParams();
  const navigation = useNavigation();
  const [form, fields] = useZodForm(schema, { lastResult });
  return (
    <AuthCard title={t("login.title")} intro={<p>{t("login.intro")}</p>}>
      <Form method="post" {...getFormProps(form)} className="stack">
        <FormErrors errors={form.errors} id={form.errorId} />
        <input type="hidden" name="redirectTo" value={params.get("redirectTo") ?? ""} />
        <TextField meta={fields.email} label={t("login.email")} type="email" autoComplete="username" autoFocus />
        <TextField meta={fields.password} label={t("login.password")} type="password" autoComplete="current-password" />
        <button type="submit" className="btn btn-primary btn-block" disabled={navigation.state === "submitting"}>
          {t("login.submit")}
        </button>
        <p className="center">
          <Link to="/forgot-password">{t("login.forgot")}</Link>
        </p>
      </Form>
      {/* Passkeys (issue 20): shown once the script runs and the browser can; the form above works without. */}
      <PasskeyDivider />
      <PasskeyButton
        action="/login/passkey"
        ceremony="authenticate"
        fields={{ step: "sign-in", redirectTo: params.get("redirectTo") ?? "" }}
        verifyIntent="verify"
        label={t("passkey.signIn")}
      />
      <p className="muted small center">{t("login.noSignup")}</p>
    </AuthCard>
  );
}
