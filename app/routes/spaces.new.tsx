import { parseWithZod } from "@conform-to/zod/v4";
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData } from "@remix-run/react";
import { recordActivity } from "#db/queries/activity.ts";
import { audit } from "#db/queries/audit.ts";
import { addMember } from "#db/queries/members.ts";
import { createSpace, slugTaken } from "#db/queries/spaces.ts";
import { SpaceForm } from "#app/components/space-form.tsx";
import { useT } from "#app/i18n/react.tsx";
import { authorize } from "#app/policies/authorize.ts";
import { canCreateSpace } from "#app/policies/network.ts";
import { requireSignedIn } from "#app/utils/auth.server.ts";
import { getDb } from "#app/utils/db.server.ts";
import { redirectWithFlash } from "#app/utils/http.server.ts";
import { pageTitle } from "#app/utils/meta.ts";
import { clientIp } from "#app/utils/request.server.ts";
import { spaceSchema, toSpaceInput } from "#app/utils/space-form.ts";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "spaceForm.newTitle");

export async function loader({ request }: LoaderFunctionArgs) {
  const { actor } = await requireSignedIn(request);
  authorize(canCreateSpace(actor));
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { actor, user } = await requireSignedIn(request);
  authorize(canCreateSpace(actor));
  const db = getDb();
  const submission = await parseWithZod(await request.formData(), {
    schema: spaceSchema.superRefine(async (v, ctx) => {
      if (await slugTaken(db, v.slug)) ctx.addIssue({ code: "custom", path: ["slug"], message: "v.slugTaken" });
    }),
    async: true,
  });
  if (submission.status !== "success") return data(submission.reply(), { status: 400 });
  const now = Date.now();
  const space = await db.transaction().execute(async (trx) => {
    const created = await createSpace(trx, { ...toSpaceInput(submission.value), createdBy: user.id, now });
    // The creator runs the space until they hand it over: a space never lacks an admin.
    await addMember(trx, { spaceId: created.id, userId: user.id, role: "admin", sponsorId: null, now });
    await recordActivity(trx, { spaceId: created.id, actorId: user.id, verb: "space_created", now });
    await audit(trx, { event: "space_created", actorId: user.id, spaceId: created.id, ip: clientIp(context), now });
    return created;
  });
  return redirectWithFlash(`/spaces/${space.slug}/invite`, { key: "spaceForm.created", params: { name: space.name } });
}

export default function NewSpace() {
  const t = useT();
  const lastResult = useActionData<typeof action>();
  return (
    <>
      <div className="page-head">
        <h1>{t("spaceForm.newTitle")}</h1>
      </div>
      <div className="card form-card">
        <SpaceForm
          lastResult={lastResult}
          defaultValue={{ kind: "trade_club", visibility: "listed", joinPolicy: "coopt_approval", quotaGb: "10" }}
          submitLabel={t("spaceForm.create")}
          quota="edit"
        />
      </div>
    </>
  );
}
