import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { transact } from "#db/transact.ts";
import { saveAndChangeState, savePost, trashPost, type PostConflict, type PostFailure, type SaveInput } from "#app/blog/commands.server.ts";
import {
  autosavePost,
  conflictOf,
  contentToSave,
  derivePosted,
  errorsOfFailure,
  errorsOfParse,
  mineText,
  readBaseRevision,
  valuesOfForm,
  valuesOfPost,
} from "#app/blog/edit.server.ts";
import { readPostForm } from "#app/blog/form.server.ts";
import { isStateIntent, STATE_CHANGES, type StateIntent } from "#app/blog/states.ts";
import { formatInZone, zoneLabel } from "#app/blog/format.ts";
import { loadPost, loadPostToEdit } from "#app/blog/load.server.ts";
import { instantFromLocal, localFromInstant } from "#app/blog/schedule.ts";
import { EditConflict, type EditConflictKeys } from "#app/components/edit-conflict.tsx";
import { GeneralErrorBoundary } from "#app/components/error-boundary.tsx";
import { StateBadge, useFormatInZone } from "#app/components/post-card.tsx";
import { PostForm } from "#app/components/post-form.tsx";
import { ConfirmDialog } from "#app/components/ui/confirm-dialog.tsx";
import { isMessageKey } from "#app/i18n/index.ts";
import { useFormatDate, useT } from "#app/i18n/react.tsx";
import { authorize } from "#app/policies/authorize.ts";
import { canPublishToNetwork } from "#app/policies/post.ts";
import { getDb } from "#app/utils/db.server.ts";
import { badRequest, notFound, redirectWithFlash } from "#app/utils/http.server.ts";
import { getLocale } from "#app/utils/locale.server.ts";
import { pageTitle } from "#app/utils/meta.ts";
import { Breadcrumb } from "#app/components/breadcrumb.tsx";
import { blogUrl, postAutosaveUrl, postEditUrl, postHistoryUrl, postUrl } from "#app/urls.ts";

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => pageTitle(matches, "blog.editTitle", undefined, data?.post.title);

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { space, user, post, canEdit } = await loadPost(request, params, context);
  authorize(canEdit);
  const timeZone = user.time_zone;
  return {
    spaceSlug: space.slug,
    canNetwork: canPublishToNetwork(space),
    timeZone,
    nowLocal: localFromInstant(Date.now(), timeZone),
    post: {
      id: post.id,
      slug: post.slug,
      title: post.title,
      state: post.state,
      revision: post.revision,
      publishAt: post.publish_at,
      publishAtLocal: post.publish_at ? localFromInstant(post.publish_at, timeZone) : "",
      publishedAt: post.published_at,
    },
    values: await valuesOfPost(space, post),
    changes: STATE_CHANGES[post.state],
  };
}

/** Autosaves answer the page, not a navigation: nothing to reload. */
export function shouldRevalidate({ formData, defaultShouldRevalidate }: { formData?: FormData; defaultShouldRevalidate: boolean }) {
  if (formData?.get("intent") === "autosave") return false;
  return defaultShouldRevalidate;
}

