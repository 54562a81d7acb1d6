import { describe, expect, test } from "vitest";
import { describeUploadError } from "#app/files/upload-errors.ts";
import { isRetryableStatus } from "#app/files/upload-options.ts";
import { en } from "#app/i18n/en.ts";
import { fr } from "#app/i18n/fr.ts";

const size = (n: number) => `${n} o`;

describe("the upload queue's words for a refusal", () => {
  test("507 disk_full: the server's disk is full, said in both languages", () => {
    const [key] = describeUploadError(507, { error: "disk_full" }, size);
    expect(key).toBe("files.errorDiskFull");
    expect(fr[key]).toMatch(/disque du serveur est plein/);
    expect(en[key]).toMatch(/server’s disk is full/);
  });

  test("507 is final, not retried in silence until the retries run out; other 5xx are retried", () => {
    expect(isRetryableStatus(507)).toBe(false);
    expect(isRetryableStatus(503)).toBe(true);
    expect(isRetryableStatus(500)).toBe(true);
  });

  test("uploads_pending: the member's own uploads under way hold their share", () => {
    const [key, params] = describeUploadError(413, { error: "uploads_pending", heldBytes: 600, shareBytes: 500 }, size);
    expect(key).toBe("files.errorUploadsPending");
    expect(params).toEqual({ held: "600 o", share: "500 o" });
    expect(fr[key]).toContain("{held}");
    expect(en[key]).toContain("{share}");
  });
});
