import { parseWithZod } from "@conform-to/zod/v4";
import type { AskFields } from "#db/queries/asks.ts";
import { instantFromLocal, localFromInstant } from "#app/blog/schedule.ts";
import { checkCommentContent } from "#app/editor/content-pool.server.ts";
import { askSchema, askSkillsOf, MAX_ASK_SKILLS } from "./form.ts";

/**
 * Reads an ask form into the fields the commands write, or the submission's
 * reply with each error beside its field. The text is checked here, in its
 * worker, before any transaction opens. The deadline is a day in the
 * author's time zone: the ask closes when that day ends there; a new
 * deadline cannot be in the past.
 */
export async function readAskForm(formData: FormData, options: { timeZone: string; now: number; keepDeadline?: string | null }) {
  const submission = parseWithZod(formData, { schema: askSchema });
  if (submission.status !== "success") return { ok: false as const, reply: submission.reply() };
  const v = submission.value;
  const refuse = (field: string, key: string) => ({ ok: false as const, reply: submission.reply({ fieldErrors: { [field]: [key] } }) });
  const skills = askSkillsOf(v);
  if (skills.length > MAX_ASK_SKILLS) return refuse("skills", "asks.error.tooManySkills");
  let closesAt: number | null = null;
  if (v.deadline) {
    const today = localFromInstant(options.now, options.timeZone).slice(0, 10);
    // An edit may keep a deadline already passed (reopening is the author's call); a new one is today or later.
    if (v.deadline < today && v.deadline !== options.keepDeadline) return refuse("deadline", "asks.error.pastDeadline");
    const endOfDay = instantFromLocal(`${v.deadline}T23:59:59`, options.timeZone);
    if (endOfDay === null) return refuse("deadline", "v.date");
    closesAt = endOfDay + 1000;
  }
  const body = await checkCommentContent(v.body);
  if (!body.ok) return refuse("body", body.error === "empty" ? "asks.error.emptyBody" : body.error === "bad_url" ? "asks.error.badUrl" : body.error === "too_large" ? "asks.error.tooLong" : "asks.error.body");
  const fields: AskFields = {
    kind: v.kind,
    audience: v.audience,
    title: v.title,
    body: { json: body.json, html: body.html, text: body.text },
    skills,
    region: v.region,
    deadline: v.deadline || null,
    closesAt,
  };
  return { ok: true as const, fields, updatedAt: v.updatedAt, submission };
}
