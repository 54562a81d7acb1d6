import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { transact } from "#db/transact.ts";
import { createPost } from "#app/blog/commands.server.ts";
import { derivePosted, errorsOfFailure, errorsOfParse, valuesOfForm } from "#app/blog/edit.server.ts";
import { readPostForm } from "#app/blog/form.server.ts";
import { GeneralErrorBoundary } from "#app/components/error-boundary.tsx";
import { PostForm } from "#app/components/post-form.tsx";
import { useT } from "#app/i18n/react.tsx";
import { authorize } from "#app/policies/authorize.ts";
import { canPublishToNetwork, canWritePosts } from "#app/policies/post.ts";
import { getDb } from "#app/utils/db.server.ts";
import { redirectWithFlash } from "#app/utils/http.server.ts";
import { pageTitle } from "#app/utils/meta.ts";
import { loadSpace } from "#app/utils/space.server.ts";
import { Breadcrumb } from "#app/components/breadcrumb.tsx";
import { blogUrl, postEditUrl } from "#app/urls.ts";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "blog.newTitle");

async function writer(request: Request, params: { space?: string }, context?: object) {
  const ctx = await loadSpace(request, params.space, context);
  authorize(canWritePosts(ctx.actor, ctx.membership, ctx.space));
  return ctx;
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { space } = await writer(request, params, context);
  return { spaceSlug: space.slug, canNetwork: canPublishToNetwork(space) };
}

/** A new article starts as a draft; the writer goes on in its editor (where it autosaves) and publishes from there. */
export async function action({ request, params }: ActionFunctionArgs) {
  const { space, user } = await writer(request, params);
  const form = await request.formData();
  const parsed = readPostForm(form);
  if (!parsed.success) {
    const errors = errorsOfParse(parsed.error);
    return data({ errors, values: await valuesOfForm(space, form, null, errors) }, { status: 400 });
  }
  const derived = await derivePosted(parsed.data);
  const result = derived.ok ? await transact(getDb(), (trx) => createPost(trx, { space, user, now: Date.now() }, { form: parsed.data, content: derived.content })) : derived;
  if (!result.ok) {
    const errors = errorsOfFailure(result);
    return data({ errors, values: await valuesOfForm(space, form, null, errors) }, { status: 400 });
  }
  return redirectWithFlash(postEditUrl(space.slug, result.post.slug), { key: "blog.createdFlash", params: { title: result.post.title } });
}

export default function NewPost() {
  const t = useT();
  const { spaceSlug, canNetwork } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <div className="stack">
      <Breadcrumb label={t("blog.breadcrumb")} items={[{ to: blogUrl(spaceSlug), label: t("blog.title") }]} />
      <section className="card post-new" aria-labelledby="new-post-title">
        <h2 id="new-post-title">{t("blog.newTitle")}</h2>
        <p className="muted small">{t("blog.newIntro")}</p>
        <PostForm
          id="post-form"
          spaceSlug={spaceSlug}
          values={result?.values ?? { title: "", json: null, excerpt: "", cover: null, tags: "", visibility: "space" }}
          errors={result?.errors}
          canNetwork={canNetwork}
          showSummary={false}
          submitLabel={t("blog.createDraft")}
          cancelTo={blogUrl(spaceSlug)}
        />
      </section>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
