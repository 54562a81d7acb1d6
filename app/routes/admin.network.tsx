import { getFormProps } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { getNetwork } from "#db/queries/network.ts";
import { transact } from "#db/transact.ts";
import { networkSettingsSchema } from "#app/admin/forms.ts";
import { backupState } from "#app/backup/state.server.ts";
import { logoAddress } from "#app/admin/logo.ts";
import { addressOf } from "#app/admin/mail-sender.ts";
import { saveNetworkSettings } from "#app/admin/network.server.ts";
import { FormErrors } from "#app/components/auth-card.tsx";
import { GeneralErrorBoundary } from "#app/components/error-boundary.tsx";
import { SelectField, TextField } from "#app/components/ui/field.tsx";
import { useZodForm } from "#app/components/ui/use-zod-form.ts";
import { formatSize } from "#app/i18n/index.ts";
import { useFormatDate, useLocale, useT } from "#app/i18n/react.tsx";
import { authorize } from "#app/policies/authorize.ts";
import { canManageAccounts } from "#app/policies/network.ts";
import { acting } from "#app/utils/acting.server.ts";
import { requireSignedIn } from "#app/utils/auth.server.ts";
import { getDb } from "#app/utils/db.server.ts";
import { getEnv } from "#app/utils/env.server.ts";
import { notFound, redirectWithFlash } from "#app/utils/http.server.ts";
import { pageTitle } from "#app/utils/meta.ts";
import { adminUrls } from "#app/urls.ts";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "admin.network.title");

/** The network's name, default language and mail sender; the sender's default is the deployment's MAIL_FROM, shown beside it. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const { actor } = await requireSignedIn(request, context);
  authorize(canManageAccounts(actor));
  const network = await getNetwork(getDb());
  if (!network) notFound();
  const fallback = addressOf(getEnv().mailFrom);
  // The backups' state (issue 20), as /healthz?details tells a monitor, with the error text it leaves out.
  const { schedule, lastSuccess, failedSince } = await backupState(getDb(), { now: Date.now(), schedule: getEnv().backup });
  return {
    backup: {
      intervalHours: schedule?.intervalHours ?? null,
      keep: schedule?.keep ?? null,
      last: lastSuccess ? { at: lastSuccess.finished_at, objects: lastSuccess.object_count, bytes: (lastSuccess.database_bytes ?? 0) + (lastSuccess.object_bytes ?? 0) } : null,
      failed: failedSince ? { at: failedSince.finished_at, error: failedSince.error ?? "" } : null,
    },
    values: {
      name: network.name,
      defaultLocale: network.default_locale,
      mailFromName: network.mail_from_name ?? "",
      mailFromAddress: network.mail_from_address ?? "",
    },
    fallback,
    logo: logoAddress(network.logo_key),
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const ctx = acting(await requireSignedIn(request, context), context);
  authorize(canManageAccounts(ctx.actor));
  const submission = parseWithZod(await request.formData(), { schema: networkSettingsSchema });
  if (submission.status !== "success") return data(submission.reply(), { status: 400 });
  const result = await transact(getDb(), (trx) => saveNetworkSettings(trx, ctx, submission.value));
  if (!result.ok) {
    if (result.error === "not-set-up") notFound();
    throw new Response("Forbidden", { status: 403 });
  }
  return redirectWithFlash(adminUrls.network, { key: result.changed.length ? "admin.network.saved" : "admin.network.unchanged" });
}

export default function AdminNetwork() {
  const t = useT();
  const { values, fallback, logo, backup } = useLoaderData<typeof loader>();
  const formatDate = useFormatDate();
  const locale = useLocale();
  const lastResult = useActionData<typeof action>();
  const navigation = useNavigation();
  const [form, fields] = useZodForm(networkSettingsSchema, { lastResult, defaultValue: values });
  return (
    <div className="stack">
      <div className="page-head">
        <div>
          <h2>{t("admin.network.title")}</h2>
          <p>{t("admin.network.intro")}</p>
        </div>
      </div>
      <Form method="post" {...getFormProps(form)} className="card stack admin-form">
        <FormErrors errors={form.errors} id={form.errorId} />
        <TextField meta={fields.name} label={t("admin.network.name")} hint={t("admin.network.nameHint")} />
        <SelectField
          meta={fields.defaultLocale}
          label={t("admin.network.locale")}
          hint={t("admin.network.localeHint")}
          options={[
            { value: "fr", label: "Français" },
            { value: "en", label: "English" },
          ]}
        />
        <fieldset className="admin-fieldset">
          <legend>{t("admin.network.sender")}</legend>
          <p className="field-hint">{t("admin.network.senderHint", { name: fallback.name || "—", address: fallback.address })}</p>
          <TextField meta={fields.mailFromName} label={t("admin.network.senderName")} optional placeholder={fallback.name} />
          <TextField meta={fields.mailFromAddress} type="email" label={t("admin.network.senderAddress")} optional placeholder={fallback.address} hint={t("admin.network.senderAddressHint")} />
        </fieldset>
        <div>
          <button type="submit" className="btn btn-primary" disabled={navigation.state === "submitting"}>
            {t("admin.network.save")}
          </button>
        </div>
      </Form>
      <section className="card stack admin-form" aria-labelledby="logo-title">
        <h3 id="logo-title">{t("admin.network.logo")}</h3>
        <div className="admin-logo-preview">{logo ? <img src={logo} alt={t("admin.network.logoCurrent")} /> : <span className="muted small">{t("admin.network.logoNone")}</span>}</div>
        {/* A plain multipart post: the image goes to its own route, as a profile photo does. */}
        <Form method="post" action={`${adminUrls.network}/logo`} encType="multipart/form-data" reloadDocument className="stack">
          <div className="field">
            <label htmlFor="network-logo">{t("admin.network.logo")}</label>
            <input id="network-logo" name="logo" type="file" accept="image/jpeg,image/png,image/webp" aria-describedby="network-logo-hint" />
            <p id="network-logo-hint" className="field-hint">
              {t("admin.network.logoHint")}
            </p>
          </div>
          <div className="admin-row-actions">
            <button type="submit" className="btn">
              {t("admin.network.logoUpload")}
            </button>
          </div>
        </Form>
        {logo ? (
          <Form method="post" action={`${adminUrls.network}/logo`} reloadDocument>
            <input type="hidden" name="intent" value="remove" />
            <button type="submit" className="btn btn-danger">
              {t("admin.network.logoRemove")}
            </button>
          </Form>
        ) : null}
      </section>
      <section className="card stack" aria-labelledby="backup-title">
        <h3 id="backup-title">{t("admin.backup.title")}</h3>
        <p>{backup.intervalHours !== null ? t("admin.backup.scheduled", { hours: backup.intervalHours, keep: backup.keep ?? 0 }) : t("admin.backup.notScheduled")}</p>
        <p>
          {backup.last
            ? t("admin.backup.last", { date: formatDate(backup.last.at), objects: backup.last.objects ?? 0, size: formatSize(locale, backup.last.bytes) })
            : t("admin.backup.never")}
        </p>
        {backup.failed ? (
          <p className="form-errors" role="status">
            {t("admin.backup.failed", { date: formatDate(backup.failed.at), error: backup.failed.error })}
          </p>
        ) : null}
        <p className="muted small">{t("admin.backup.hint")}</p>
      </section>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
