import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { transact } from "#db/transact.ts";
import { GeneralErrorBoundary } from "#app/components/error-boundary.tsx";
import { checkDocument, convertMarkdown } from "#app/editor/content-pool.server.ts";
import { isMessageKey } from "#app/i18n/index.ts";
import { useT } from "#app/i18n/react.tsx";
import { canEditPages } from "#app/policies/page.ts";
import { getDb } from "#app/utils/db.server.ts";
import { redirectWithFlash } from "#app/utils/http.server.ts";
import { pageTitle } from "#app/utils/meta.ts";
import { requireSpace } from "#app/utils/space.server.ts";
import { createPage } from "#app/wiki/commands.server.ts";
import { splitTitle } from "#app/wiki/markdown.ts";
import { wikiPageUrl, wikiUrl } from "#app/urls.ts";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "wiki.importTitle");

const MAX_BYTES = 1024 * 1024;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { space } = await requireSpace(request, params.space, canEditPages);
  return { spaceSlug: space.slug };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { space, user } = await requireSpace(request, params.space, canEditPages);
  // Refused before reading a body that announces itself too large.
  if (Number(request.headers.get("Content-Length") ?? 0) > MAX_BYTES + 64 * 1024) {
    return data({ error: "wiki.importTooLarge", detail: "" }, { status: 413 });
  }
  const form = await request.formData();
  const file = form.get("file");
  if (!(file instanceof File) || file.size === 0) return data({ error: "wiki.importMissing", detail: "" }, { status: 400 });
  if (file.size > MAX_BYTES) return data({ error: "wiki.importTooLarge", detail: "" }, { status: 413 });
  if (!/\.(md|markdown|txt)$/i.test(file.name)) return data({ error: "wiki.importNotMarkdown", detail: "" }, { status: 400 });
  const text = new TextDecoder("utf-8", { fatal: false }).decode(await file.arrayBuffer());
  const { title, body } = splitTitle(text);
  const pageTitleText = (title ?? file.name.replace(/\.(md|markdown|txt)$/i, "")).slice(0, 200).trim() || "Import";
  // In a worker with a time limit: a line of links or emphasis markers costs Lexical's converter quadratic time.
  const converted = await convertMarkdown(body);
  if (!converted.ok) return data({ error: `wiki.error.${converted.error}` as const, detail: "" }, { status: 400 });
  const content = await checkDocument(converted.json);
  if (!content.ok) return data({ error: `wiki.error.${content.error}`, detail: content.detail ?? "" }, { status: 400 });
  const result = await transact(getDb(), (trx) =>
    createPage(trx, { space, user, now: Date.now() }, { title: pageTitleText, parentId: null, content, summary: file.name.slice(0, 200) }),
  );
  // Without a parent there is nothing to refuse; said for the type's sake.
  if (!result.ok) throw new Error(`import refused: ${result.error}`);
  return redirectWithFlash(wikiPageUrl(space.slug, result.page.slug), { key: "wiki.created", params: { title: result.page.title } });
}

export default function ImportPage() {
  const t = useT();
  const { spaceSlug } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const error = result && isMessageKey(result.error) ? t(result.error, { detail: result.detail }) : null;
  return (
    <section className="card form-card" aria-labelledby="import-title">
      <h2 id="import-title">{t("wiki.importTitle")}</h2>
      <p className="muted">{t("wiki.importIntro")}</p>
      <Form method="post" encType="multipart/form-data" className="stack">
        {error ? (
          <div className="form-errors" role="alert">
            <p>{error}</p>
          </div>
        ) : null}
        <div className="field">
          <label htmlFor="import-file">{t("wiki.importFile")}</label>
          <input id="import-file" name="file" type="file" accept=".md,.markdown,.txt,text/markdown,text/plain" required />
        </div>
        <div className="form-actions">
          <button type="submit" className="btn btn-primary" disabled={navigation.state === "submitting"}>
            {t("wiki.importSubmit")}
          </button>
          <Link to={wikiUrl(spaceSlug)} className="btn">
            {t("wiki.cancel")}
          </Link>
        </div>
      </Form>
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
