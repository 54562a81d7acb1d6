import { z } from "zod";
import { ASK_AUDIENCES, ASK_KINDS } from "#db/schema.ts";
import { calendarDay, oneLineText, optionalText, parseSkillList, regionField, requiredLine } from "#app/utils/validation.ts";

/** An ask wants a few skills, not a profile's worth. */
export const MAX_ASK_SKILLS = 8;
export const MAX_ASK_TITLE = 160;

/**
 * The ask form, read alike by the page (conform) and the server. The text is
 * the comment editor's Lexical JSON, checked on the server by the comment
 * node list; the skills come as tags or, without the page's script, as one
 * comma-separated text (as on the profile). `updatedAt` is the version an
 * edit started from: a stale edit is refused, both versions shown.
 */
export const askSchema = z.object({
  kind: z.enum(ASK_KINDS, { error: "v.required" }),
  audience: z.enum(ASK_AUDIENCES, { error: "v.invalid" }).default("space"),
  title: requiredLine(MAX_ASK_TITLE),
  body: z.string().max(40_000, { error: "v.tooLong" }).default(""),
  skills: z.array(oneLineText(60)).default([]),
  skillsText: optionalText(2000),
  region: regionField,
  deadline: calendarDay,
  updatedAt: z.coerce.number().int().nonnegative().optional(),
});

export type AskForm = z.output<typeof askSchema>;

export function askSkillsOf(form: Pick<AskForm, "skills" | "skillsText">): string[] {
  return parseSkillList([...form.skills, form.skillsText].join(","));
}
