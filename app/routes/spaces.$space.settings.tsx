import { parseWithZod } from "@conform-to/zod/v4";
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { slugTaken } from "#db/queries/spaces.ts";
import { transact } from "#db/transact.ts";
import { SpaceForm } from "#app/components/space-form.tsx";
import { ConfirmDialog } from "#app/components/ui/confirm-dialog.tsx";
import { GeneralErrorBoundary } from "#app/components/error-boundary.tsx";
import { useT } from "#app/i18n/react.tsx";
import { setSpaceArchived, updateSpaceSettings } from "#app/members/commands.server.ts";
import { authorize } from "#app/policies/authorize.ts";
import { canOpenSpaceSettings, canSetSpaceQuota } from "#app/policies/space-settings.ts";
import { canArchiveSpace, canConfigureSpace } from "#app/policies/space.ts";
import { acting } from "#app/utils/acting.server.ts";
import { getDb } from "#app/utils/db.server.ts";
import { forbidden, redirectWithFlash } from "#app/utils/http.server.ts";
import { pageTitle } from "#app/utils/meta.ts";
import { spaceSchema } from "#app/utils/space-form.ts";
import { loadSpace } from "#app/utils/space.server.ts";
import { settingsUrl, sharesUrl } from "#app/urls.ts";
import { allowShareLinks } from "#app/sharing/commands.server.ts";
import type { MessageKey } from "#app/i18n/index.ts";
import { EARLY_CHOICES, LATE_CHOICES, parseChoice } from "#app/workshops/reminder-choices.ts";
import { chooseReminders } from "#app/workshops/reminders.server.ts";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "spaceForm.settingsTitle");

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { space, membership, actor } = await loadSpace(request, params.space);
  const can = { configure: canConfigureSpace(actor, membership, space), archive: canArchiveSpace(actor), setQuota: canSetSpaceQuota(actor) };
  authorize(canOpenSpaceSettings(actor, membership, space));
  return {
    space: {
      name: space.name,
      slug: space.slug,
      kind: space.kind,
      description: space.description,
      visibility: space.visibility,
      joinPolicy: space.join_policy,
      quotaGb: String(Math.round((space.storage_quota_bytes / 1024 ** 3) * 10) / 10),
      archived: space.archived_at !== null,
      reminders: { early: space.reminder_early_minutes, late: space.reminder_late_minutes },
      shareLinks: space.share_links === 1,
      secret: space.visibility === "secret",
    },
    can,
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const ctx = acting(await loadSpace(request, params.space), context);
  const { space, membership, actor } = ctx;
  const formData = await request.formData();
  const intent = formData.get("intent");
  const db = getDb();

  if (intent === "archive" || intent === "unarchive") {
    authorize(canArchiveSpace(actor));
    const archived = intent === "archive";
    const result = await transact(db, (trx) => setSpaceArchived(trx, ctx, { archived }));
    if (!result.ok) forbidden();
    return redirectWithFlash(settingsUrl(space.slug), { key: archived ? "spaceForm.archived" : "spaceForm.unarchived" });
  }

  authorize(canConfigureSpace(actor, membership, space));
  if (intent === "reminders") {
    const early = parseChoice(EARLY_CHOICES, formData.get("early"));
    const late = parseChoice(LATE_CHOICES, formData.get("late"));
    if (early === undefined || late === undefined) return data({ remindersError: "workshopReminders.invalid" as const }, { status: 400 });
    const result = await transact(db, (trx) => chooseReminders(trx, ctx, { early, late }));
    if (!result.ok) forbidden();
    return redirectWithFlash(settingsUrl(space.slug), { key: "workshopReminders.saved" });
  }
  if (intent === "share-links") {
    const allowed = formData.get("allowed") === "on";
    const result = await transact(db, (trx) => allowShareLinks(trx, ctx, { allowed }));
    if (!result.ok) forbidden();
    return redirectWithFlash(settingsUrl(space.slug), { key: allowed ? "share.allowedFlash" : "share.refusedFlash" });
  }
  const submission = await parseWithZod(formData, {
    schema: spaceSchema.superRefine(async (v, issues) => {
      if (await slugTaken(db, v.slug, space.id)) issues.addIssue({ code: "custom", path: ["slug"], message: "v.slugTaken" });
    }),
    async: true,
  });
  if (submission.status !== "success") return data(submission.reply(), { status: 400 });
  const result = await transact(db, (trx) => updateSpaceSettings(trx, ctx, submission.value));
  if (!result.ok) {
    if (result.error === "forbidden") forbidden();
    // Taken meanwhile (another admin's save): said beside the field, as above.
    return data(submission.reply({ fieldErrors: { slug: ["v.slugTaken"] } }), { status: 400 });
  }
  return redirectWithFlash(settingsUrl(result.slug), { key: "spaceForm.saved" });
}

