import { parseWithZod } from "@conform-to/zod/v4";
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { recordActivity } from "#db/queries/activity.ts";
import { audit } from "#db/queries/audit.ts";
import { setArchived, slugTaken, updateSpace } from "#db/queries/spaces.ts";
import { SpaceForm } from "#app/components/space-form.tsx";
import { ConfirmDialog } from "#app/components/ui/confirm-dialog.tsx";
import { GeneralErrorBoundary } from "#app/components/error-boundary.tsx";
import { useT } from "#app/i18n/react.tsx";
import { authorize } from "#app/policies/authorize.ts";
import { canArchiveSpace, canConfigureSpace } from "#app/policies/space.ts";
import { getDb } from "#app/utils/db.server.ts";
import { redirectWithFlash } from "#app/utils/http.server.ts";
import { pageTitle } from "#app/utils/meta.ts";
import { clientIp } from "#app/utils/request.server.ts";
import { spaceSchema, toSpaceInput } from "#app/utils/space-form.ts";
import { loadSpace } from "#app/utils/space.server.ts";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "spaceForm.settingsTitle");

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { space, membership, actor } = await loadSpace(request, params.space);
  const can = { configure: canConfigureSpace(actor, membership, space), archive: canArchiveSpace(actor) };
  authorize(can.configure || can.archive);
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
  const { space, membership, actor, user } = await loadSpace(request, params.space);
  const formData = await request.formData();
  const intent = formData.get("intent");
  const db = getDb();
  const ip = clientIp(context);
  const now = Date.now();

  if (intent === "archive" || intent === "unarchive") {
    authorize(canArchiveSpace(actor));
    const archive = intent === "archive";
    await db.transaction().execute(async (trx) => {
      await setArchived(trx, space.id, archive ? now : null);
      await audit(trx, { event: archive ? "space_archived" : "space_unarchived", actorId: user.id, spaceId: space.id, ip, now });
    });
    return redirectWithFlash(`/spaces/${space.slug}/settings`, { key: archive ? "spaceForm.archived" : "spaceForm.unarchived" });
  }

  authorize(canConfigureSpace(actor, membership, space));
  const submission = await parseWithZod(formData, {
    schema: spaceSchema.superRefine(async (v, ctx) => {
      if (await slugTaken(db, v.slug, space.id)) ctx.addIssue({ code: "custom", path: ["slug"], message: "v.slugTaken" });
    }),
    async: true,
  });
  if (submission.status !== "success") return data(submission.reply(), { status: 400 });
  const input = toSpaceInput({ ...submission.value, quotaGb: actor.isNetworkAdmin ? submission.value.quotaGb : undefined });
  await db.transaction().execute(async (trx) => {
    await updateSpace(trx, space.id, input);
    await recordActivity(trx, { spaceId: space.id, actorId: user.id, verb: "space_updated", now });
    await audit(trx, { event: "space_updated", actorId: user.id, spaceId: space.id, ip, data: { slug: input.slug, visibility: input.visibility, joinPolicy: input.joinPolicy }, now });
  });
  return redirectWithFlash(`/spaces/${input.slug}/settings`, { key: "spaceForm.saved" });
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
            quota={can.archive ? "edit" : "show"}
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
