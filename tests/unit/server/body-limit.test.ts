import { expect, test } from "vitest";
import { BODY_LIMITS, bodyLimitFor } from "#server/body-limit.ts";

test.each([
  ["/login", BODY_LIMITS.form],
  ["/forgot-password", BODY_LIMITS.form],
  ["/spaces/atelier/settings", BODY_LIMITS.form],
  ["/spaces/atelier/wiki/import", BODY_LIMITS.markdown],
  ["/spaces/atelier/wiki/import.data", BODY_LIMITS.markdown],
  ["/spaces/atelier/wiki/new", BODY_LIMITS.richText],
  ["/spaces/atelier/wiki/une-page/edit", BODY_LIMITS.richText],
  ["/spaces/atelier/wiki/une-page/edit.data", BODY_LIMITS.richText],
  ["/spaces/atelier/blog/new", BODY_LIMITS.richText],
  ["/spaces/atelier/blog/un-article/edit", BODY_LIMITS.richText],
  ["/spaces/atelier/blog/un-article/autosave", BODY_LIMITS.richText],
  ["/spaces/atelier/comments", BODY_LIMITS.comment],
  // Near misses fall back to the small limit.
  ["/spaces/atelier/wiki/une-page/edit/more", BODY_LIMITS.form],
  ["/spaces/atelier/wiki/une-page", BODY_LIMITS.form],
  ["/spaces/atelier/wiki/import-x", BODY_LIMITS.form],
])("%s: %i bytes", (path, limit) => {
  expect(bodyLimitFor(path)).toBe(limit);
});

test("the tus upload route and everything below it keep tus's own limits", () => {
  expect(bodyLimitFor("/spaces/atelier/files/uploads")).toBeNull();
  expect(bodyLimitFor("/spaces/atelier/files/uploads/abc123")).toBeNull();
  expect(bodyLimitFor("/spaces/atelier/files/uploadsx")).toBe(BODY_LIMITS.form);
});
