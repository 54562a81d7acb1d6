import { useCallback, useEffect, useId, useRef, useState, type Ref, type RefObject } from "react";
import { useFormatSize, useT } from "#app/i18n/react.tsx";
import { isMessageKey } from "#app/i18n/index.ts";
import { UploadRefused, type EditorFiles, type FileKind, type PickedFile } from "../files.ts";
import { isSafeImageSrc, isSafeLinkUrl } from "../url.ts";

/**
 * The toolbar's image and file panels: pick one of the space's files (search
 * by name, newest first) or upload a new one into them, with a progress bar.
 * Plain buttons in a list, so Tab and Enter are all a keyboard needs; the
 * number of results and the upload's progress are announced.
 */

const SEARCH_DELAY_MS = 200;

/** The space's files matching `query`, fetched as it is typed (while `enabled`); the previous request is abandoned. */
export function useFileSearch(files: EditorFiles, kind: FileKind, query: string, enabled = true) {
  const search = useCallback((q: string, signal: AbortSignal) => files.search(q, kind, signal), [files, kind]);
  return useSearchAsYouType(search, query, enabled);
}

/**
 * A search run as one types (the space's files here, the wiki's pages for a
 * workshop's materials): a short pause before each request but the first,
 * the previous one abandoned. `search` must keep its identity between renders
 * (useCallback), or every render searches again.
 */
export function useSearchAsYouType<T>(search: (query: string, signal: AbortSignal) => Promise<T[]>, query: string, enabled = true) {
  const [results, setResults] = useState<T[] | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    if (!enabled) return;
    const controller = new AbortController();
    const timer = setTimeout(
      () => {
        search(query, controller.signal)
          .then((found) => {
            setResults(found);
            setFailed(false);
          })
          .catch(() => {
            if (!controller.signal.aborted) setFailed(true);
          });
      },
      query === "" ? 0 : SEARCH_DELAY_MS,
    );
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [search, query, enabled]);
  return { results, failed };
}

/** An upload from a panel: progress, cancel when the panel closes, and the reason when it is refused. */
function useUpload(files: EditorFiles) {
  const [progress, setProgress] = useState<{ sent: number; total: number } | null>(null);
  const [error, setError] = useState<{ key: string; params: Record<string, string> } | null>(null);
  const controller = useRef<AbortController | null>(null);
  useEffect(() => () => controller.current?.abort(), []);
  const run = async (file: File): Promise<PickedFile | null> => {
    controller.current?.abort();
    controller.current = new AbortController();
    setError(null);
    setProgress({ sent: 0, total: file.size });
    try {
      return await files.upload(file, (sent, total) => setProgress({ sent, total }), controller.current.signal);
    } catch (caught) {
      if (!controller.current.signal.aborted) {
        setError(caught instanceof UploadRefused ? { key: caught.key, params: caught.params } : { key: "editor.files.uploadFailed", params: {} });
      }
      return null;
    } finally {
      setProgress(null);
    }
  };
  return { run, progress, error };
}

function UploadProgress({ progress, name }: { progress: { sent: number; total: number }; name: string }) {
  const t = useT();
  const formatSize = useFormatSize();
  const percent = progress.total > 0 ? Math.round((progress.sent / progress.total) * 100) : 0;
  return (
    <div className="editor-upload">
      <progress max={100} value={percent} aria-label={t("editor.files.uploading", { name })} />
      <span className="muted small">{t("files.progress", { percent: String(percent), sent: formatSize(progress.sent), total: formatSize(progress.total) })}</span>
    </div>
  );
}

function Message({ error }: { error: { key: string; params: Record<string, string> } | null }) {
  const t = useT();
  if (!error) return null;
  return <>{isMessageKey(error.key) ? t(error.key, error.params) : error.key}</>;
}

/** The name filter above a panel's results (`${id}-results`); Enter never submits the page's form. */
export function SearchField({
  id,
  label,
  query,
  onChange,
  inputRef,
  onEnter,
}: {
  id: string;
  label: string;
  query: string;
  onChange: (query: string) => void;
  inputRef: Ref<HTMLInputElement>;
  onEnter?: () => void;
}) {
  const t = useT();
  return (
    <>
      <label htmlFor={`${id}-search`} className="editor-files-label">
        {label}
      </label>
      <input
        ref={inputRef}
        id={`${id}-search`}
        type="search"
        value={query}
        placeholder={t("editor.files.searchPlaceholder")}
        aria-controls={`${id}-results`}
        onChange={(event) => onChange(event.target.value)}
        onKeyDown={(event) => {
          if (event.key !== "Enter") return;
          event.preventDefault();
          onEnter?.();
        }}
      />
    </>
  );
}

