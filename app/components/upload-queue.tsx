import { useRevalidator } from "@remix-run/react";
import { forwardRef, useCallback, useEffect, useImperativeHandle, useRef, useState } from "react";
import type { DetailedError, Upload as TusUpload } from "tus-js-client";
import { useFormatSize, useT } from "#app/i18n/react.tsx";
import type { MessageKey } from "#app/i18n/index.ts";
import { describeUploadError, readUploadErrorBody } from "#app/files/upload-errors.ts";
import { isRetryableStatus, UPLOAD_CHUNK_BYTES, UPLOAD_RETRY_DELAYS } from "#app/files/upload-options.ts";

/**
 * Files sent with the tus protocol (tus-js-client): each with its progress
 * bar, cancel and retry. A dropped connection resumes where the server got
 * to; so does a reload of the page (tus keeps the upload's address in
 * localStorage). The server decides everything — size, quota, name clashes —
 * and its refusals are shown in words here.
 */

type Status = "queued" | "uploading" | "done" | "error" | "conflict" | "cancelled";

interface Item {
  key: string;
  file: File;
  status: Status;
  sent: number;
  error?: MessageKey;
  errorParams?: Record<string, string>;
  /** When the name is taken: whether this person may add a version to that file. */
  canVersion?: boolean;
}

export interface UploadQueueHandle {
  add(files: FileList | File[]): void;
}

const PARALLEL = 3;

export const UploadQueue = forwardRef<
  UploadQueueHandle,
  /** With fileId, every file sent becomes a new version of that file. */
  { endpoint: string; folderId: string | null; fileId?: string; maxFileBytes: number; remainingBytes: number }
