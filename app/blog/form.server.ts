import { z } from "zod";
import { multilineText, optionalText, requiredLine } from "#app/utils/validation.ts";
import { MAX_EXCERPT_LENGTH } from "./excerpt.ts";
import { MAX_TAG_LENGTH } from "./tags.ts";

/** The fields every article form posts; content is checked separately (checkDocument), tags, cover and visibility by the commands. */
export const postFormSchema = z.object({
  title: requiredLine(200),
  content: z.string().max(2_000_000).optional(),
  excerpt: multilineText(MAX_EXCERPT_LENGTH, "blog.excerptTooLong"),
  coverFileId: z.string().max(40).default(""),
  tags: optionalText(MAX_TAG_LENGTH * 12),
  visibility: z.enum(["space", "network"]).default("space"),
  summary: optionalText(200),
});

export type PostForm = z.infer<typeof postFormSchema>;

export function readPostForm(form: FormData) {
  const field = (name: string) => {
    const value = form.get(name);
    return typeof value === "string" ? value : undefined;
  };
  return postFormSchema.safeParse({
    title: field("title") ?? "",
    content: field("content"),
    excerpt: field("excerpt"),
    coverFileId: field("coverFileId"),
    tags: field("tags"),
    visibility: field("visibility"),
    summary: field("summary"),
  });
}
