import { getFormProps } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { findPasswordReset } from "#db/queries/password-resets.ts";
import { findById } from "#db/queries/users.ts";
import { transact } from "#db/transact.ts";
import { resetPassword } from "#app/accounts/commands.server.ts";
import { AuthCard } from "#app/components/auth-card.tsx";
import { TextField } from "#app/components/ui/field.tsx";
import { useZodForm } from "#app/components/ui/use-zod-form.ts";
import { useT } from "#app/i18n/react.tsx";
import { secondFactorStepOf } from "#app/second-factor/load.server.ts";
import { beginSecondFactor, STEP_PATHS } from "#app/second-factor/pending.server.ts";
import { startSession } from "#app/utils/auth.server.ts";
import { getDb } from "#app/utils/db.server.ts";
import { redirectWithFlash } from "#app/utils/http.server.ts";
import { pageTitle } from "#app/utils/meta.ts";
import { hashPassword } from "#app/utils/password.server.ts";
import { acting } from "#app/utils/acting.server.ts";
import { withNewPassword } from "#app/utils/validation.ts";

const schema = withNewPassword({});

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "reset.title");

export async function loader({ params }: LoaderFunctionArgs) {
  const lookup = await findPasswordReset(getDb(), params.token ?? "", Date.now());
  return { state: lookup.state };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const submission = parseWithZod(await request.formData(), { schema });
  if (submission.status !== "success") {
    return data(submission.reply({ hideFields: ["password", "confirm"] }), { status: 400 });
  }
  const db = getDb();
  const lookup = await findPasswordReset(db, params.token ?? "", Date.now());
  if (lookup.state !== "valid") return data(submission.reply({ formErrors: [lookup.state] }), { status: 410 });
  const passwordHash = await hashPassword(submission.value.password);
  const ctx = acting({}, context);
  const result = await transact(db, (trx) => resetPassword(trx, ctx, { resetId: lookup.id, userId: lookup.userId, passwordHash }));
  if (!result.ok) return data(submission.reply({ formErrors: [result.error] }), { status: 410 });
  // A reset link proves the mailbox, not the second factor: that is still asked (or set up, if required) before a session.
  const user = await findById(db, lookup.userId);
  const step = user ? await secondFactorStepOf(db, user) : null;
  if (user && step) {
    const pending = await beginSecondFactor({ user, step, redirectTo: "/" });
    return redirectWithFlash(STEP_PATHS[step], { key: "reset.done" }, [pending]);
  }
  // The owner is in, whatever the sign-in throttle says, and this browser becomes their known device.
  const cookies = await startSession(request, lookup.userId, ctx.ip);
  return redirectWithFlash("/", { key: "reset.done" }, cookies);
}

const FAILURE_KEYS = {
  expired: "reset.expired",
  used: "reset.used",
  superseded: "reset.superseded",
  unknown: "reset.unknown",
} as const;

export default function ResetPassword() {
  const t = useT();
  const { state } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const navigation = useNavigation();
  const [form, fields] = useZodForm(schema, { lastResult });
  const failure = state !== "valid" ? state : (form.errors?.[0] as Exclude<typeof state, "valid"> | undefined);
  if (failure) {
    return (
      <AuthCard title={t("reset.title")}>
        <p className="notice notice-error" role="alert">
          {t(FAILURE_KEYS[failure] ?? "reset.unknown")}
        </p>
        <p>
          <Link to="/forgot-password" className="btn btn-primary">
            {t("reset.again")}
          </Link>
        </p>
      </AuthCard>
    );
  }
  return (
    <AuthCard title={t("reset.title")} intro={<p>{t("reset.intro")}</p>}>
      <Form method="post" {...getFormProps(form)} className="stack">
        <TextField
          meta={fields.password}
          label={t("reset.password")}
          hint={t("setup.passwordHint")}
          type="password"
          autoComplete="new-password"
          autoFocus
        />
        <TextField meta={fields.confirm} label={t("reset.confirm")} type="password" autoComplete="new-password" />
        <button type="submit" className="btn btn-primary btn-block" disabled={navigation.state === "submitting"}>
          {t("reset.submit")}
        </button>
      </Form>
    </AuthCard>
  );
}
