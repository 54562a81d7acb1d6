import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { transact } from "#db/transact.ts";
import { postAsk } from "#app/asks/commands.server.ts";
import { AskForm } from "#app/asks/AskForm.tsx";
import { readAskForm } from "#app/asks/form.server.ts";
import { Breadcrumb } from "#app/components/breadcrumb.tsx";
import { GeneralErrorBoundary } from "#app/components/error-boundary.tsx";
import { useT } from "#app/i18n/react.tsx";
import { canAskNetwork, canPostAsk } from "#app/policies/ask.ts";
import { acting } from "#app/utils/acting.server.ts";
import { getDb } from "#app/utils/db.server.ts";
import { forbidden, redirectWithFlash } from "#app/utils/http.server.ts";
import { pageTitle } from "#app/utils/meta.ts";
import { requireSpace } from "#app/utils/space.server.ts";
import { askUrl, asksUrl } from "#app/urls.ts";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "asks.newTitle");

/** A new ask, by a member (or above) of the space; to the whole network where the space may. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { space } = await requireSpace(request, params.space, canPostAsk, context);
  return { spaceSlug: space.slug, spaceName: space.name, canAskNetwork: canAskNetwork(space) };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const signedIn = await requireSpace(request, params.space, canPostAsk, context);
  const ctx = acting(signedIn, context);
  const read = await readAskForm(await request.formData(), { timeZone: ctx.user.time_zone, now: ctx.now });
  if (!read.ok) return data(read.reply, { status: 400 });
  const done = await transact(getDb(), (trx) => postAsk(trx, ctx, read.fields));
  if (!done.ok) {
    if (done.error === "network_not_allowed") return data(read.submission.reply({ fieldErrors: { audience: ["asks.error.network"] } }), { status: 400 });
    forbidden();
  }
  return redirectWithFlash(askUrl(ctx.space.slug, done.ask.id), { key: "asks.postedFlash" });
}

export default function NewAsk() {
  const t = useT();
  const { spaceSlug, spaceName, canAskNetwork } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  return (
    <div className="stack">
      <Breadcrumb label={t("asks.title")} items={[{ to: asksUrl(spaceSlug), label: t("asks.title") }]} />
      <section className="card form-card" aria-labelledby="new-ask-title">
        <h2 id="new-ask-title">{t("asks.newTitle")}</h2>
        <p className="muted small">{t("asks.newIntro", { space: spaceName })}</p>
        <AskForm
          spaceSlug={spaceSlug}
          values={{ kind: "", audience: "space", title: "", body: null, skills: [], region: "", deadline: "" }}
          lastResult={lastResult}
          canAskNetwork={canAskNetwork}
          submitLabel={t("asks.form.submit")}
          cancelTo={asksUrl(spaceSlug)}
        />
      </section>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
