import { getFormProps } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { transact } from "#db/transact.ts";
import { changePassword } from "#app/accounts/commands.server.ts";
import { TextField } from "#app/components/ui/field.tsx";
import { useZodForm } from "#app/components/ui/use-zod-form.ts";
import { useT } from "#app/i18n/react.tsx";
import { acting } from "#app/utils/acting.server.ts";
import { requireSignedIn } from "#app/utils/auth.server.ts";
import { getDb } from "#app/utils/db.server.ts";
import { readDeviceToken } from "#app/utils/device.server.ts";
import { redirectWithFlash } from "#app/utils/http.server.ts";
import { getTranslator } from "#app/utils/locale.server.ts";
import { pageTitle } from "#app/utils/meta.ts";
import { hashPassword } from "#app/utils/password.server.ts";
import { clientIp } from "#app/utils/request.server.ts";
import { checkPassword } from "#app/utils/sign-in.server.ts";
import { withNewPassword } from "#app/utils/validation.ts";

const schema = withNewPassword({ current: z.string({ error: "v.required" }).min(1, { error: "v.required" }).max(256) });

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "password.title");

export async function loader({ request }: LoaderFunctionArgs) {
  await requireSignedIn(request);
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const signedIn = await requireSignedIn(request);
  const { user, session } = signedIn;
  const ip = clientIp(context);
  const { t } = await getTranslator(request);
  let throttled = false;
  const submission = await parseWithZod(await request.formData(), {
    schema: schema.superRefine(async (v, ctx) => {
      // Guessing the current password from a stolen session meets the sign-in throttle.
      const check = await checkPassword({ email: user.email, password: v.current, ip, request }, { reauthentication: true });
      if (check.ok) return;
      throttled = check.reason === "throttled";
      const message = check.reason === "throttled" ? t("login.throttled", { minutes: check.minutes }) : "v.currentPassword";
      ctx.addIssue({ code: "custom", path: ["current"], message });
    }),
    async: true,
  });
  if (submission.status !== "success") {
    return data(submission.reply({ hideFields: ["current", "password", "confirm"] }), { status: throttled ? 429 : 400 });
  }
  const passwordHash = await hashPassword(submission.value.password);
  const deviceToken = await readDeviceToken(request);
  const ctx = acting(signedIn, context);
  await transact(getDb(), (trx) => changePassword(trx, ctx, { passwordHash, keep: { sessionId: session.id, deviceToken } }));
  return redirectWithFlash("/settings/password", { key: "password.changed" });
}

export default function Password() {
  const t = useT();
  const lastResult = useActionData<typeof action>();
  const navigation = useNavigation();
  const [form, fields] = useZodForm(schema, { lastResult });
  return (
    <section className="card form-card" aria-labelledby="password-title">
      <h2 id="password-title">{t("password.title")}</h2>
      <p className="muted">{t("password.intro")}</p>
      <Form method="post" {...getFormProps(form)} className="stack">
        <input type="text" name="username" autoComplete="username" hidden readOnly />
        <TextField meta={fields.current} label={t("password.current")} type="password" autoComplete="current-password" />
        <TextField meta={fields.password} label={t("password.new")} hint={t("setup.passwordHint")} type="password" autoComplete="new-password" />
        <TextField meta={fields.confirm} label={t("password.confirm")} type="password" autoComplete="new-password" />
        <div className="form-actions">
          <button type="submit" className="btn btn-primary" disabled={navigation.state === "submitting"}>
            {t("password.submit")}
          </button>
        </div>
      </Form>
    </section>
  );
}
