import { Form, useFetcher } from "@remix-run/react";
import { useCallback, useEffect, useId, useMemo, useRef, useState } from "react";
import { fileIdOf, isPageId } from "#app/editor/url.ts";
import { FileIcon, PageIcon } from "#app/editor/icons.tsx";
import { FilePanel, SearchField, useSearchAsYouType } from "#app/editor/plugins/FilePanels.tsx";
import { spaceFiles } from "#app/files/editor-files.ts";
import { useFormatSize, useT } from "#app/i18n/react.tsx";
import { wikiSearchUrl } from "#app/urls.ts";
import type { MaterialView } from "./materials.server.ts";

/** One material as the workshop page shows it (a type only: the server module itself stays out of the bundle). */
type MaterialItem = Omit<MaterialView, "contentType">;

type PageSuggestion = { id: string; title: string };

/**
 * Well-formed pages of the search's answer. The "[[" picker's own parser
 * (PageLinkPlugin.tsx) lives beside Lexical's typeahead, which this page
 * must not load for a list of links.
 */
function pagesOf(data: unknown): PageSuggestion[] {
  const pages = (data as { pages?: unknown } | null)?.pages;
  if (!Array.isArray(pages)) return [];
  return pages.filter((p): p is PageSuggestion => isPageId(p?.id) && typeof p?.title === "string").map((p) => ({ id: p.id, title: p.title.trim() || p.id }));
}

/** The wiki's own title search (the "[[" picker's endpoint), as one types. */
function usePageSearch(spaceSlug: string, query: string) {
  const search = useCallback(
    (q: string, signal: AbortSignal) =>
      fetch(`${wikiSearchUrl(spaceSlug)}?${new URLSearchParams({ q })}`, { signal, headers: { Accept: "application/json" } })
        .then((res) => (res.ok ? res.json() : Promise.reject(new Error(String(res.status)))))
        .then(pagesOf),
    [spaceSlug],
  );
  return useSearchAsYouType(search, query);
}

/** Pick one of the space's wiki pages by title: a search field and a list of buttons, as the editor's file panel. */
function PagePanel({ spaceSlug, onPick, onCancel }: { spaceSlug: string; onPick: (page: PageSuggestion) => void; onCancel: () => void }) {
  const t = useT();
  const id = useId();
  const [query, setQuery] = useState("");
  const { results, failed } = usePageSearch(spaceSlug, query);
  const searchRef = useRef<HTMLInputElement>(null);
  useEffect(() => searchRef.current?.focus(), []);
  return (
    <div className="editor-panel editor-files" role="group" aria-labelledby={`${id}-title`} onKeyDown={(event) => event.key === "Escape" && (event.preventDefault(), onCancel())}>
      <p id={`${id}-title`} className="editor-panel-label">
        {t("workshops.materials.addPage")}
      </p>
      <SearchField
        id={id}
        label={t("workshops.materials.pickPage")}
        query={query}
        onChange={setQuery}
        inputRef={searchRef}
        onEnter={() => results?.length === 1 && onPick(results[0])}
      />
      <ul id={`${id}-results`} className="editor-files-list" aria-label={t("editor.files.results")} aria-busy={results === null}>
        {(results ?? []).map((page) => (
          <li key={page.id}>
            <button type="button" className="editor-files-row" onClick={() => onPick(page)}>
              <bdi className="editor-files-name">{page.title}</bdi>
            </button>
          </li>
        ))}
      </ul>
      <p className="muted small" role="status">
        {failed ? t("editor.files.searchFailed") : results === null ? t("editor.files.loading") : results.length === 0 ? t("workshops.materials.noPages") : ""}
      </p>
      <div className="editor-panel-row">
        <button type="button" className="btn btn-ghost btn-small" onClick={onCancel}>
          {t("common.cancel")}
        </button>
      </div>
    </div>
  );
}

