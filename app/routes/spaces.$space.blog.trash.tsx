import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import * as posts from "#db/queries/posts.ts";
import { transact } from "#db/transact.ts";
import { restorePost } from "#app/blog/commands.server.ts";
import { GeneralErrorBoundary } from "#app/components/error-boundary.tsx";
import { TrashCard } from "#app/components/trash-card.tsx";
import { useT } from "#app/i18n/react.tsx";
import { authorize } from "#app/policies/authorize.ts";
import { canModeratePosts } from "#app/policies/post.ts";
import { getDb } from "#app/utils/db.server.ts";
import { badRequest, notFound, redirectWithFlash } from "#app/utils/http.server.ts";
import { pageTitle } from "#app/utils/meta.ts";
import { loadSpace } from "#app/utils/space.server.ts";
import { blogUrl, postUrl } from "#app/urls.ts";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "blog.trashTitle");

/** Articles put in the trash: the space's editors and admins see them and bring them back. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { space, actor, membership } = await loadSpace(request, params.space, context);
  authorize(canModeratePosts(actor, membership, space));
  const trashed = await posts.listTrashedPosts(getDb(), space.id);
  return {
    spaceSlug: space.slug,
    posts: trashed.map((p) => ({ id: p.id, title: p.title, at: p.deleted_at!, by: p.deleted_by_name })),
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { space, user, actor, membership } = await loadSpace(request, params.space, context);
  authorize(canModeratePosts(actor, membership, space));
  const form = await request.formData();
  const id = form.get("postId");
  if (form.get("intent") !== "restore" || typeof id !== "string") badRequest();
  const restored = await transact(getDb(), (trx) => restorePost(trx, { space, user, now: Date.now() }, { postId: id }));
  if (!restored.ok) notFound();
  const { post } = restored;
  return redirectWithFlash(postUrl(space.slug, post.slug), { key: "blog.restoredFlash", params: { title: post.title } });
}

export default function BlogTrash() {
  const t = useT();
  const { spaceSlug, posts: trashed } = useLoaderData<typeof loader>();
  return (
    <TrashCard
      headingId="blog-trash-title"
      back={{ href: blogUrl(spaceSlug), label: t("blog.title") }}
      breadcrumbLabel={t("blog.breadcrumb")}
      title={t("blog.trashTitle")}
      intro={t("blog.trashIntro")}
      emptyText={t("blog.trashEmpty")}
      restoreLabel={t("blog.restore")}
      deletedBy={(name, date) => t("blog.deletedBy", { name, date })}
      idField="postId"
      items={trashed}
    />
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
