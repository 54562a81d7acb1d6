import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import * as pages from "#db/queries/pages.ts";
import { findById as findUser } from "#db/queries/users.ts";
import { transact } from "#db/transact.ts";
import { UNPARSEABLE } from "#app/editor/document.ts";
import { checkDocument } from "#app/editor/content-pool.server.ts";
import { EditConflict, type EditConflictKeys } from "#app/components/edit-conflict.tsx";
import { GeneralErrorBoundary } from "#app/components/error-boundary.tsx";
import { PageForm } from "#app/components/page-form.tsx";
import { useT } from "#app/i18n/react.tsx";
import { canEditPages } from "#app/policies/page.ts";
import { getDb } from "#app/utils/db.server.ts";
import { badRequest, notFound, redirectWithFlash } from "#app/utils/http.server.ts";
import { savePage } from "#app/wiki/commands.server.ts";
import { diffText } from "#app/wiki/diff.ts";
import { readPageForm } from "#app/wiki/form.server.ts";
import { loadPage } from "#app/wiki/load.server.ts";
import { requireSpace } from "#app/utils/space.server.ts";
import { wikiPageUrl } from "#app/urls.ts";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.page.title} · Cercle` : "Cercle" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { space, page } = await loadPage(request, params, canEditPages);
  return {
    spaceSlug: space.slug,
    page: { id: page.id, slug: page.slug, title: page.title, json: page.content_json, revision: page.revision },
  };
}

/**
 * The page by the id the form carries (its slug may have changed since the
 * editor opened it, if someone renamed it), else by the URL's slug.
 */
async function pageToSave(request: Request, params: { space?: string; page?: string }, form: FormData) {
  const context = await requireSpace(request, params.space, canEditPages);
  const id = form.get("pageId");
  const db = getDb();
  const page =
    typeof id === "string" && id
      ? await pages.findInSpace(db, context.space.id, id)
      : (await pages.findBySlugOrAlias(db, context.space.id, params.page ?? ""))?.page;
  if (!page || page.deleted_at !== null) notFound();
  return { ...context, page };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const form = await request.formData();
  const { space, user, page } = await pageToSave(request, params, form);
  const baseRevision = Number(form.get("baseRevision"));
  if (!Number.isInteger(baseRevision) || baseRevision < 1) badRequest();
  const parsed = readPageForm(form);
  const mine = { title: String(form.get("title") ?? ""), json: (form.get("content") as string | null) ?? null };
  if (!parsed.success) {
    return data({ kind: "invalid" as const, titleError: parsed.error.issues[0]?.message ?? "v.invalid", contentError: null, mine, baseRevision }, { status: 400 });
  }
  // Processed once, before the transaction: the conflict screen below reuses it.
  const content = await checkDocument(parsed.data.content);
  if (!content.ok) {
    // Content that Lexical could not even parse goes back as the last saved version, not as broken JSON.
    const kept = UNPARSEABLE.has(content.error) ? { ...mine, json: page.content_json } : mine;
    return data({ kind: "invalid" as const, titleError: null, contentError: { error: content.error, detail: content.detail }, mine: kept, baseRevision }, { status: 400 });
  }
  const result = await transact(getDb(), (trx) =>
    savePage(trx, { space, user, now: Date.now() }, { page, baseRevision, title: parsed.data.title, content, summary: parsed.data.summary }),
  );
  if (result.ok) {
    return redirectWithFlash(wikiPageUrl(space.slug, result.slug), { key: "wiki.saved", params: { n: result.revision } });
  }
  // Someone saved meanwhile: nothing is written; both versions go back to the writer.
  const db = getDb();
  const current = await pages.findInSpace(db, space.id, page.id);
  if (!current) notFound();
  const editor = current.updated_by ? await findUser(db, current.updated_by) : undefined;
  const mineText = content.text;
  return data(
    {
      kind: "conflict" as const,
      titleError: null,
      contentError: null,
      mine,
      baseRevision: current.revision,
      theirs: {
        revision: current.revision,
        title: current.title,
        html: current.content_html,
        editor: editor?.display_name ?? "—",
        at: current.updated_at,
      },
      diff: diffText(`${current.title}\n\n${current.content_text}`, `${mine.title}\n\n${mineText}`),
    },
    { status: 409 },
  );
}

const CONFLICT_KEYS: EditConflictKeys = {
  title: "wiki.conflictTitle",
  intro: "wiki.conflictIntro",
  theirVersion: "wiki.theirVersion",
  differences: "wiki.differences",
};

export default function EditPage() {
  const t = useT();
  const { spaceSlug, page } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const conflict = result?.kind === "conflict" ? result : null;
  return (
    <div className="stack">
      {conflict ? (
        <EditConflict keys={CONFLICT_KEYS} theirs={conflict.theirs} diff={conflict.diff} />
      ) : null}
      <section className="card" aria-labelledby="edit-title">
        <h2 id="edit-title">{conflict ? t("wiki.yourVersion") : t("wiki.edit")}</h2>
        <PageForm
          spaceSlug={spaceSlug}
          title={result ? result.mine.title : page.title}
          json={result ? result.mine.json : page.json}
          baseRevision={result ? result.baseRevision : page.revision}
          hidden={{ pageId: page.id }}
          editorKey={result ? `r${result.baseRevision}-${result.kind}` : `r${page.revision}`}
          titleError={result?.titleError}
          contentError={result?.contentError}
          cancelTo={wikiPageUrl(spaceSlug, page.slug)}
          submitLabel={t("wiki.save")}
        />
      </section>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
