import { getFormProps } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { LOCALES } from "#db/schema.ts";
import { transact } from "#db/transact.ts";
import { setUpNetwork } from "#app/accounts/commands.server.ts";
import { setupTokenIsValid } from "#app/accounts/load.server.ts";
import { AuthCard, FormErrors } from "#app/components/auth-card.tsx";
import { SelectField, TextField } from "#app/components/ui/field.tsx";
import { useZodForm } from "#app/components/ui/use-zod-form.ts";
import { useT } from "#app/i18n/react.tsx";
import { startSession } from "#app/utils/auth.server.ts";
import { getDb } from "#app/utils/db.server.ts";
import { notFound, redirectWithFlash } from "#app/utils/http.server.ts";
import { pageTitle } from "#app/utils/meta.ts";
import { hashPassword } from "#app/utils/password.server.ts";
import { acting } from "#app/utils/acting.server.ts";
import { emailField, nameField, withNewPassword } from "#app/utils/validation.ts";

const schema = withNewPassword({
  token: z.string(),
  networkName: nameField,
  defaultLocale: z.enum(LOCALES).default("fr"),
  displayName: nameField,
  email: emailField,
});

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "setup.title");

export async function loader({ request }: LoaderFunctionArgs) {
  const token = new URL(request.url).searchParams.get("token");
  return { token: (await setupTokenIsValid(getDb(), token)) ? token : null };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const submission = parseWithZod(await request.formData(), { schema });
  if (submission.status !== "success") {
    return data(submission.reply({ hideFields: ["password", "confirm"] }), { status: 400 });
  }
  const v = submission.value;
  const db = getDb();
  if (!(await setupTokenIsValid(db, v.token))) notFound();
  const passwordHash = await hashPassword(v.password);
  const ctx = acting({}, context);
  const result = await transact(db, (trx) =>
    setUpNetwork(trx, ctx, { networkName: v.networkName, defaultLocale: v.defaultLocale, displayName: v.displayName, email: v.email, passwordHash }),
  );
  // Two tabs submitting at once make one network: the second finds it made.
  if (!result.ok) throw new Response("Conflict", { status: 409 });
  const cookies = await startSession(request, result.user.id, ctx.ip);
  return redirectWithFlash("/spaces", { key: "setup.done", params: { name: result.user.display_name } }, cookies);
}

export default function Setup() {
  const t = useT();
  const { token } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const navigation = useNavigation();
  const [form, fields] = useZodForm(schema, { lastResult, defaultValue: { defaultLocale: "fr" } });
  if (!token) {
    return (
      <AuthCard title={t("setup.title")}>
        <p className="notice notice-error" role="alert">
          {t("setup.invalidLink")}
        </p>
      </AuthCard>
    );
  }
  return (
    <AuthCard title={t("setup.title")} intro={<p>{t("setup.intro")}</p>}>
      <Form method="post" {...getFormProps(form)} className="stack">
        <FormErrors errors={form.errors} id={form.errorId} />
        <input type="hidden" name="token" value={token} />
        <TextField meta={fields.networkName} label={t("setup.networkName")} hint={t("setup.networkNameHint")} autoFocus />
        <SelectField
          meta={fields.defaultLocale}
          label={t("setup.defaultLocale")}
          options={[
            { value: "fr", label: t("locale.fr") },
            { value: "en", label: t("locale.en") },
          ]}
        />
        <TextField meta={fields.displayName} label={t("setup.displayName")} autoComplete="name" />
        <TextField meta={fields.email} label={t("setup.email")} type="email" autoComplete="email" />
        <TextField
          meta={fields.password}
          label={t("setup.password")}
          hint={t("setup.passwordHint")}
          type="password"
          autoComplete="new-password"
        />
        <TextField meta={fields.confirm} label={t("setup.confirm")} type="password" autoComplete="new-password" />
        <button type="submit" className="btn btn-primary btn-block" disabled={navigation.state === "submitting"}>
          {t("setup.submit")}
        </button>
      </Form>
    </AuthCard>
  );
}