>(function UploadQueue({ endpoint, folderId, fileId, maxFileBytes, remainingBytes }, ref) {
  const t = useT();
  const formatSize = useFormatSize();
  const revalidator = useRevalidator();
  const [items, setItems] = useState<Item[]>([]);
  const uploads = useRef(new Map<string, TusUpload>());
  const [announcement, setAnnouncement] = useState("");

  const update = useCallback((key: string, patch: Partial<Item>) => {
    setItems((all) => all.map((i) => (i.key === key ? { ...i, ...patch } : i)));
  }, []);

  const start = useCallback(
    async (item: Item, onConflict?: "version" | "copy") => {
      const { Upload } = await import("tus-js-client");
      update(item.key, { status: "uploading", error: undefined, sent: 0 });
      const upload = new Upload(item.file, {
        endpoint,
        metadata: {
          filename: item.file.name,
          ...(folderId ? { folderId } : {}),
          ...(fileId ? { fileId } : {}),
          ...(onConflict ? { onConflict } : {}),
        },
        // tus resumes from the server's offset when a request breaks.
        chunkSize: UPLOAD_CHUNK_BYTES,
        retryDelays: UPLOAD_RETRY_DELAYS,
        removeFingerprintOnSuccess: true,
        // Refusals are final; only lost connections and server hiccups are worth retrying.
        onShouldRetry: (error) => {
          const response = (error as DetailedError).originalResponse;
          const status = response?.getStatus() ?? 0;
          // 409 is also tus's "offset mismatch", worth a retry — but not our "name taken".
          if (status === 409) return !(response?.getBody() ?? "").includes("name_taken");
          return isRetryableStatus(status);
        },
        onProgress: (sent) => update(item.key, { sent }),
        onSuccess: () => {
          uploads.current.delete(item.key);
          update(item.key, { status: "done", sent: item.file.size });
          setAnnouncement(t("files.uploadDone", { name: item.file.name }));
          revalidator.revalidate();
        },
        onError: (error) => {
          uploads.current.delete(item.key);
          const response = (error as DetailedError).originalResponse;
          const status = response?.getStatus() ?? 0;
          const body = readUploadErrorBody(response?.getBody());
          if (status === 409 && body.error === "name_taken") {
            update(item.key, { status: "conflict", canVersion: Boolean(body.canVersion) });
            return;
          }
          const [key, params] = describeUploadError(status, body, formatSize);
          update(item.key, { status: "error", error: key, errorParams: params });
          setAnnouncement(`${item.file.name} : ${t(key, params)}`);
        },
      });
      uploads.current.set(item.key, upload);
      // Resume an upload of the same file left unfinished earlier (reload, crash).
      const previous = await upload.findPreviousUploads();
      if (previous.length > 0 && !onConflict) upload.resumeFromPreviousUpload(previous[0]);
      upload.start();
    },
    [endpoint, folderId, fileId, update, revalidator, t, formatSize],
  );

  // Keeps PARALLEL uploads running; the rest wait their turn.
  useEffect(() => {
    const running = items.filter((i) => i.status === "uploading").length;
    const waiting = items.filter((i) => i.status === "queued").slice(0, Math.max(0, PARALLEL - running));
    for (const item of waiting) void start(item);
  }, [items, start]);

  useImperativeHandle(
    ref,
    () => ({
      add(list) {
        let room = remainingBytes;
        const added = [...list].map((file): Item => {
          const key = `${file.name}:${file.size}:${file.lastModified}:${Math.random().toString(36).slice(2)}`;
          // Said at once rather than after the bytes went: the server would refuse them anyway.
          if (file.size > maxFileBytes) return { key, file, status: "error", sent: 0, error: "files.errorTooLarge", errorParams: { max: formatSize(maxFileBytes) } };
          if (file.size > room) return { key, file, status: "error", sent: 0, error: "files.errorQuota", errorParams: { remaining: formatSize(Math.max(0, room)) } };
          room -= file.size;
          return { key, file, status: "queued", sent: 0 };
        });
        setItems((all) => [...all.filter((i) => i.status !== "done" && i.status !== "cancelled"), ...added]);
      },
    }),
    [maxFileBytes, remainingBytes, formatSize],
  );

  function cancel(item: Item) {
    const upload = uploads.current.get(item.key);
    uploads.current.delete(item.key);
    // abort(true) also tells the server to drop what it received.
    if (upload) void upload.abort(true).catch(() => undefined);
    update(item.key, { status: "cancelled" });
  }

  const visible = items.filter((i) => i.status !== "cancelled");
  if (visible.length === 0) return <div className="sr-only" aria-live="polite">{announcement}</div>;

  return (
    <section className="upload-queue card" aria-labelledby="upload-queue-title">
      <div className="upload-queue-head">
        <h2 id="upload-queue-title">{t("files.uploadsTitle")}</h2>
        {visible.every((i) => i.status === "done" || i.status === "error") ? (
          <button type="button" className="btn btn-ghost btn-small" onClick={() => setItems([])}>
            {t("files.clearUploads")}
          </button>
        ) : null}
      </div>
      <ul className="upload-list">
        {visible.map((item) => {
          const percent = item.file.size === 0 ? 100 : Math.floor((item.sent / item.file.size) * 100);
          const labelId = `upload-${item.key.replace(/[^a-z0-9]/gi, "")}`;
          return (
            <li key={item.key} className={`upload-item upload-${item.status}`}>
              <div className="upload-line">
                <span className="upload-name" id={labelId}>
                  <bdi>{item.file.name}</bdi>
                </span>
                <span className="upload-state muted small">
                  {item.status === "uploading"
                    ? t("files.progress", { percent: String(percent), sent: formatSize(item.sent), total: formatSize(item.file.size) })
                    : item.status === "queued"
                      ? t("files.queued")
                      : item.status === "done"
                        ? t("files.uploaded")
                        : item.status === "conflict"
                          ? t("files.nameTakenUpload")
                          : item.error
                            ? t(item.error, item.errorParams)
                            : ""}
                </span>
              </div>
              <progress
                className="upload-progress"
                max={100}
                value={item.status === "done" ? 100 : percent}
                aria-labelledby={labelId}
                aria-valuetext={`${percent} %`}
              />
              <div className="upload-actions">
                {item.status === "uploading" || item.status === "queued" ? (
                  <button type="button" className="btn btn-ghost btn-small" onClick={() => cancel(item)}>
                    {t("files.cancelUpload")}
                    <span className="sr-only"> {item.file.name}</span>
                  </button>
                ) : null}
                {item.status === "error" && item.error === "files.errorNetwork" ? (
                  <button type="button" className="btn btn-small" onClick={() => void start(item)}>
                    {t("files.retryUpload")}
                    <span className="sr-only"> {item.file.name}</span>
                  </button>
                ) : null}
                {item.status === "conflict" ? (
                  <>
                    {item.canVersion ? (
                      <button type="button" className="btn btn-small" onClick={() => void start(item, "version")}>
                        {t("files.asNewVersion")}
                      </button>
                    ) : null}
                    <button type="button" className="btn btn-small" onClick={() => void start(item, "copy")}>
                      {t("files.keepBoth")}
                    </button>
                    <button type="button" className="btn btn-ghost btn-small" onClick={() => cancel(item)}>
                      {t("common.cancel")}
                    </button>
                  </>
                ) : null}
              </div>
            </li>
          );
        })}
      </ul>
      <div className="sr-only" aria-live="polite">
        {announcement}
      </div>
    </section>
  );
});

