import { Form, Link, useBeforeUnload, useBlocker, useNavigation } from "@remix-run/react";
import { useCallback, useEffect, useId, useMemo, useRef, useState, type ReactNode } from "react";
import { timeInZone } from "#app/blog/format.ts";
import { UnsavedChangesDialog } from "#app/components/unsaved-changes-dialog.tsx";
import { Editor, UploadRefused, type EditorFiles } from "#app/editor/Editor.tsx";
import { SearchField, useFileSearch } from "#app/editor/plugins/FilePanels.tsx";
import { spaceFiles } from "#app/files/editor-files.ts";
import { isMessageKey } from "#app/i18n/index.ts";
import { useFormatSize, useLocale, useT } from "#app/i18n/react.tsx";

/**
 * The article form: title, Lexical editor, excerpt, cover image from the
 * space's files, tags, visibility and change summary, posted as a plain
 * form. Leaving with unsaved changes asks first. A draft being edited saves
 * itself (autosave) every few seconds while it differs from what was last
 * saved, and when the form loses focus — without navigating, and saying so
 * in a live region.
 */

export interface CoverView {
  id: string;
  name: string;
  /** A small picture of it (the server's thumbnail, else the image). */
  thumbnail: string;
}

export interface PostFormValues {
  title: string;
  json: string | null;
  excerpt: string;
  cover: CoverView | null;
  tags: string;
  visibility: "space" | "network";
}

export type PostFormField = "title" | "excerpt" | "coverFileId" | "tags" | "visibility" | "summary";

export interface PostFormErrors {
  fields?: Partial<Record<PostFormField, string>>;
  content?: { error: string; detail?: string } | null;
}

/** What the autosave endpoint answers (POST …/autosave, JSON). */
export type AutosaveAnswer =
  | { ok: true; revision: number; savedAt: number }
  | { ok: false; error: "conflict" | "notDraft" | "invalid" | "notFound" | "forbidden" | "signedOut" | "failed"; message?: string };

const AUTOSAVE_EVERY_MS = 10_000;
/** Fields whose change is worth an autosave (not the summary of the next revision, not the state box). */
const SNAPSHOT_SKIP = new Set(["intent", "baseRevision", "summary", "publishAt", "postId"]);

type AutosaveStatus =
  | { kind: "idle" }
  | { kind: "saving" }
  | { kind: "saved"; at: number }
  | { kind: "failed"; error: Extract<AutosaveAnswer, { ok: false }>["error"]; message?: string };

function useMessage() {
  const t = useT();
  return (key: string | undefined, params?: Record<string, string>) => (key && isMessageKey(key) ? t(key, params) : (key ?? ""));
}

