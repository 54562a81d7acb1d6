import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { findInSpace } from "#db/queries/pages.ts";
import { transact } from "#db/transact.ts";
import { UNPARSEABLE } from "#app/editor/document.ts";
import { checkDocument } from "#app/editor/content-pool.server.ts";
import { GeneralErrorBoundary } from "#app/components/error-boundary.tsx";
import { PageForm } from "#app/components/page-form.tsx";
import { useT } from "#app/i18n/react.tsx";
import { canEditPages } from "#app/policies/page.ts";
import { getDb } from "#app/utils/db.server.ts";
import { notFound, redirectWithFlash } from "#app/utils/http.server.ts";
import { pageTitle } from "#app/utils/meta.ts";
import { requireSpace } from "#app/utils/space.server.ts";
import { createPage } from "#app/wiki/commands.server.ts";
import { readPageForm } from "#app/wiki/form.server.ts";
import { wikiPageUrl, wikiUrl } from "#app/urls.ts";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "wiki.newPage");

/** The parent named in the request must be a live page of this very space. */
async function parentFrom(spaceId: string, parentId: string | null) {
  if (!parentId) return null;
  const parent = await findInSpace(getDb(), spaceId, parentId);
  if (!parent || parent.deleted_at !== null) notFound();
  return parent;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { space } = await requireSpace(request, params.space, canEditPages);
  const parent = await parentFrom(space.id, new URL(request.url).searchParams.get("parent"));
  return { spaceSlug: space.slug, parent: parent ? { id: parent.id, title: parent.title } : null };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { space, user } = await requireSpace(request, params.space, canEditPages);
  const form = await request.formData();
  const parent = await parentFrom(space.id, (form.get("parentId") as string | null) || null);
  const parsed = readPageForm(form);
  if (!parsed.success) {
    return data({ titleError: parsed.error.issues.find((i) => i.path[0] === "title")?.message ?? "v.invalid", contentError: null, content: form.get("content") as string | null }, { status: 400 });
  }
  const content = await checkDocument(parsed.data.content);
  if (!content.ok) {
    // Content Lexical could not parse is not sent back into the editor.
    const keep = !UNPARSEABLE.has(content.error);
    return data({ titleError: null, contentError: { error: content.error, detail: content.detail }, content: keep ? (parsed.data.content ?? null) : null }, { status: 400 });
  }
  const result = await transact(getDb(), (trx) =>
    createPage(trx, { space, user, now: Date.now() }, { title: parsed.data.title, parentId: parent?.id ?? null, content, summary: parsed.data.summary }),
  );
  // The parent went to the trash meanwhile.
  if (!result.ok) notFound();
  return redirectWithFlash(wikiPageUrl(space.slug, result.page.slug), { key: "wiki.created", params: { title: result.page.title } });
}

export default function NewPage() {
  const t = useT();
  const { spaceSlug, parent } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <section className="card" aria-labelledby="new-page-title">
      <h2 id="new-page-title">{t("wiki.newPage")}</h2>
      {parent ? (
        <p className="muted small">{t("wiki.underParent", { title: parent.title })}</p>
      ) : null}
      <PageForm
        spaceSlug={spaceSlug}
        title=""
        json={actionData?.content ?? null}
        hidden={parent ? { parentId: parent.id } : undefined}
        titleError={actionData?.titleError}
        contentError={actionData?.contentError}
        cancelTo={wikiUrl(spaceSlug)}
        submitLabel={t("wiki.save")}
      />
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
