import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { data, redirect, type ActionFunctionArgs, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { audit } from "#db/queries/audit.ts";
import { clearFailures, recordAttempt, throttledUntil } from "#db/queries/sign-in-attempts.ts";
import { findByEmail } from "#db/queries/users.ts";
import { AuthCard, FormErrors } from "#app/components/auth-card.tsx";
import { TextField } from "#app/components/ui/field.tsx";
import { useT } from "#app/i18n/react.tsx";
import { requireAnonymous, startSession } from "#app/utils/auth.server.ts";
import { getDb } from "#app/utils/db.server.ts";
import { getTranslator } from "#app/utils/locale.server.ts";
import { verifyAgainstNothing, verifyPassword } from "#app/utils/password.server.ts";
import { clientIp, safeRedirect } from "#app/utils/request.server.ts";
import { emailField } from "#app/utils/validation.ts";
import { pageTitle } from "#app/utils/meta.ts";

const schema = z.object({
  email: emailField,
  password: z.string({ error: "v.required" }).min(1, { error: "v.required" }).max(256),
  redirectTo: z.string().optional(),
});

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "login.title");

// Remix keeps only Set-Cookie from an action's headers unless the route passes the others on.
export const headers: HeadersFunction = ({ actionHeaders }) => {
  const retryAfter = actionHeaders.get("Retry-After");
  const headers = new Headers();
  if (retryAfter) headers.set("Retry-After", retryAfter);
  return headers;
};

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
  const db = getDb();
  const ip = clientIp(context);
  const now = Date.now();
  const { t } = await getTranslator(request);

  const until = await throttledUntil(db, { email, ip, now });
  if (until !== null) {
    await audit(db, { event: "sign_in_throttled", actorId: null, ip, data: { email }, now });
    const minutes = Math.max(1, Math.ceil((until - now) / 60_000));
    return data(submission.reply({ formErrors: [t("login.throttled", { minutes })], hideFields: ["password"] }), {
      status: 429,
      headers: { "Retry-After": String(Math.ceil((until - now) / 1000)) },
    });
  }

  const user = await findByEmail(db, email);
  const ok = user ? await verifyPassword(user.password_hash, password) : await verifyAgainstNothing(password);
  if (!user || !ok) {
    await recordAttempt(db, { email, ip, succeeded: false, now });
    await audit(db, { event: "sign_in_failed", actorId: null, targetUserId: user?.id ?? null, ip, data: { email }, now });
    return data(submission.reply({ formErrors: [t("login.invalid")], hideFields: ["password"] }), { status: 400 });
  }

  await recordAttempt(db, { email, ip, succeeded: true, now });
  await clearFailures(db, email);
  await audit(db, { event: "sign_in", actorId: user.id, ip, now });
  const cookie = await startSession(request, user.id, ip);
  return redirect(safeRedirect(redirectTo), { headers: { "Set-Cookie": cookie } });
}

export default function Login() {
  const t = useT();
  const lastResult = useActionData<typeof action>();
  const [params] = useSearchParams();
  const navigation = useNavigation();
  const [form, fields] = useForm({
    lastResult,
    onValidate: ({ formData }) => parseWithZod(formData, { schema }),
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
  });
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
      <p className="muted small center">{t("login.noSignup")}</p>
    </AuthCard>
  );
}
