import type { DetailedError } from "tus-js-client";
import { UploadRefused, type EditorFiles, type FileKind, type PickedFile } from "#app/editor/files.ts";
import { fileImageSrc, fileLinkHref } from "#app/editor/url.ts";
import { describeUploadError, readUploadErrorBody } from "./upload-errors.ts";
import { isRetryableStatus, UPLOAD_CHUNK_BYTES, UPLOAD_RETRY_DELAYS } from "./upload-options.ts";
import { filePickerUrl, uploadsUrl } from "#app/urls.ts";

/**
 * The space's files as the editor sees them (browser side): the picker's
 * search, and uploads with tus into the top of the space's files — under a
 * free name ("photo (2).png") when the name is taken, never as a new version
 * of somebody's file.
 */
export function spaceFiles(spaceSlug: string, formatSize: (n: number) => string): EditorFiles {
  return {
    async search(query: string, kind: FileKind, signal: AbortSignal) {
      const params = new URLSearchParams({ q: query, ...(kind === "image" ? { kind } : {}) });
      const res = await fetch(filePickerUrl(spaceSlug, params.toString()), { signal, headers: { Accept: "application/json" } });
      if (!res.ok) throw new Error(`file search answered ${res.status}`);
      return ((await res.json()) as { files: PickedFile[] }).files;
    },

    async upload(file: File, onProgress: (sent: number, total: number) => void, signal: AbortSignal) {
      const { Upload } = await import("tus-js-client");
      return new Promise<PickedFile>((resolve, reject) => {
        const upload = new Upload(file, {
          endpoint: uploadsUrl(spaceSlug),
          metadata: { filename: file.name, onConflict: "copy" },
          chunkSize: UPLOAD_CHUNK_BYTES,
          retryDelays: UPLOAD_RETRY_DELAYS,
          removeFingerprintOnSuccess: true,
          onShouldRetry: (error) => {
            const status = (error as DetailedError).originalResponse?.getStatus() ?? 0;
            // 409 here is only tus's offset mismatch: a name clash becomes a copy, never a refusal.
            return status === 409 || isRetryableStatus(status);
          },
          onProgress,
          onSuccess: ({ lastResponse }) => {
            const id = lastResponse.getHeader("Upload-File-Id");
            if (!id) return reject(new Error("the upload finished without a file id"));
            resolve({
              id,
              name: file.name,
              size: file.size,
              contentType: file.type,
              folder: null,
              thumbnail: null,
              src: fileImageSrc(id),
              href: fileLinkHref(id),
            });
          },
          onError: (error) => {
            const response = (error as DetailedError).originalResponse;
            const [key, params] = describeUploadError(response?.getStatus() ?? 0, readUploadErrorBody(response?.getBody()), formatSize);
            reject(new UploadRefused(key, params));
          },
        });
        signal.addEventListener("abort", () => void upload.abort(true), { once: true });
        upload.start();
      });
    },
  };
}
