import { data, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { findVersion } from "#db/queries/files.ts";
import { transact } from "#db/transact.ts";
import { RichTextView } from "#app/editor/RichTextView.tsx";
import { useFormatDate, useFormatSize, useT } from "#app/i18n/react.tsx";
import { openShareLink } from "#app/sharing/commands.server.ts";
import { htmlForShare } from "#app/sharing/html.server.ts";
import { acting } from "#app/utils/acting.server.ts";
import { getDb } from "#app/utils/db.server.ts";
import { sharedDownloadUrl } from "#app/urls.ts";

/**
 * What an outsider sees through a share link (issue 19): the one page or
 * file it shows, read-only, alone — no menus, nothing else of the space, the
 * page's links made inert and its images served through the link — with the
 * club's name and the sharer's. Each visit counts and is audited. No
 * session is asked for: the link is the key, checked at every request.
 * A dead link answers 410 (a token never issued, 404) with the same words,
 * which say no more than that it does not work.
 */

// No script runs here: nothing on the page needs one, and an outsider's page holds no app.
export const handle = { bare: true, scripts: false };

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data && "item" in data ? `${data.item.title} · ${data.spaceName}` : "Cercle" },
  // Not for search engines, even if the link lands somewhere public.
  { name: "robots", content: "noindex, nofollow" },
];

// The token is in the address: no Referer carries it to the sites a reader goes on to.
export const headers: HeadersFunction = () => ({ "Referrer-Policy": "no-referrer", "X-Robots-Tag": "noindex, nofollow", "Cache-Control": "private, no-store" });

export async function loader({ params, context }: LoaderFunctionArgs) {
  const token = params.token ?? "";
  const db = getDb();
  const result = await transact(db, (trx) => openShareLink(trx, acting({}, context), token, { count: true }));
  if (!result.ok) return data({ gone: true as const }, { status: result.error === "unknown" ? 404 : 410 });
  const { link, space, item, sharer } = result.opened;
  const shared = { spaceName: space.name, sharer, expiresAt: link.expires_at };
  if (item.kind === "page") {
    const { html } = await htmlForShare(item.page.content_html, token);
    return { ...shared, item: { kind: "page" as const, title: item.page.title, html } };
  }
  const version = await findVersion(db, item.file);
  return {
    ...shared,
    item: { kind: "file" as const, title: item.file.name, size: item.file.size, version: item.file.version, type: version?.content_type ?? item.file.content_type, href: sharedDownloadUrl(token) },
  };
}

export default function SharedItem() {
  const t = useT();
  const formatDate = useFormatDate();
  const formatSize = useFormatSize();
  const loaded = useLoaderData<typeof loader>();
  if ("gone" in loaded) {
    return (
      <article className="card shared-card shared-gone" aria-labelledby="shared-title">
        <h1 id="shared-title">{t("shared.goneTitle")}</h1>
        <p>{t("shared.goneText")}</p>
      </article>
    );
  }
  const { item, spaceName, sharer, expiresAt } = loaded;
  return (
    <article className="card shared-card" aria-labelledby="shared-title">
      <header className="shared-head">
        <p className="shared-from">{sharer ? t("shared.by", { name: sharer, space: spaceName }) : t("shared.byNobody", { space: spaceName })}</p>
        <h1 id="shared-title">
          <bdi>{item.title}</bdi>
        </h1>
        {item.kind === "file" ? <p className="muted">{t("shared.fileMeta", { size: formatSize(item.size), version: String(item.version) })}</p> : null}
      </header>
      {item.kind === "page" ? (
        <RichTextView html={item.html} />
      ) : (
        <p>
          <a className="btn btn-primary" href={item.href} download>
            {t("shared.download")}
          </a>
        </p>
      )}
      <footer className="shared-foot muted small">
        <p>{t("shared.until", { date: formatDate(expiresAt) })}</p>
        <p>{t("shared.readOnly")}</p>
      </footer>
    </article>
  );
}
