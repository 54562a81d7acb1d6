import { z } from "zod";
import { JOIN_POLICIES, SPACE_KINDS, VISIBILITIES } from "#db/schema.ts";
import type { SpaceInput } from "#db/queries/spaces.ts";
import { multilineText, nameField, slugField } from "./validation.ts";

/** The fields of a space, shared by "create a space" and its settings. */
export const spaceSchema = z.object({
  name: nameField,
  slug: slugField,
  kind: z.enum(SPACE_KINDS, { error: "v.invalid" }),
  description: multilineText(2000),
  visibility: z.enum(VISIBILITIES, { error: "v.invalid" }),
  joinPolicy: z.enum(JOIN_POLICIES, { error: "v.invalid" }),
  // Storage is the network's resource: only the network admin sends this field.
  quotaGb: z.coerce.number({ error: "v.quota" }).min(0.1, { error: "v.quota" }).max(10_000, { error: "v.quota" }).optional(),
});

export type SpaceFormValue = z.infer<typeof spaceSchema>;

export function toSpaceInput(v: SpaceFormValue): SpaceInput {
  return {
    name: v.name,
    slug: v.slug,
    kind: v.kind,
    description: v.description,
    visibility: v.visibility,
    joinPolicy: v.joinPolicy,
    storageQuotaBytes: v.quotaGb === undefined ? undefined : Math.round(v.quotaGb * 1024 ** 3),
  };
}
