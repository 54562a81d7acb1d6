import type { Locale, Workshop } from "#db/schema.ts";
import { findById as findUser } from "#db/queries/users.ts";
import type { TheirVersion } from "#app/components/edit-conflict.tsx";
import { translator } from "#app/i18n/index.ts";
import { getDb } from "#app/utils/db.server.ts";
import { diffText } from "#app/wiki/diff.ts";
import type { WorkshopFormValue } from "./form.server.ts";
import { workshopWhen } from "./mail.ts";
import { escapeHtml } from "#app/utils/html.ts";

/**
 * A stale edit refused (someone saved the workshop meanwhile): their version
 * as it now stands, and what differs between it and the writer's, in the
 * words a reader compares — title, when, where, seats, description. The
 * writer's own version stays in the form, to merge by hand.
 */
export async function workshopConflict(current: Workshop, mine: { form: WorkshopFormValue; text: string }, locale: Locale, readerZone: string): Promise<{ revision: number; theirs: TheirVersion; diff: ReturnType<typeof diffText> }> {
  const t = translator(locale);
  const facts = (w: { title: string; starts_at: number; ends_at: number; time_zone: string; place: string | null; video_url: string | null; capacity: number | null }, text: string) =>
    [
      w.title,
      `${t("workshops.when")} : ${workshopWhen(locale, w, readerZone)}`,
      `${t("workshops.where")} : ${[w.place, w.video_url].filter(Boolean).join(" · ") || "—"}`,
      `${t("workshops.capacityLabel")} : ${w.capacity ?? "—"}`,
      "",
      text,
    ].join("\n");
  const f = mine.form;
  const mineFacts = facts({ title: f.title, starts_at: f.startsAt, ends_at: f.endsAt, time_zone: f.timeZone, place: f.place, video_url: f.videoUrl, capacity: f.capacity }, mine.text);
  const theirsFacts = facts(current, current.description_text);
  const editor = current.updated_by ? await findUser(getDb(), current.updated_by) : undefined;
  const lines = theirsFacts.split("\n").slice(1, 4);
  return {
    revision: current.revision,
    theirs: {
      revision: current.revision,
      title: current.title,
      // Their facts as plain lines (escaped by React), then their description as its allow-listed HTML.
      html: `${lines.map((l) => `<p>${escapeHtml(l)}</p>`).join("")}${current.description_html}`,
      editor: editor?.display_name ?? "—",
      at: current.updated_at,
    },
    diff: diffText(theirsFacts, mineFacts),
  };
}
