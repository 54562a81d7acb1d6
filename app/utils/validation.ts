import { z } from "zod";
import { REGIONS, type Region } from "#db/profile-fields.ts";
import { skillKey } from "#db/text.ts";

// Messages are catalogue keys; the form shows them translated beside the field.
export const emailField = z
  .string({ error: "v.required" })
  .trim()
  .min(1, { error: "v.required" })
  .max(254, { error: "v.tooLong" })
  .pipe(z.email({ error: "v.email" }))
  .transform((e) => e.toLowerCase());

export const newPasswordField = z
  .string({ error: "v.required" })
  .min(12, { error: "v.passwordLength" })
  .max(128, { error: "v.passwordLength" });

/**
 * Control characters (C0, DEL, C1) and the Unicode line and paragraph
 * separators. In a one-line field they only serve to forge lines — in the
 * operators' console, in a mail subject, in a log — or to hide text.
 */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
/** The same, minus the line feed a multi-line text may hold. */
const CONTROL_BUT_LF = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029]/;

/** A one-line text field: trimmed, bounded, no control character (refused with a message saying so). */
export const oneLineText = (max: number) =>
  z
    .string({ error: "v.required" })
    .trim()
    .max(max, { error: "v.tooLong" })
    .refine((s) => !CONTROL.test(s), { error: "v.oneLine" });

/** A one-line text that may not be empty: names, titles. */
export const requiredLine = (max: number) => oneLineText(max).refine((s) => s.length > 0, { error: "v.required" });

export const nameField = requiredLine(100);

export const optionalText = (max: number) => oneLineText(max).default("");

/**
 * A multi-line text (a bio, a recommendation, a message): browsers send line
 * breaks as CRLF, kept as LF; any other control character is refused.
 */
export const multilineText = (max: number, tooLong: "v.tooLong" | "blog.excerptTooLong" = "v.tooLong") =>
  z
    .string()
    .transform((s) => s.replace(/\r\n/g, "\n").trim())
    .pipe(
      z
        .string()
        .max(max, { error: tooLong })
        .refine((s) => !CONTROL_BUT_LF.test(s), { error: "v.controlChars" }),
    )
    .default("");

/** Adds a new password typed twice to a form's fields. */
export function withNewPassword<T extends z.ZodRawShape>(shape: T) {
  return z
    .object({ ...shape, password: newPasswordField, confirm: z.string({ error: "v.required" }) })
    .refine((v) => (v as { password: string }).password === (v as { confirm: string }).confirm, {
      path: ["confirm"],
      error: "v.passwordMatch",
    });
}

export const slugField = z
  .string({ error: "v.required" })
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9](?:[a-z0-9-]{0,46}[a-z0-9])$/, { error: "v.slug" });

const SLUG_LENGTH = 48;

/**
 * "Club Achats & Supply chain" → "club-achats-supply-chain". A long title is
 * cut after its last whole word that fits (an address ending in "negocia" reads
 * as a typo); only a word longer than half the room is cut inside.
 */
export function slugify(text: string): string {
  const full = text
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  if (full.length <= SLUG_LENGTH) return full;
  // One character more: a word that ends exactly at the limit is whole.
  const room = full.slice(0, SLUG_LENGTH + 1);
  const lastBreak = room.lastIndexOf("-");
  return (lastBreak >= SLUG_LENGTH / 2 ? room.slice(0, lastBreak) : room.slice(0, SLUG_LENGTH)).replace(/-+$/g, "");
}

/** "Achats, supply chain ,achats, Négociation, negociation" → ["Achats", "supply chain", "Négociation"]: trimmed, de-duplicated ignoring case and accents. */
export function parseSkillList(text: string): string[] {
  const seen = new Set<string>();
  const skills: string[] = [];
  for (const raw of text.split(",")) {
    const skill = raw.trim().replace(/\s+/g, " ").slice(0, 60);
    // "Négociation" and "negociation" are one skill: the first spelling is kept.
    const key = skillKey(skill);
    if (key && !seen.has(key)) {
      seen.add(key);
      skills.push(skill);
    }
  }
  return skills;
}

/** A calendar day as a date input sends it ("2027-01-15"), or nothing; 31 February is refused. */
export const calendarDay = z
  .string()
  .trim()
  .default("")
  .refine((s) => s === "" || (/^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s)), {
    error: "v.date",
  });

/** A code of REGIONS, or "" for none. */
export const regionField = z
  .string()
  .default("")
  .refine((r): r is Region | "" => r === "" || (REGIONS as readonly string[]).includes(r), { error: "v.invalid" })
  .transform((r) => r as Region | "");