export function PostForm({
  id,
  spaceSlug,
  values,
  errors,
  canNetwork,
  baseRevision,
  hidden,
  autosave,
  submitLabel,
  cancelTo,
  after,
  showSummary = true,
}: {
  id: string;
  spaceSlug: string;
  values: PostFormValues;
  errors?: PostFormErrors;
  canNetwork: boolean;
  baseRevision?: number;
  hidden?: Record<string, string>;
  /** Where a draft saves itself, and the writer's time zone for "Saved at 10:42"; null: no autosave. */
  autosave?: { url: string; timeZone: string } | null;
  submitLabel: string;
  cancelTo: string;
  /** Shown after the buttons (inside the form). */
  after?: ReactNode;
  /** The change summary (not for a new article: its first version needs none). */
  showSummary?: boolean;
}) {
  const t = useT();
  const message = useMessage();
  const locale = useLocale();
  const formatSize = useFormatSize();
  const files = useMemo(() => spaceFiles(spaceSlug, formatSize), [spaceSlug, formatSize]);
  const navigation = useNavigation();
  const formRef = useRef<HTMLFormElement>(null);
  const submitting = useRef(false);
  const touched = useRef(false);
  /** The form as last saved (or loaded): what "unsaved changes" is measured against. */
  const saved = useRef<string | null>(null);
  const [revision, setRevision] = useState(baseRevision);
  // A refused post (400, 409) leaves the page open: unsaved changes count again.
  useEffect(() => {
    if (navigation.state === "idle") submitting.current = false;
  }, [navigation.state]);
  const [status, setStatus] = useState<AutosaveStatus>({ kind: "idle" });
  const inFlight = useRef(false);
  const stopped = useRef(false);
  /** A form the server refused as it stands (an empty title): not sent again until it changes. */
  const refused = useRef<string | null>(null);
  const autosaveUrl = autosave?.url ?? null;

  const snapshot = useCallback(() => {
    const form = formRef.current;
    if (!form) return "";
    const entries: string[] = [];
    for (const [name, value] of new FormData(form)) if (typeof value === "string" && !SNAPSHOT_SKIP.has(name)) entries.push(`${name}\u0000${value}`);
    return entries.join("\u0001");
  }, []);

  // The baseline once the editor has loaded the document (its effects run before ours).
  useEffect(() => {
    saved.current = snapshot();
  }, [snapshot]);

  const unsaved = useCallback(() => touched.current && !submitting.current && saved.current !== null && snapshot() !== saved.current, [snapshot]);
  const markTouched = () => {
    touched.current = true;
  };

  const blocker = useBlocker(({ currentLocation, nextLocation }) => currentLocation.pathname !== nextLocation.pathname && unsaved());
  useBeforeUnload(
    useCallback(
      (event: BeforeUnloadEvent) => {
        if (unsaved()) event.preventDefault();
      },
      [unsaved],
    ),
  );

  const runAutosave = useCallback(async () => {
    const form = formRef.current;
    if (!autosaveUrl || !form || inFlight.current || stopped.current || submitting.current) return;
    const current = snapshot();
    if (saved.current === null || current === saved.current || current === refused.current) return;
    inFlight.current = true;
    setStatus({ kind: "saving" });
    const body = new FormData(form);
    body.set("intent", "autosave");
    let answer: AutosaveAnswer;
    try {
      const response = await fetch(autosaveUrl, { method: "POST", body, headers: { Accept: "application/json" }, credentials: "same-origin" });
      answer = (await response.json()) as AutosaveAnswer;
    } catch {
      answer = { ok: false, error: "failed" };
    } finally {
      inFlight.current = false;
    }
    if (answer.ok) {
      saved.current = current;
      setRevision(answer.revision);
      setStatus({ kind: "saved", at: answer.savedAt });
      return;
    }
    // A conflict, a change of state or of rights: stop, and let a real save tell the rest.
    if (answer.error !== "failed" && answer.error !== "invalid") stopped.current = true;
    if (answer.error === "invalid") refused.current = current;
    setStatus({ kind: "failed", error: answer.error, message: answer.message });
  }, [autosaveUrl, snapshot]);

  useEffect(() => {
    if (!autosaveUrl) return;
    const timer = setInterval(() => void runAutosave(), AUTOSAVE_EVERY_MS);
    const onHidden = () => document.visibilityState === "hidden" && void runAutosave();
    document.addEventListener("visibilitychange", onHidden);
    return () => {
      clearInterval(timer);
      document.removeEventListener("visibilitychange", onHidden);
    };
  }, [autosaveUrl, runAutosave]);

  const blurTimer = useRef<ReturnType<typeof setTimeout>>();
  useEffect(() => () => clearTimeout(blurTimer.current), []);
  const onBlur = (event: React.FocusEvent<HTMLFormElement>) => {
    if (!autosave) return;
    const next = event.relatedTarget as HTMLElement | null;
    // Still inside the form (or on one of its buttons elsewhere on the page): not a blur of the form.
    if (next && (formRef.current?.contains(next) || (next as HTMLButtonElement).form === formRef.current)) return;
    clearTimeout(blurTimer.current);
    blurTimer.current = setTimeout(() => void runAutosave(), 300);
  };

  const titleError = errors?.fields?.title;
  const contentError = errors?.content
    ? message(`blog.error.${errors.content.error}`, { detail: errors.content.detail ?? "" }) || errors.content.error
    : null;
  const fieldError = (name: PostFormField) => {
    const key = errors?.fields?.[name];
    return key ? (
      <p id={`${id}-${name}-error`} className="field-errors">
        {message(key)}
      </p>
    ) : null;
  };
  const describedBy = (name: PostFormField, hint?: boolean) =>
    [hint ? `${id}-${name}-hint` : null, errors?.fields?.[name] ? `${id}-${name}-error` : null].filter(Boolean).join(" ") || undefined;

  return (
    <Form
      id={id}
      ref={formRef}
      method="post"
      className="stack post-form"
      onSubmit={() => {
        submitting.current = true;
        clearTimeout(blurTimer.current);
      }}
      onChange={markTouched}
      onBlur={onBlur}
    >
      {hidden ? Object.entries(hidden).map(([name, value]) => <input key={name} type="hidden" name={name} value={value} />) : null}
      {revision !== undefined ? <input type="hidden" name="baseRevision" value={revision} /> : null}
      <div className={`field${titleError ? " field-invalid" : ""}`}>
        <label htmlFor={`${id}-title`}>{t("blog.titleLabel")}</label>
        <input
          id={`${id}-title`}
          name="title"
          defaultValue={values.title}
          required
          maxLength={200}
          className="page-title-input"
          aria-invalid={titleError ? true : undefined}
          aria-describedby={describedBy("title")}
        />
        {fieldError("title")}
      </div>
      {contentError ? (
        <div className="form-errors" role="alert" id={`${id}-content-error`}>
          <p>{contentError}</p>
        </div>
      ) : null}
      <Editor
        name="content"
        initialJson={values.json}
        spaceSlug={spaceSlug}
        ariaLabel={t("blog.contentLabel")}
        ariaDescribedBy={contentError ? `${id}-content-error` : undefined}
        invalid={Boolean(contentError)}
        onDirtyChange={(d) => d && markTouched()}
        files={files}
      />
      <div className={`field${errors?.fields?.excerpt ? " field-invalid" : ""}`}>
        <label htmlFor={`${id}-excerpt`}>
          {t("blog.excerptLabel")} <span className="field-optional">({t("common.optional")})</span>
        </label>
        <textarea
          id={`${id}-excerpt`}
          name="excerpt"
          rows={3}
          maxLength={300}
          defaultValue={values.excerpt}
          aria-invalid={errors?.fields?.excerpt ? true : undefined}
          aria-describedby={describedBy("excerpt", true)}
        />
        <p id={`${id}-excerpt-hint`} className="field-hint">
          {t("blog.excerptHint")}
        </p>
        {fieldError("excerpt")}
      </div>
      <CoverPicker
        id={`${id}-cover`}
        files={files}
        initial={values.cover}
        error={errors?.fields?.coverFileId ? message(errors.fields.coverFileId) : null}
        onChange={markTouched}
      />
      <div className={`field${errors?.fields?.tags ? " field-invalid" : ""}`}>
        <label htmlFor={`${id}-tags`}>
          {t("blog.tagsLabel")} <span className="field-optional">({t("common.optional")})</span>
        </label>
        <input
          id={`${id}-tags`}
          name="tags"
          defaultValue={values.tags}
          maxLength={480}
          autoComplete="off"
          aria-invalid={errors?.fields?.tags ? true : undefined}
          aria-describedby={describedBy("tags", true)}
        />
        <p id={`${id}-tags-hint`} className="field-hint">
          {t("blog.tagsHint")}
        </p>
        {fieldError("tags")}
      </div>
      <fieldset className={`field choice${errors?.fields?.visibility ? " field-invalid" : ""}`} aria-describedby={describedBy("visibility")}>
        <legend>{t("blog.visibilityLabel")}</legend>
        <div className="choice-option">
          <input type="radio" id={`${id}-vis-space`} name="visibility" value="space" defaultChecked={values.visibility !== "network" || !canNetwork} aria-describedby={`${id}-vis-space-help`} />
          <label htmlFor={`${id}-vis-space`}>
            <span className="choice-label">{t("blog.visibility.space")}</span>
            <span id={`${id}-vis-space-help`} className="choice-help">
              {t("blog.visibility.spaceHelp")}
            </span>
          </label>
        </div>
        <div className={`choice-option${canNetwork ? "" : " choice-disabled"}`}>
          <input
            type="radio"
            id={`${id}-vis-network`}
            name="visibility"
            value="network"
            disabled={!canNetwork}
            defaultChecked={values.visibility === "network" && canNetwork}
            aria-describedby={`${id}-vis-network-help`}
          />
          <label htmlFor={`${id}-vis-network`}>
            <span className="choice-label">{t("blog.visibility.network")}</span>
            <span id={`${id}-vis-network-help`} className="choice-help">
              {canNetwork ? t("blog.visibility.networkHelp") : t("blog.visibility.networkSecret")}
            </span>
          </label>
        </div>
        {fieldError("visibility")}
      </fieldset>
      {showSummary ? (
        <div className={`field${errors?.fields?.summary ? " field-invalid" : ""}`}>
          <label htmlFor={`${id}-summary`}>
            {t("blog.summaryLabel")} <span className="field-optional">({t("common.optional")})</span>
          </label>
          <input id={`${id}-summary`} name="summary" maxLength={200} aria-describedby={describedBy("summary", true)} />
          <p id={`${id}-summary-hint`} className="field-hint">
            {t("blog.summaryHint")}
          </p>
          {fieldError("summary")}
        </div>
      ) : null}
      <div className="form-actions post-form-actions">
        <button type="submit" name="intent" value="save" className="btn btn-primary" disabled={navigation.state === "submitting"}>
          {submitLabel}
        </button>
        <Link to={cancelTo} className="btn">
          {t("common.cancel")}
        </Link>
        {autosave ? (
          <p className={`autosave-status${status.kind === "failed" ? " autosave-failed" : ""}`} role="status" aria-live="polite">
            {status.kind === "saving"
              ? t("blog.autosave.saving")
              : status.kind === "saved"
                ? t("blog.autosave.savedAt", { time: timeInZone(locale, status.at, autosave.timeZone) })
                : status.kind === "failed"
                  ? status.error === "invalid" && status.message
                    ? t("blog.autosave.invalid", { reason: message(status.message) })
                    : message(`blog.autosave.${status.error}`)
                  : t("blog.autosave.on")}
          </p>
        ) : null}
      </div>
      {after}
      <UnsavedChangesDialog blocker={blocker} question={t("blog.unsaved")} leaveLabel={t("blog.leaveAnyway")} />
    </Form>
  );
}