/**
 * A file input shown as one of our buttons, with the chosen name beside it:
 * the browser's own control speaks the browser's language, not the reader's.
 * The input itself is hidden; the button (labelled by the row's text) opens it.
 */
function FilePick({
  id,
  inputRef,
  accept,
  buttonLabel,
  chosen,
  invalid,
  disabled,
  onChange,
}: {
  id: string;
  inputRef?: RefObject<HTMLInputElement>;
  accept?: string;
  buttonLabel: string;
  chosen: File | null;
  invalid?: boolean;
  disabled?: boolean;
  onChange: (file: File | null) => void;
}) {
  const t = useT();
  const own = useRef<HTMLInputElement>(null);
  const input = inputRef ?? own;
  return (
    <div className="editor-file-pick">
      <input ref={input} id={id} type="file" hidden accept={accept} disabled={disabled} onChange={(event) => onChange(event.target.files?.[0] ?? null)} />
      <button
        type="button"
        className="btn btn-small"
        aria-labelledby={`${id}-label ${id}-button`}
        aria-describedby={`${id}-name`}
        aria-invalid={invalid || undefined}
        disabled={disabled}
        onClick={() => input.current?.click()}
      >
        <span id={`${id}-button`}>{buttonLabel}</span>
      </button>
      <bdi id={`${id}-name`} className="muted small">
        {chosen ? chosen.name : t("editor.files.noFileChosen")}
      </bdi>
    </div>
  );
}

export function ImagePanel({
  files,
  onInsert,
  onCancel,
}: {
  files: EditorFiles;
  onInsert: (image: { src: string; altText: string }) => void;
  onCancel: () => void;
}) {
  const t = useT();
  const id = useId();
  const [query, setQuery] = useState("");
  const [chosen, setChosen] = useState<PickedFile | null>(null);
  const [file, setFile] = useState<File | null>(null);
  const [altText, setAltText] = useState("");
  const [missing, setMissing] = useState(false);
  const { results, failed } = useFileSearch(files, "image", query);
  const upload = useUpload(files);
  const searchRef = useRef<HTMLInputElement>(null);
  const fileRef = useRef<HTMLInputElement>(null);

  useEffect(() => searchRef.current?.focus(), []);

  const insert = async () => {
    let picked = chosen;
    if (!picked && file) picked = await upload.run(file);
    else if (!picked) {
      setMissing(true);
      searchRef.current?.focus();
      return;
    }
    if (picked && isSafeImageSrc(picked.src)) onInsert({ src: picked.src, altText: altText.trim() });
  };

  return (
    <div className="editor-panel editor-files" role="group" aria-labelledby={`${id}-title`} onKeyDown={(event) => event.key === "Escape" && (event.preventDefault(), onCancel())}>
      <p id={`${id}-title`} className="editor-panel-label">
        {t("editor.image")}
      </p>
      <SearchField id={id} label={t("editor.files.pickImage")} query={query} onChange={setQuery} inputRef={searchRef} />
      <ul id={`${id}-results`} className="editor-files-grid" aria-label={t("editor.files.results")} aria-busy={results === null}>
        {(results ?? []).map((f) => (
          <li key={f.id}>
            <button
              type="button"
              className="editor-files-tile"
              title={f.name}
              aria-pressed={chosen?.id === f.id}
              onClick={() => {
                setChosen(chosen?.id === f.id ? null : f);
                setFile(null);
                setMissing(false);
                if (fileRef.current) fileRef.current.value = "";
              }}
            >
              {f.thumbnail ? <img src={f.thumbnail} alt="" width={96} height={72} loading="lazy" /> : <span className="editor-files-noimg" aria-hidden="true" />}
              <bdi className="editor-files-name">{f.name}</bdi>
            </button>
          </li>
        ))}
      </ul>
      <p className="muted small" role="status">
        {failed ? t("editor.files.searchFailed") : results === null ? t("editor.files.loading") : results.length === 0 ? t(query ? "editor.files.noMatch" : "editor.files.noImages") : ""}
      </p>
      <div className="editor-panel-grid">
        <span id={`${id}-file-label`}>{t("editor.files.orUploadImage")}</span>
        <FilePick
          id={`${id}-file`}
          inputRef={fileRef}
          accept="image/png,image/jpeg,image/gif,image/webp,image/avif"
          buttonLabel={t("editor.files.chooseImageFile")}
          chosen={file}
          invalid={missing}
          onChange={(picked) => {
            setFile(picked);
            setChosen(null);
            setMissing(false);
          }}
        />
        <label htmlFor={`${id}-alt`}>{t("editor.image.alt")}</label>
        <input
          id={`${id}-alt`}
          type="text"
          value={altText}
          maxLength={300}
          aria-describedby={`${id}-alt-hint`}
          onChange={(event) => setAltText(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === "Enter") {
              event.preventDefault();
              void insert();
            }
          }}
        />
        <p id={`${id}-alt-hint`} className="field-hint">
          {t("editor.image.altHint")}
        </p>
      </div>
      {upload.progress && file ? <UploadProgress progress={upload.progress} name={file.name} /> : null}
      <div className="editor-panel-row">
        <button type="button" className="btn btn-primary btn-small" onClick={() => void insert()} disabled={upload.progress !== null}>
          {upload.progress ? t("editor.image.uploading") : t("editor.image.insert")}
        </button>
        <button type="button" className="btn btn-ghost btn-small" onClick={onCancel}>
          {t("common.cancel")}
        </button>
      </div>
      <p className="editor-panel-error" role="alert">
        {missing ? t("editor.files.chooseImage") : <Message error={upload.error} />}
      </p>
    </div>
  );
}

