import { z } from "zod";
import { optionalText, requiredLine } from "#app/utils/validation.ts";

/** The fields every page form posts; content is checked separately by processContent. */
export const pageFormSchema = z.object({
  title: requiredLine(200),
  content: z.string().max(2_000_000).optional(),
  summary: optionalText(200),
});

export function readPageForm(form: FormData) {
  return pageFormSchema.safeParse({
    title: form.get("title") ?? "",
    content: form.get("content") ?? undefined,
    summary: form.get("summary") ?? "",
  });
}