const IMAGE_TYPES = "image/png,image/jpeg,image/gif,image/webp,image/avif";

/**
 * The cover: one of the space's images (search by name, thumbnails) or a new
 * one uploaded into the space's files. The chosen file's id goes in a hidden
 * field; the server checks it is an image of this very space.
 */
export function CoverPicker({
  id,
  files,
  initial,
  error,
  onChange,
}: {
  id: string;
  files: EditorFiles;
  initial: CoverView | null;
  error: string | null;
  onChange: () => void;
}) {
  const t = useT();
  const formatSize = useFormatSize();
  const [cover, setCover] = useState<CoverView | null>(initial);
  const [open, setOpen] = useState(false);
  const [query, setQuery] = useState("");
  const [progress, setProgress] = useState<{ name: string; sent: number; total: number } | null>(null);
  const [uploadError, setUploadError] = useState<string | null>(null);
  const triggerRef = useRef<HTMLButtonElement>(null);
  const searchRef = useRef<HTMLInputElement>(null);
  const fileRef = useRef<HTMLInputElement>(null);
  const upload = useRef<AbortController | null>(null);
  const panelId = useId();

  const { results, failed } = useFileSearch(files, "image", query, open);

  useEffect(() => {
    if (open) searchRef.current?.focus();
  }, [open]);
  useEffect(() => () => upload.current?.abort(), []);

  const close = () => {
    upload.current?.abort();
    setOpen(false);
    setProgress(null);
    setUploadError(null);
    // Back to the button that opened the panel, after React has re-rendered.
    setTimeout(() => triggerRef.current?.focus(), 0);
  };
  const choose = (next: CoverView | null) => {
    setCover(next);
    onChange();
    close();
  };
  const uploadFile = async (file: File) => {
    upload.current?.abort();
    const controller = new AbortController();
    upload.current = controller;
    setUploadError(null);
    setProgress({ name: file.name, sent: 0, total: file.size });
    try {
      const stored = await files.upload(file, (sent, total) => setProgress({ name: file.name, sent, total }), controller.signal);
      // Done: closing the panel must not abort (and so terminate) a finished upload.
      upload.current = null;
      choose({ id: stored.id, name: stored.name, thumbnail: stored.thumbnail ?? stored.src });
    } catch (caught) {
      if (controller.signal.aborted) return;
      setUploadError(caught instanceof UploadRefused && isMessageKey(caught.key) ? t(caught.key, caught.params) : t("editor.files.uploadFailed"));
    } finally {
      setProgress(null);
      if (fileRef.current) fileRef.current.value = "";
    }
  };

  return (
    <div className={`field cover-field${error ? " field-invalid" : ""}`} role="group" aria-labelledby={`${id}-label`}>
      <span id={`${id}-label`} className="field-label">
        {t("blog.coverLabel")} <span className="field-optional">({t("common.optional")})</span>
      </span>
      <input type="hidden" name="coverFileId" value={cover?.id ?? ""} />
      <div className="cover-current">
        {cover ? (
          <>
            <img src={cover.thumbnail} alt="" className="cover-thumb" />
            <bdi className="cover-name">{cover.name}</bdi>
          </>
        ) : (
          <span className="muted small">{t("blog.noCover")}</span>
        )}
        <div className="actions">
          <button
            ref={triggerRef}
            type="button"
            className="btn btn-small"
            aria-expanded={open}
            aria-controls={panelId}
            aria-describedby={error ? `${id}-error` : undefined}
            onClick={() => (open ? close() : setOpen(true))}
          >
            {cover ? t("blog.changeCover") : t("blog.chooseCover")}
          </button>
          {cover ? (
            <button type="button" className="btn btn-small btn-ghost" onClick={() => choose(null)}>
              {t("blog.removeCover")}
            </button>
          ) : null}
        </div>
      </div>
      {error ? (
        <p id={`${id}-error`} className="field-errors">
          {error}
        </p>
      ) : null}
      {open ? (
        <div
          id={panelId}
          className="cover-panel editor-files"
          role="group"
          aria-label={t("blog.coverPanel")}
          onKeyDown={(event) => {
            if (event.key === "Escape") {
              event.preventDefault();
              close();
            }
          }}
        >
          <SearchField id={id} label={t("blog.coverSearch")} query={query} onChange={setQuery} inputRef={searchRef} />
          <ul id={`${id}-results`} className="editor-files-grid" aria-label={t("editor.files.results")} aria-busy={results === null}>
            {(results ?? []).map((f) => (
              <li key={f.id}>
                <button
                  type="button"
                  className="editor-files-tile"
                  title={f.name}
                  aria-pressed={cover?.id === f.id}
                  onClick={() => choose({ id: f.id, name: f.name, thumbnail: f.thumbnail ?? f.src })}
                >
                  {f.thumbnail ? <img src={f.thumbnail} alt="" width={96} height={72} loading="lazy" /> : <span className="editor-files-noimg" aria-hidden="true" />}
                  <bdi className="editor-files-name">{f.name}</bdi>
                </button>
              </li>
            ))}
          </ul>
          <p className="muted small" role="status">
            {failed
              ? t("editor.files.searchFailed")
              : results === null
                ? t("editor.files.loading")
                : results.length === 0
                  ? t(query ? "editor.files.noMatch" : "editor.files.noImages")
                  : t("blog.coverCount", { count: results.length })}
          </p>
          <div className="cover-upload">
            <input ref={fileRef} id={`${id}-file`} type="file" hidden accept={IMAGE_TYPES} onChange={(event) => event.target.files?.[0] && void uploadFile(event.target.files[0])} />
            <button type="button" className="btn btn-small" disabled={progress !== null} onClick={() => fileRef.current?.click()}>
              {t("blog.uploadCover")}
            </button>
            <button type="button" className="btn btn-small btn-ghost" onClick={close}>
              {t("common.close")}
            </button>
          </div>
          {progress ? (
            <div className="editor-upload">
              <progress max={100} value={progress.total ? Math.round((progress.sent / progress.total) * 100) : 0} aria-label={t("editor.files.uploading", { name: progress.name })} />
              <span className="muted small">
                {t("files.progress", {
                  percent: String(progress.total ? Math.round((progress.sent / progress.total) * 100) : 0),
                  sent: formatSize(progress.sent),
                  total: formatSize(progress.total),
                })}
              </span>
            </div>
          ) : null}
          <p className="editor-panel-error" role="alert">
            {uploadError}
          </p>
        </div>
      ) : null}
    </div>
  );
}
