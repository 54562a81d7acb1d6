import type { MessageKey } from "#app/i18n/index.ts";

/** The server's refusal of an upload (its status and JSON body), in the words of the i18n catalogue. */
export interface UploadErrorBody {
  error?: string;
  remainingBytes?: number;
  maxBytes?: number;
  heldBytes?: number;
  shareBytes?: number;
  canVersion?: boolean;
}

export function describeUploadError(status: number, body: UploadErrorBody, formatSize: (n: number) => string): [MessageKey, Record<string, string>?] {
  if (body.error === "disk_full" || status === 507) return ["files.errorDiskFull"];
  if (body.error === "uploads_pending") return ["files.errorUploadsPending", { held: formatSize(body.heldBytes ?? 0), share: formatSize(body.shareBytes ?? 0) }];
  if (body.error === "quota_exceeded") return ["files.errorQuota", { remaining: formatSize(body.remainingBytes ?? 0) }];
  if (body.error === "file_too_large" || status === 413) return ["files.errorTooLarge", { max: formatSize(body.maxBytes ?? 0) }];
  if (status === 403) return ["files.errorForbidden"];
  if (status === 404) return ["files.errorGone"];
  return ["files.errorNetwork"];
}

/** The JSON body of a refusal, or nothing when it is not one of ours (a proxy's page). */
export function readUploadErrorBody(text: string | undefined): UploadErrorBody {
  try {
    const parsed: unknown = JSON.parse(text ?? "{}");
    return parsed && typeof parsed === "object" ? parsed : {};
  } catch {
    return {};
  }
}
