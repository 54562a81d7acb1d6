import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useLoaderData, useNavigation } from "@remix-run/react";
import { countAdminsWithoutSecondFactor, isSecondFactorRequired } from "#db/queries/second-factor.ts";
import { transact } from "#db/transact.ts";
import { GeneralErrorBoundary } from "#app/components/error-boundary.tsx";
import { useT } from "#app/i18n/react.tsx";
import { authorize } from "#app/policies/authorize.ts";
import { canRequireSecondFactor } from "#app/policies/second-factor.ts";
import { setSecondFactorRequirement } from "#app/second-factor/commands.server.ts";
import { acting } from "#app/utils/acting.server.ts";
import { requireSignedIn } from "#app/utils/auth.server.ts";
import { getDb } from "#app/utils/db.server.ts";
import { redirectWithFlash } from "#app/utils/http.server.ts";
import { pageTitle } from "#app/utils/meta.ts";
import { adminUrls } from "#app/urls.ts";

/**
 * The network's sign-in rule (issue 20): whether network admins and space
 * admins must have a second factor. Those without one set it up at their
 * next sign-in, before any session (app/routes/login_.setup.tsx). Rendered
 * inside the admin console's layout (admin.tsx).
 */

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "secondFactor.admin.title");

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { actor } = await requireSignedIn(request, context);
  authorize(canRequireSecondFactor(actor));
  const db = getDb();
  return { required: await isSecondFactorRequired(db), without: await countAdminsWithoutSecondFactor(db) };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const signedIn = await requireSignedIn(request, context);
  authorize(canRequireSecondFactor(signedIn.actor));
  const form = await request.formData();
  // A checkbox: present ("on") when ticked, absent otherwise; anything else is read as not ticked.
  const required = form.get("required") === "on";
  const ctx = acting(signedIn, context);
  const done = await transact(getDb(), (trx) => setSecondFactorRequirement(trx, ctx, { required }));
  authorize(done.ok);
  return redirectWithFlash(adminUrls.security, { key: "secondFactor.admin.saved" });
}

export default function AdminSecurity() {
  const t = useT();
  const { required, without } = useLoaderData<typeof loader>();
  const navigation = useNavigation();
  return (
    <section className="card form-card stack" aria-labelledby="admin-security-title">
      <h2 id="admin-security-title">{t("secondFactor.admin.title")}</h2>
      <p className="muted">{t("secondFactor.admin.intro")}</p>
      <Form method="post" className="stack">
        <div className="field">
          <label className="checkbox" htmlFor="required">
            <input type="checkbox" id="required" name="required" defaultChecked={required} aria-describedby="required-hint" />
            {t("secondFactor.admin.require")}
          </label>
          <p id="required-hint" className="field-hint">
            {t("secondFactor.admin.requireHint")}
          </p>
        </div>
        <p className="muted small">{t("secondFactor.admin.without", { count: without })}</p>
        <div className="form-actions">
          <button type="submit" className="btn btn-primary" disabled={navigation.state === "submitting"}>
            {t("secondFactor.admin.save")}
          </button>
        </div>
      </Form>
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