export async function action({ request, params }: ActionFunctionArgs) {
  const form = await request.formData();
  const intent = typeof form.get("intent") === "string" && form.get("intent") !== "" ? String(form.get("intent")) : "save";
  const ctx = await loadPostToEdit(request, params, form);
  const { space, user, post } = ctx;

  if (intent === "autosave") {
    const { status, answer } = await autosavePost(ctx, form);
    return data({ kind: "autosave" as const, answer }, { status });
  }

  const acting = () => ({ space, user, now: Date.now() });

  if (intent === "delete") {
    await transact(getDb(), (trx) => trashPost(trx, acting(), { post }));
    return redirectWithFlash(blogUrl(space.slug), { key: "blog.deletedFlash", params: { title: post.title } });
  }

  if (intent !== "save" && !isStateIntent(intent)) badRequest();
  const stateIntent: StateIntent | null = intent === "save" ? null : (intent as StateIntent);

  // A change of state checks itself before anything is written.
  let publishAt: number | null = null;
  if (stateIntent) {
    if (!STATE_CHANGES[post.state].includes(stateIntent)) {
      return data({ kind: "state" as const, error: "blog.cannotChangeState" }, { status: 409 });
    }
    if (stateIntent === "schedule") {
      const local = String(form.get("publishAt") ?? "");
      publishAt = instantFromLocal(local, user.time_zone);
      if (publishAt === null) return data({ kind: "state" as const, error: "blog.badMoment" }, { status: 400 });
      if (publishAt <= Date.now()) return data({ kind: "state" as const, error: "blog.pastMoment" }, { status: 400 });
    }
  }

  const invalid = async (baseRevision: number, failure: PostFailure) => {
    const errors = errorsOfFailure(failure);
    return data({ kind: "invalid" as const, errors, values: await valuesOfForm(space, form, post.content_json, errors), baseRevision }, { status: 400 });
  };
  /** The save was refused: its field's error, or both versions when someone saved meanwhile. */
  const refused = async (save: SaveInput, failure: PostConflict | PostFailure) => {
    if (failure.field !== "revision") return invalid(save.baseRevision, failure);
    const mine = await valuesOfForm(space, form, post.content_json);
    const conflict = await conflictOf(space, post.id, mine, mineText(form, save.content, post));
    if (!conflict) notFound();
    return data({ kind: "conflict" as const, values: mine, baseRevision: conflict.revision, theirs: conflict.theirs, diff: conflict.diff }, { status: 409 });
  };

  // The editor's form comes along with a change of state (its fields are saved first); a bare state form does not.
  // Its content is checked and derived here, once, before the transaction opens.
  let save: SaveInput | null = null;
  if (form.has("title")) {
    const baseRevision = readBaseRevision(form);
    if (baseRevision === null) badRequest();
    const parsed = readPostForm(form);
    if (!parsed.success) {
      const errors = errorsOfParse(parsed.error);
      return data({ kind: "invalid" as const, errors, values: await valuesOfForm(space, form, post.content_json, errors), baseRevision }, { status: 400 });
    }
    // A change of state saves only a form that says something new.
    const prepared = stateIntent === null ? await derivePosted(parsed.data) : await contentToSave(post, parsed.data);
    if (!prepared.ok) return invalid(baseRevision, prepared);
    if (prepared.content) save = { baseRevision, form: parsed.data, content: prepared.content };
  }

  if (stateIntent === null) {
    // A save by hand is a revision.
    let saved: number | null = null;
    if (save) {
      const input = { post, ...save };
      const result = await transact(getDb(), (trx) => savePost(trx, acting(), input));
      if (!result.ok) return refused(input, result);
      saved = result.revision;
    }
    return redirectWithFlash(postUrl(space.slug, post.slug), { key: "blog.savedFlash", params: { n: saved ?? post.revision } });
  }

  const change =
    stateIntent === "schedule"
      ? ({ to: "schedule", local: String(form.get("publishAt")), timeZone: user.time_zone } as const)
      : ({ to: stateIntent } as const);
  // Saving the form's changes and changing the state is one transaction: a refused change leaves the article as it was.
  const result = await transact(getDb(), (trx) => saveAndChangeState(trx, acting(), { post, save, change }));
  if (!result.ok && "field" in result && save) return refused(save, result);
  if (!result.ok) return data({ kind: "state" as const, error: result.error }, { status: result.error === "blog.cannotChangeState" ? 409 : 400 });
  if (stateIntent === "publish") return redirectWithFlash(postUrl(space.slug, post.slug), { key: "blog.publishedFlash" });
  if (stateIntent === "unpublish") return redirectWithFlash(postUrl(space.slug, post.slug), { key: "blog.unpublishedFlash" });
  if (stateIntent === "draft") return redirectWithFlash(postEditUrl(space.slug, post.slug), { key: "blog.draftFlash" });
  const locale = await getLocale(request);
  return redirectWithFlash(postUrl(space.slug, post.slug), {
    key: "blog.scheduledFlash",
    params: { date: `${formatInZone(locale, result.publishAt ?? publishAt ?? 0, user.time_zone)} (${zoneLabel(user.time_zone)})` },
  });
}

