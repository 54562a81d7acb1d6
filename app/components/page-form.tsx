import { Form, Link, useBeforeUnload, useBlocker, useNavigation } from "@remix-run/react";
import { useCallback, useMemo, useRef, useState, type ReactNode } from "react";
import { UnsavedChangesDialog } from "#app/components/unsaved-changes-dialog.tsx";
import { Editor } from "#app/editor/Editor.tsx";
import { isMessageKey } from "#app/i18n/index.ts";
import { spaceFiles } from "#app/files/editor-files.ts";
import { useFormatSize, useT } from "#app/i18n/react.tsx";

export interface ContentError {
  error: string;
  detail?: string;
}

/**
 * Title, Lexical editor and change summary, posted as a plain form. Leaving
 * with unsaved changes asks first (in-app navigation and closing the tab).
 */
export function PageForm({
  spaceSlug,
  title,
  json,
  baseRevision,
  hidden,
  contentError,
  titleError,
  cancelTo,
  submitLabel,
  before,
  editorKey,
}: {
  spaceSlug: string;
  title: string;
  json: string | null;
  baseRevision?: number;
  hidden?: Record<string, string>;
  contentError?: ContentError | null;
  titleError?: string | null;
  cancelTo: string;
  submitLabel: string;
  before?: ReactNode;
  /** Changing it remounts the editor with new content (after a conflict). */
  editorKey?: string;
}) {
  const t = useT();
  const formatSize = useFormatSize();
  const files = useMemo(() => spaceFiles(spaceSlug, formatSize), [spaceSlug, formatSize]);
  const navigation = useNavigation();
  const [dirty, setDirty] = useState(false);
  const submitting = useRef(false);
  const blocker = useBlocker(
    ({ currentLocation, nextLocation }) => dirty && !submitting.current && currentLocation.pathname !== nextLocation.pathname,
  );
  useBeforeUnload(
    useCallback(
      (event: BeforeUnloadEvent) => {
        if (dirty && !submitting.current) event.preventDefault();
      },
      [dirty],
    ),
  );
  const errorText = contentError
    ? (() => {
        const key = `wiki.error.${contentError.error}`;
        return isMessageKey(key) ? t(key, { detail: contentError.detail ?? "" }) : contentError.error;
      })()
    : null;
  return (
    <Form
      method="post"
      className="stack page-form"
      onSubmit={() => {
        submitting.current = true;
      }}
      onChange={() => setDirty(true)}
    >
      {before}
      {hidden ? Object.entries(hidden).map(([name, value]) => <input key={name} type="hidden" name={name} value={value} />) : null}
      {baseRevision !== undefined ? <input type="hidden" name="baseRevision" value={baseRevision} /> : null}
      <div className={`field${titleError ? " field-invalid" : ""}`}>
        <label htmlFor="page-title-input">{t("wiki.titleLabel")}</label>
        <input
          id="page-title-input"
          name="title"
          defaultValue={title}
          required
          maxLength={200}
          className="page-title-input"
          aria-invalid={titleError ? true : undefined}
          aria-describedby={titleError ? "page-title-error" : undefined}
        />
        {titleError ? (
          <p id="page-title-error" className="field-errors">
            {isMessageKey(titleError) ? t(titleError) : titleError}
          </p>
        ) : null}
      </div>
      {errorText ? (
        <div className="form-errors" role="alert" id="content-error">
          <p>{errorText}</p>
        </div>
      ) : null}
      <Editor
        key={editorKey}
        name="content"
        initialJson={json}
        spaceSlug={spaceSlug}
        ariaLabel={t("wiki.contentLabel")}
        onDirtyChange={(d) => d && setDirty(true)}
        files={files}
      />
      <div className="field">
        <label htmlFor="page-summary">{t("wiki.summary")}</label>
        <input id="page-summary" name="summary" maxLength={200} aria-describedby="page-summary-hint" />
        <p id="page-summary-hint" className="field-hint">
          {t("wiki.summaryHint")}
        </p>
      </div>
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={navigation.state === "submitting"}>
          {submitLabel}
        </button>
        <Link to={cancelTo} className="btn">
          {t("wiki.cancel")}
        </Link>
      </div>
      <UnsavedChangesDialog blocker={blocker} question={t("wiki.unsaved")} leaveLabel={t("common.confirm")} />
    </Form>
  );
}
