import { parseWithZod } from "@conform-to/zod/v4";
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
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
import { settingsUrl } from "#app/urls.ts";

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
            lastResult={lastResult}
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

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