export function FilePanel({
  files,
  onInsert,
  onCancel,
}: {
  files: EditorFiles;
  onInsert: (file: { href: string; name: string }) => void;
  onCancel: () => void;
}) {
  const t = useT();
  const formatSize = useFormatSize();
  const id = useId();
  const [query, setQuery] = useState("");
  const [uploading, setUploading] = useState<File | null>(null);
  const { results, failed } = useFileSearch(files, "any", query);
  const upload = useUpload(files);
  const searchRef = useRef<HTMLInputElement>(null);

  useEffect(() => searchRef.current?.focus(), []);

  const pick = (f: PickedFile) => {
    if (isSafeLinkUrl(f.href)) onInsert({ href: f.href, name: f.name });
  };

  return (
    <div className="editor-panel editor-files" role="group" aria-labelledby={`${id}-title`} onKeyDown={(event) => event.key === "Escape" && (event.preventDefault(), onCancel())}>
      <p id={`${id}-title`} className="editor-panel-label">
        {t("editor.file")}
      </p>
      <SearchField
        id={id}
        label={t("editor.files.pickFile")}
        query={query}
        onChange={setQuery}
        inputRef={searchRef}
        onEnter={() => results?.length === 1 && pick(results[0])}
      />
      <ul id={`${id}-results`} className="editor-files-list" aria-label={t("editor.files.results")} aria-busy={results === null}>
        {(results ?? []).map((f) => (
          <li key={f.id}>
            <button type="button" className="editor-files-row" onClick={() => pick(f)}>
              <bdi className="editor-files-name">{f.name}</bdi>
              <span className="muted small">
                {formatSize(f.size)}
                {f.folder ? ` · ${f.folder}` : ""}
              </span>
            </button>
          </li>
        ))}
      </ul>
      <p className="muted small" role="status">
        {failed ? t("editor.files.searchFailed") : results === null ? t("editor.files.loading") : results.length === 0 ? t(query ? "editor.files.noMatch" : "editor.files.noFiles") : ""}
      </p>
      <div className="editor-panel-grid">
        <span id={`${id}-file-label`}>{t("editor.files.orUploadFile")}</span>
        <FilePick
          id={`${id}-file`}
          buttonLabel={t("editor.files.chooseAnyFile")}
          chosen={uploading}
          disabled={upload.progress !== null}
          onChange={async (picked) => {
            if (!picked) return;
            setUploading(picked);
            const stored = await upload.run(picked);
            if (stored) pick(stored);
          }}
        />
      </div>
      {upload.progress && uploading ? <UploadProgress progress={upload.progress} name={uploading.name} /> : null}
      <div className="editor-panel-row">
        <button type="button" className="btn btn-ghost btn-small" onClick={onCancel}>
          {t("common.cancel")}
        </button>
      </div>
      <p className="editor-panel-error" role="alert">
        <Message error={upload.error} />
      </p>
    </div>
  );
}
