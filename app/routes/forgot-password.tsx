import { getFormProps } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { data, type ActionFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { transact } from "#db/transact.ts";
import { requestPasswordReset } from "#app/accounts/commands.server.ts";
import { resetCandidate } from "#app/accounts/load.server.ts";
import { AuthCard } from "#app/components/auth-card.tsx";
import { TextField } from "#app/components/ui/field.tsx";
import { isLocale } from "#app/i18n/index.ts";
import { useZodForm } from "#app/components/ui/use-zod-form.ts";
import { useT } from "#app/i18n/react.tsx";
import { send } from "#app/mail/outbox.server.ts";
import { acting, letterhead } from "#app/utils/acting.server.ts";
import { getDb } from "#app/utils/db.server.ts";
import { getLocale } from "#app/utils/locale.server.ts";
import { pageTitle } from "#app/utils/meta.ts";
import { emailField } from "#app/utils/validation.ts";

const schema = z.object({ email: emailField });

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "forgot.title");

export async function action({ request, context }: ActionFunctionArgs) {
  const submission = parseWithZod(await request.formData(), { schema });
  if (submission.status !== "success") return data({ result: submission.reply(), sent: false }, { status: 400 });
  const db = getDb();
  const ctx = acting({}, context);
  // Past the hourly limit nothing is sent, and the answer stays the same.
  const user = await resetCandidate(db, submission.value.email, ctx.now);
  if (user) {
    const fallbackLocale = isLocale(user.locale) ? user.locale : await getLocale(request);
    const withLetterhead = { ...ctx, letterhead: await letterhead() };
    const result = await transact(db, (trx) => requestPasswordReset(trx, withLetterhead, { user, fallbackLocale }));
    // Sent in the background: the answer takes the same time whether or not the address exists.
    send(result.mailIds);
  }
  return { result: submission.reply({ resetForm: true }), sent: true };
}

export default function ForgotPassword() {
  const t = useT();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const [form, fields] = useZodForm(schema, { lastResult: actionData?.result });
  return (
    <AuthCard title={t("forgot.title")} intro={<p>{t("forgot.intro")}</p>}>
      {actionData?.sent ? (
        <p className="notice notice-success" role="status">
          {t("forgot.sent")}
        </p>
      ) : null}
      <Form method="post" {...getFormProps(form)} className="stack">
        <TextField meta={fields.email} label={t("login.email")} type="email" autoComplete="email" autoFocus />
        <button type="submit" className="btn btn-primary btn-block" disabled={navigation.state === "submitting"}>
          {t("forgot.submit")}
        </button>
        <p className="center">
          <Link to="/login">{t("login.title")}</Link>
        </p>
      </Form>
    </AuthCard>
  );
}