export default function SpaceSettings() {
  const t = useT();
  const { space, can } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  return (
    <div className="stack">
      {can.configure ? (
        <section className="card form-card" aria-labelledby="settings-title">
          <h2 id="settings-title">{t("spaceForm.settingsTitle")}</h2>
          <SpaceForm
            lastResult={lastResult && !("remindersError" in lastResult) ? lastResult : undefined}
            defaultValue={{
              name: space.name,
              slug: space.slug,
              kind: space.kind,
              description: space.description,
              visibility: space.visibility,
              joinPolicy: space.joinPolicy,
              quotaGb: space.quotaGb,
            }}
            submitLabel={t("common.save")}
            intent="save"
            quota={can.setQuota ? "edit" : "show"}
          />
        </section>
      ) : null}
      {can.configure ? <RemindersSection current={space.reminders} error={lastResult && "remindersError" in lastResult ? lastResult.remindersError : undefined} /> : null}
      {can.configure ? <ShareLinksSection allowed={space.shareLinks} secret={space.secret} sharesHref={sharesUrl(space.slug)} /> : null}
      {can.archive ? (
        <section className="card form-card" aria-labelledby="archive-title">
          <h2 id="archive-title">{t("spaceForm.archiveTitle")}</h2>
          <p className="muted">{t("spaceForm.archiveHelp")}</p>
          {space.archived ? (
            <Form method="post">
              <input type="hidden" name="intent" value="unarchive" />
              <button type="submit" className="btn btn-primary">
                {t("spaceForm.unarchive")}
              </button>
            </Form>
          ) : (
            <ConfirmDialog
              trigger={<button className="btn btn-danger">{t("spaceForm.archive")}</button>}
              title={t("spaceForm.archiveTitle")}
              description={t("spaceForm.archiveConfirm", { name: space.name })}
              confirmLabel={t("spaceForm.archive")}
              fields={{ intent: "archive" }}
            />
          )}
        </section>
      ) : null}
    </div>
  );
}

const REMINDER_LABEL: Record<number, MessageKey> = {
  2880: "workshopReminders.m2880",
  1440: "workshopReminders.m1440",
  720: "workshopReminders.m720",
  180: "workshopReminders.m180",
  120: "workshopReminders.m120",
  60: "workshopReminders.m60",
  30: "workshopReminders.m30",
};

/** The two reminder leads, each a list with "none"; a tampered value is answered beside the fields. */
function RemindersSection({ current, error }: { current: { early: number | null; late: number | null }; error?: MessageKey }) {
  const t = useT();
  const select = (name: "early" | "late", choices: readonly (number | null)[], value: number | null) => (
    <div className={`field${error ? " field-invalid" : ""}`}>
      <label htmlFor={`reminder-${name}`}>{t(name === "early" ? "workshopReminders.early" : "workshopReminders.late")}</label>
      <select id={`reminder-${name}`} name={name} defaultValue={value === null ? "off" : String(value)} aria-describedby={error ? "reminders-error" : undefined}>
        {choices.map((c) => (
          <option key={String(c)} value={c === null ? "off" : String(c)}>
            {c === null ? t("workshopReminders.off") : t(REMINDER_LABEL[c])}
          </option>
        ))}
      </select>
    </div>
  );
  return (
    <section className="card form-card" aria-labelledby="reminders-title">
      <h2 id="reminders-title">{t("workshopReminders.title")}</h2>
      <p className="muted">{t("workshopReminders.help")}</p>
      <Form method="post" className="stack">
        <input type="hidden" name="intent" value="reminders" />
        {select("early", EARLY_CHOICES, current.early)}
        {select("late", LATE_CHOICES, current.late)}
        {error ? (
          <p className="field-error" id="reminders-error" role="alert">
            {t(error)}
          </p>
        ) : null}
        <div className="form-actions">
          <button type="submit" className="btn btn-primary">
            {t("workshopReminders.save")}
          </button>
        </div>
      </Form>
    </section>
  );
}

/** The admins' switch for links that show a file or a page outside the club; off by default, and said plainly for a secret club. */
function ShareLinksSection({ allowed, secret, sharesHref }: { allowed: boolean; secret: boolean; sharesHref: string }) {
  const t = useT();
  return (
    <section className="card form-card" aria-labelledby="share-settings-title">
      <h2 id="share-settings-title">{t("share.settingsTitle")}</h2>
      <p className="muted">{t("share.settingsHelp")}</p>
      {secret ? (
        <p className="notice notice-warning" role="note">
          {t("share.settingsSecret")}
        </p>
      ) : null}
      <Form method="post" className="stack">
        <input type="hidden" name="intent" value="share-links" />
        <label className="check">
          <input type="checkbox" name="allowed" defaultChecked={allowed} />
          <span>{t("share.settingsAllow")}</span>
        </label>
        <div className="form-actions">
          <button type="submit" className="btn btn-primary">
            {t("share.settingsSave")}
          </button>
          <Link to={sharesHref}>{t("share.settingsList")}</Link>
        </div>
      </Form>
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
