import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { transact } from "#db/transact.ts";
import * as asks from "#db/queries/asks.ts";
import type { Ask } from "#db/schema.ts";
import { editAsk } from "#app/asks/commands.server.ts";
import { AskForm, type AskFormValues } from "#app/asks/AskForm.tsx";
import { readAskForm } from "#app/asks/form.server.ts";
import { Breadcrumb } from "#app/components/breadcrumb.tsx";
import { EditConflict, type EditConflictKeys } from "#app/components/edit-conflict.tsx";
import { GeneralErrorBoundary } from "#app/components/error-boundary.tsx";
import { useT } from "#app/i18n/react.tsx";
import { canAskNetwork, canEditAsk, canReadAsk } from "#app/policies/ask.ts";
import { acting } from "#app/utils/acting.server.ts";
import { getDb } from "#app/utils/db.server.ts";
import { forbidden, notFound, redirectWithFlash } from "#app/utils/http.server.ts";
import { pageTitle } from "#app/utils/meta.ts";
import { loadSpace, type SpaceContext } from "#app/utils/space.server.ts";
import { askUrl, asksUrl } from "#app/urls.ts";
import { diffText } from "#app/wiki/diff.ts";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "asks.editTitle");

/**
 * Its author changes an ask's words. An edit is made on top of the version
 * it started from: if the ask changed meanwhile (the author in another tab),
 * the save is refused with the saved version and the differences shown, the
 * writer's own text kept in the form.
 */
async function editable(ctx: SpaceContext, id: string | undefined): Promise<Ask> {
  const ask = id && id.length <= 64 ? await asks.findAsk(getDb(), ctx.space.id, id) : undefined;
  // One the viewer may not read is not there for them: 404, as for an id that is nobody's.
  if (!ask || !canReadAsk(ctx.actor, ctx.membership, ctx.space, ask)) notFound();
  if (!canEditAsk(ctx.actor, ctx.membership, ctx.space, ask)) forbidden();
  return ask;
}

async function valuesOf(ask: Ask): Promise<AskFormValues> {
  const skills = (await asks.skillsOf(getDb(), [ask.id])).get(ask.id) ?? [];
  return {
    kind: ask.kind,
    audience: ask.audience,
    title: ask.title,
    body: ask.body_json,
    skills: skills.map((s) => s.label),
    region: ask.region,
    deadline: ask.deadline ?? "",
    updatedAt: ask.updated_at,
  };
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const ctx = await loadSpace(request, params.space, context);
  const ask = await editable(ctx, params.ask);
  return { spaceSlug: ctx.space.slug, askId: ask.id, values: await valuesOf(ask), canAskNetwork: canAskNetwork(ctx.space) || ask.audience === "network" };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const signedIn = await loadSpace(request, params.space, context);
  const ask = await editable(signedIn, params.ask);
  const ctx = acting(signedIn, context);
  const read = await readAskForm(await request.formData(), { timeZone: ctx.user.time_zone, now: ctx.now, keepDeadline: ask.deadline });
  if (!read.ok) return data({ kind: "invalid" as const, reply: read.reply }, { status: 400 });
  const done = await transact(getDb(), (trx) => editAsk(trx, ctx, { askId: ask.id, fields: read.fields, updatedAt: read.updatedAt }));
  if (!done.ok) {
    if (done.error === "stale" && "current" in done) {
      const theirs = done.current;
      return data(
        {
          kind: "conflict" as const,
          reply: read.submission.reply(),
          values: { ...(await valuesOf(theirs)), body: read.fields.body.json, title: read.fields.title },
          theirs: { revision: theirs.updated_at, title: theirs.title, html: theirs.body_html, editor: "", at: theirs.updated_at },
          diff: diffText(theirs.body_text, read.fields.body.text),
        },
        { status: 409 },
      );
    }
    if (done.error === "network_not_allowed") return data({ kind: "invalid" as const, reply: read.submission.reply({ fieldErrors: { audience: ["asks.error.network"] } }) }, { status: 400 });
    if (done.error === "not_found") notFound();
    forbidden();
  }
  return redirectWithFlash(askUrl(ctx.space.slug, ask.id), { key: "asks.savedFlash" });
}

const CONFLICT_KEYS: EditConflictKeys = {
  title: "asks.conflict.title",
  intro: "asks.conflict.intro",
  theirVersion: "asks.conflict.theirVersion",
  differences: "asks.conflict.differences",
};

export default function EditAsk() {
  const t = useT();
  const { spaceSlug, askId, values, canAskNetwork } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const conflict = result?.kind === "conflict" ? result : null;
  return (
    <div className="stack">
      <Breadcrumb label={t("asks.title")} items={[{ to: asksUrl(spaceSlug), label: t("asks.title") }]} />
      {conflict ? <EditConflict keys={CONFLICT_KEYS} theirs={conflict.theirs} diff={conflict.diff} /> : null}
      <section className="card form-card" aria-labelledby="edit-ask-title">
        <h2 id="edit-ask-title">{t("asks.editTitle")}</h2>
        <AskForm
          // A conflict starts the form again on top of the saved version, the writer's words kept.
          key={conflict ? `conflict-${conflict.theirs.at}` : "edit"}
          spaceSlug={spaceSlug}
          values={conflict ? conflict.values : values}
          lastResult={result?.reply}
          canAskNetwork={canAskNetwork}
          submitLabel={t("asks.form.save")}
          cancelTo={askUrl(spaceSlug, askId)}
        />
      </section>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
