import { z } from "zod";
import { AUDIENCES, LANGUAGES, LISTINGS, OPEN_TO_NAMES, PROFILE_FIELD_NAMES, SECTORS, type ProfileField } from "#db/profile-fields.ts";
import { LOCALES, PROFESSIONAL_STATUSES } from "#db/schema.ts";
import { isTimeZone } from "#app/blog/schedule.ts";
import { calendarDay, nameField, oneLineText, optionalText, parseSkillList, regionField } from "#app/utils/validation.ts";

export const MAX_SKILLS = 30;

/** An https address or nothing; anything else is refused with a message (never silently dropped). */
const httpsLink = (check?: (url: URL) => boolean, error: "v.httpsOnly" | "v.linkedin" = "v.httpsOnly") =>
  oneLineText(300)
    .default("")
    .refine((s) => {
      if (s === "") return true;
      try {
        const url = new URL(s);
        return url.protocol === "https:" && url.hostname.includes(".") && !url.username && !url.password && (check ? check(url) : true);
      } catch {
        return false;
      }
    }, { error });

const isLinkedIn = (url: URL) => url.hostname === "linkedin.com" || url.hostname.endsWith(".linkedin.com");

const audience = z.enum(AUDIENCES, { error: "v.invalid" });

/**
 * The profile form. The skills come as one hidden input per tag (the tag
 * field) or, before the page's script runs, as one comma-separated text
 * (skillsText); both are merged. The bio is the comment editor's Lexical
 * JSON, checked on the server by the comment profile.
 */
export const profileSchema = z.object({
  displayName: nameField,
  headline: optionalText(140),
  bio: z.string().max(40_000, { error: "v.tooLong" }).default(""),
  skills: z.array(oneLineText(60)).default([]),
  skillsText: optionalText(2000),
  sectors: z.array(z.enum(SECTORS, { error: "v.invalid" })).default([]),
  region: regionField,
  city: optionalText(100),
  professionalStatus: z.enum(PROFESSIONAL_STATUSES).or(z.literal("")).default(""),
  languages: z.array(z.enum(LANGUAGES, { error: "v.invalid" })).default([]),
  website: httpsLink(),
  linkedin: httpsLink(isLinkedIn, "v.linkedin"),
  openTo: z.array(z.enum(OPEN_TO_NAMES, { error: "v.invalid" })).default([]),
  availableFrom: calendarDay,
  listing: z.enum(LISTINGS, { error: "v.invalid" }),
  vis: z.object(Object.fromEntries(PROFILE_FIELD_NAMES.map((f) => [f, audience])) as Record<ProfileField, typeof audience>),
  locale: z.enum(LOCALES, { error: "v.invalid" }),
  timeZone: z.string().refine(isTimeZone, { error: "v.invalid" }),
});

export type ProfileForm = z.output<typeof profileSchema>;

/** The tags and the typed list, as one list of distinct skills (by their folded key, in order). */
export function skillsOf(form: Pick<ProfileForm, "skills" | "skillsText">): string[] {
  return parseSkillList([...form.skills, form.skillsText].join(","));
}