/** One material's buttons for those who manage them: up, down, shared or not, remove. */
function MaterialActions({ item, action, first, last }: { item: MaterialItem; action: string; first: boolean; last: boolean }) {
  const t = useT();
  // Each button says which material it acts on (hidden words): a list of "Remove" alone is no help to a screen reader.
  const button = (intent: string, label: string, extra: Record<string, string> = {}, disabled = false, danger = false) => (
    <Form method="post" action={action} className="inline-form" preventScrollReset>
      <input type="hidden" name="materialId" value={item.id} />
      {Object.entries(extra).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <button type="submit" name="intent" value={intent} className={`btn btn-small${danger ? " btn-danger-text" : " btn-ghost"}`} disabled={disabled}>
        {label}
        <span className="sr-only"> {item.title}</span>
      </button>
    </Form>
  );
  return (
    <div className="row-actions">
      {button("move", t("workshops.materials.up"), { direction: "up" }, first)}
      {button("move", t("workshops.materials.down"), { direction: "down" }, last)}
      {button("share", t(item.shared ? "workshops.materials.unshare" : "workshops.materials.share"), { shared: item.shared ? "0" : "1" })}
      {button("remove", t("workshops.materials.remove"), {}, false, true)}
    </div>
  );
}

/**
 * The workshop's materials on its page: links to pages and files of the
 * space, in order, those shared with the network marked. Those who may
 * manage them (canManage) get, per material, up / down / share / remove, and
 * below the list the wiki's page picker and the editor's file panel (pick a
 * file of the space, or upload one into its files): choosing links it at
 * once, shared if the box is ticked. Every change posts to `action` and
 * comes back to this section.
 */
export function MaterialsPanel({
  spaceSlug,
  action,
  materials,
  canManage,
  networkOpen,
}: {
  spaceSlug: string;
  action: string;
  materials: MaterialItem[];
  canManage: boolean;
  /** The workshop is open to the network: "shared" then means something to say. */
  networkOpen: boolean;
}) {
  const t = useT();
  const id = useId();
  const formatSize = useFormatSize();
  const fetcher = useFetcher();
  const [picking, setPicking] = useState<"page" | "file" | null>(null);
  const [shared, setShared] = useState(false);
  const files = useMemo(() => spaceFiles(spaceSlug, formatSize), [spaceSlug, formatSize]);
  const link = (kind: "page" | "file", targetId: string) => {
    setPicking(null);
    fetcher.submit({ intent: "add", kind, targetId, shared: shared ? "1" : "0" }, { method: "post", action, preventScrollReset: true });
  };
  if (!canManage && materials.length === 0) return null;
  return (
    <section className="card materials" id="materials" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t("workshops.materials.title")}</h2>
      {materials.length === 0 ? (
        <p className="muted">{t("workshops.materials.none")}</p>
      ) : (
        <ul className="materials-list">
          {materials.map((m, index) => (
            <li key={m.id} className="material">
              <span className="material-icon" aria-hidden="true">
                {m.kind === "page" ? <PageIcon /> : <FileIcon />}
              </span>
              <span className="material-main">
                {m.href ? (
                  <a href={m.href}>
                    <bdi>{m.title}</bdi>
                  </a>
                ) : (
                  <bdi>{m.title}</bdi>
                )}
                <span className="muted small">
                  {" "}
                  {m.kind === "page" ? t("workshops.materials.kindPage") : t("workshops.materials.kindFile")}
                  {m.size !== null ? ` · ${formatSize(m.size)}` : ""}
                </span>
                {m.downloadHref ? (
                  <>
                    {" · "}
                    <a href={m.downloadHref} className="small" download>
                      {t("workshops.materials.download")}
                      <span className="sr-only"> {m.title}</span>
                    </a>
                  </>
                ) : null}
                {m.shared && (networkOpen || canManage) ? <span className="badge badge-accent">{t("workshops.materials.shared")}</span> : null}
              </span>
              {canManage ? <MaterialActions item={m} action={action} first={index === 0} last={index === materials.length - 1} /> : null}
            </li>
          ))}
        </ul>
      )}
      {canManage ? (
        <div className="stack-sm materials-add">
          <div className="choice-option">
            <input type="checkbox" id={`${id}-shared`} checked={shared} onChange={(event) => setShared(event.target.checked)} aria-describedby={`${id}-shared-hint`} />
            <label htmlFor={`${id}-shared`}>{t("workshops.materials.addShared")}</label>
          </div>
          <p id={`${id}-shared-hint`} className="field-hint">
            {t("workshops.materials.sharedHint")}
          </p>
          <div className="row-actions">
            <button type="button" className="btn btn-small" aria-expanded={picking === "page"} onClick={() => setPicking(picking === "page" ? null : "page")}>
              {t("workshops.materials.addPage")}
            </button>
            <button type="button" className="btn btn-small" aria-expanded={picking === "file"} onClick={() => setPicking(picking === "file" ? null : "file")}>
              {t("workshops.materials.addFile")}
            </button>
          </div>
          {picking === "page" ? <PagePanel spaceSlug={spaceSlug} onPick={(page) => link("page", page.id)} onCancel={() => setPicking(null)} /> : null}
          {picking === "file" ? (
            <FilePanel
              files={files}
              onInsert={({ href }) => {
                const fileId = fileIdOf(href);
                if (fileId) link("file", fileId);
              }}
              onCancel={() => setPicking(null)}
            />
          ) : null}
          <p role="status" className="muted small">
            {fetcher.state !== "idle" ? t("workshops.materials.adding") : ""}
          </p>
        </div>
      ) : null}
    </section>
  );
}
