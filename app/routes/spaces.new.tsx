import { parseWithZod } from "@conform-to/zod/v4";
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData } from "@remix-run/react";
import { slugTaken } from "#db/queries/spaces.ts";
import { transact } from "#db/transact.ts";
import { SpaceForm } from "#app/components/space-form.tsx";
import { useT } from "#app/i18n/react.tsx";
import { createSpace } from "#app/members/commands.server.ts";
import { authorize } from "#app/policies/authorize.ts";
import { canCreateSpace } from "#app/policies/network.ts";
import { acting } from "#app/utils/acting.server.ts";
import { requireSignedIn } from "#app/utils/auth.server.ts";
import { getDb } from "#app/utils/db.server.ts";
import { forbidden, redirectWithFlash } from "#app/utils/http.server.ts";
import { pageTitle } from "#app/utils/meta.ts";
import { spaceSchema } from "#app/utils/space-form.ts";
import { inviteUrl } from "#app/urls.ts";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "spaceForm.newTitle");

export async function loader({ request }: LoaderFunctionArgs) {
  const { actor } = await requireSignedIn(request);
  authorize(canCreateSpace(actor));
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const signedIn = await requireSignedIn(request);
  authorize(canCreateSpace(signedIn.actor));
  const db = getDb();
  const submission = await parseWithZod(await request.formData(), {
    schema: spaceSchema.superRefine(async (v, issues) => {
      if (await slugTaken(db, v.slug)) issues.addIssue({ code: "custom", path: ["slug"], message: "v.slugTaken" });
    }),
    async: true,
  });
  if (submission.status !== "success") return data(submission.reply(), { status: 400 });
  const result = await transact(db, (trx) => createSpace(trx, acting(signedIn, context), submission.value));
  if (!result.ok) {
    if (result.error === "forbidden") forbidden();
    // Taken meanwhile: said beside the field, as above.
    return data(submission.reply({ fieldErrors: { slug: ["v.slugTaken"] } }), { status: 400 });
  }
  const { space } = result;
  return redirectWithFlash(inviteUrl(space.slug), { key: "spaceForm.created", params: { name: space.name } });
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
