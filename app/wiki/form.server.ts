import { z } from "zod";

/** The fields every page form posts; content is checked separately by processContent. */
export const pageFormSchema = z.object({
  title: z.string().trim().min(1, { error: "v.required" }).max(200, { error: "v.tooLong" }),
  content: z.string().max(2_000_000).optional(),
  summary: z.string().trim().max(200).default(""),
});

export function readPageForm(form: FormData) {
  return pageFormSchema.safeParse({
    title: form.get("title") ?? "",
    content: form.get("content") ?? undefined,
    summary: form.get("summary") ?? "",
  });
}