function StateBox({
  formId,
  post,
  changes,
  timeZone,
  nowLocal,
  error,
}: {
  formId: string;
  post: { state: "draft" | "scheduled" | "published" | "unpublished"; slug: string; title: string; publishAt: number | null; publishAtLocal: string; publishedAt: number | null };
  changes: readonly string[];
  timeZone: string;
  nowLocal: string;
  error: string | null;
}) {
  const t = useT();
  const formatDate = useFormatDate();
  const formatInZone = useFormatInZone(timeZone);
  const navigation = useNavigation();
  const busy = navigation.state === "submitting";
  const may = (intent: string) => changes.includes(intent);
  return (
    <section className="card state-box" aria-labelledby="state-title">
      <h2 id="state-title">{t("blog.stateTitle")}</h2>
      <p className="state-now">
        <StateBadge state={post.state} />{" "}
        <span className="small">
          {post.state === "scheduled" && post.publishAt
            ? t("blog.scheduledFor", { date: formatInZone(post.publishAt) })
            : post.state === "published" && post.publishedAt
              ? t("blog.publishedOn", { date: formatDate(post.publishedAt) })
              : post.state === "unpublished"
                ? t("blog.unpublishedHelp")
                : t("blog.draftHelp")}
        </span>
      </p>
      {error ? (
        <p className="form-errors" role="alert" id="state-error">
          {isMessageKey(error) ? t(error) : error}
        </p>
      ) : null}
      <div className="stack">
        {may("publish") ? (
          <button type="submit" form={formId} name="intent" value="publish" className="btn btn-primary btn-block" disabled={busy}>
            {t("blog.publishNow")}
          </button>
        ) : null}
        {may("schedule") ? (
          <div className="schedule">
            <div className="field">
              <label htmlFor="publish-at">{post.state === "scheduled" ? t("blog.rescheduleLabel") : t("blog.scheduleLabel")}</label>
              <input
                id="publish-at"
                type="datetime-local"
                name="publishAt"
                form={formId}
                defaultValue={post.publishAtLocal}
                min={nowLocal}
                aria-describedby="publish-at-zone"
                aria-invalid={error === "blog.pastMoment" || error === "blog.badMoment" ? true : undefined}
              />
              <p id="publish-at-zone" className="field-hint">
                {t("blog.zoneHint", { zone: zoneLabel(timeZone) })}
              </p>
            </div>
            <button type="submit" form={formId} name="intent" value="schedule" className="btn btn-block" disabled={busy}>
              {post.state === "scheduled" ? t("blog.reschedule") : t("blog.schedule")}
            </button>
          </div>
        ) : null}
        {may("draft") ? (
          <button type="submit" form={formId} name="intent" value="draft" className="btn btn-block" disabled={busy}>
            {post.state === "scheduled" ? t("blog.cancelSchedule") : t("blog.backToDraft")}
          </button>
        ) : null}
        {may("unpublish") ? (
          <button type="submit" form={formId} name="intent" value="unpublish" className="btn btn-block" disabled={busy}>
            {t("blog.unpublish")}
          </button>
        ) : null}
      </div>
      <p className="field-hint state-hint">{t("blog.stateSavesToo")}</p>
    </section>
  );
}

const CONFLICT_KEYS: EditConflictKeys = {
  title: "blog.conflictTitle",
  intro: "blog.conflictIntro",
  theirVersion: "blog.theirVersion",
  differences: "blog.differences",
};

export default function EditPost() {
  const t = useT();
  const { spaceSlug, canNetwork, timeZone, nowLocal, post, values, changes } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const conflict = result?.kind === "conflict" ? result : null;
  const invalid = result?.kind === "invalid" ? result : null;
  const stateError = result?.kind === "state" ? result.error : null;
  const formValues = conflict ? conflict.values : invalid ? invalid.values : values;
  const baseRevision = conflict ? conflict.baseRevision : invalid ? invalid.baseRevision : post.revision;
  const formId = "post-form";
  return (
    <div className="stack">
      <Breadcrumb
        label={t("blog.breadcrumb")}
        items={[
          { to: blogUrl(spaceSlug), label: t("blog.title") },
          { to: postUrl(spaceSlug, post.slug), label: post.title },
        ]}
      />
      {conflict ? (
        <EditConflict keys={CONFLICT_KEYS} theirs={conflict.theirs} diff={conflict.diff} />
      ) : null}
      <div className="blog-edit">
        <section className="card" aria-labelledby="edit-title">
          <div className="page-head">
            <h2 id="edit-title">{conflict ? t("blog.yourVersion") : t("blog.editTitle")}</h2>
            <div className="actions">
              <Link to={postUrl(spaceSlug, post.slug)} className="btn btn-small">
                {post.state === "published" ? t("blog.view") : t("blog.preview")}
              </Link>
              <Link to={postHistoryUrl(spaceSlug, post.slug)} className="btn btn-small">
                {t("blog.history")}
              </Link>
            </div>
          </div>
          <PostForm
            // The form reloads when the revision it stands on changes: a conflict (onto theirs, with the writer's text),
            // or a change of state that saved it. A refusal (400) or an autosave keeps it as the writer left it.
            key={`revision-${baseRevision}`}
            id={formId}
            spaceSlug={spaceSlug}
            values={formValues}
            errors={invalid?.errors}
            canNetwork={canNetwork}
            baseRevision={baseRevision}
            hidden={{ postId: post.id }}
            autosave={post.state === "draft" && !conflict ? { url: postAutosaveUrl(spaceSlug, post.slug), timeZone } : null}
            submitLabel={t("blog.save")}
            cancelTo={postUrl(spaceSlug, post.slug)}
          />
        </section>
        <aside className="stack blog-edit-aside">
          <StateBox formId={formId} post={post} changes={changes} timeZone={timeZone} nowLocal={nowLocal} error={stateError} />
          <section className="card" aria-labelledby="delete-title">
            <h2 id="delete-title" className="sr-only">
              {t("blog.delete")}
            </h2>
            <ConfirmDialog
              trigger={<button className="btn btn-danger btn-small">{t("blog.delete")}</button>}
              title={t("blog.delete")}
              description={t("blog.deleteConfirm", { title: post.title })}
              confirmLabel={t("blog.delete")}
              fields={{ intent: "delete", postId: post.id }}
            />
          </section>
        </aside>
      </div>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
