import type { MessageKey } from "#app/i18n/index.ts";

/** The server's refusal of an upload (its status and JSON body), in the words of the i18n catalogue. */
export function describeUploadError(
  status: number,
  body: { error?: string; remainingBytes?: number; maxBytes?: number },
  formatSize: (n: number) => string,
): [MessageKey, Record<string, string>?] {
  if (body.error === "quota_exceeded") return ["files.errorQuota", { remaining: formatSize(body.remainingBytes ?? 0) }];
  if (body.error === "file_too_large" || status === 413) return ["files.errorTooLarge", { max: formatSize(body.maxBytes ?? 0) }];
  if (status === 403) return ["files.errorForbidden"];
  if (status === 404) return ["files.errorGone"];
  return ["files.errorNetwork"];
}

/** The JSON body of a refusal, or nothing when it is not one of ours (a proxy's page). */
export function readUploadErrorBody(text: string | undefined): { error?: string; remainingBytes?: number; maxBytes?: number; canVersion?: boolean } {
  try {
    const parsed: unknown = JSON.parse(text ?? "{}");
    return parsed && typeof parsed === "object" ? parsed : {};
  } catch {
    return {};
  }
}
