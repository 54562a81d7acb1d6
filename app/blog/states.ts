import type { PostState } from "#db/schema.ts";

export type StateIntent = "publish" | "schedule" | "unpublish" | "draft";

/** Which changes of state make sense from each state. */
export const STATE_CHANGES: Record<PostState, readonly StateIntent[]> = {
  draft: ["publish", "schedule"],
  scheduled: ["publish", "schedule", "draft"],
  published: ["unpublish"],
  unpublished: ["publish", "schedule", "draft"],
};

export function isStateIntent(value: string): value is StateIntent {
  return value === "publish" || value === "schedule" || value === "unpublish" || value === "draft";
}
