import type { Executor } from "#db/client.ts";
import type { Space, Workshop } from "#db/schema.ts";
import { listMaterials } from "#db/queries/workshop-materials.ts";
import { participantIds } from "#db/queries/workshop-attendance.ts";
import { liveNotesPage, setNotesPage } from "#db/queries/workshop-notes.ts";
import type { DerivedDocument } from "#app/editor/document.ts";
import { fileLinkHref } from "#app/editor/url.ts";
import type { Translate } from "#app/i18n/index.ts";
import { notify } from "#app/notifications/commands.server.ts";
import { canReadPages } from "#app/policies/page.ts";
import { actorOf } from "#app/policies/actor.ts";
import { createPage } from "#app/wiki/commands.server.ts";
import { followUpRefusal, type FollowUpActing, type FollowUpRefusal } from "./attendance.server.ts";

/**
 * "Write up the notes": a wiki page of the workshop's space, made from a
 * template through the wiki's own create command, linked both ways
 * (workshop.notes_page_id, and the page shows the workshop it records). The
 * wiki has no drafts, so the notes are published when the page is created:
 * that is when those who took part (going, or recorded as present) are told,
 * the writer left out. Asking again opens the same page.
 */

type Element = Record<string, unknown>;
const ELEMENT = { direction: null, format: "", indent: 0, version: 1 };
const text = (t: string): Element => ({ type: "text", text: t, format: 0, style: "", mode: "normal", detail: 0, version: 1 });
const paragraph = (...children: Element[]): Element => ({ type: "paragraph", ...ELEMENT, textFormat: 0, textStyle: "", children });
const heading = (t: string): Element => ({ type: "heading", tag: "h2", ...ELEMENT, children: [text(t)] });

export const NOTES_HEADINGS = ["workshops.notes.agenda", "workshops.notes.learned", "workshops.notes.resources", "workshops.notes.nextSteps"] as const;

/**
 * The template, as the editor would post it (Lexical JSON): the four headings
 * in the writer's language, an empty paragraph under each to type in, and
 * under "Resources" the workshop's materials already linked.
 */
export function notesTemplate(t: Translate, materials: ReadonlyArray<{ kind: "page" | "file"; id: string; title: string }>): string {
  const [agenda, learned, resources, nextSteps] = NOTES_HEADINGS.map((key) => heading(t(key)));
  const linked = materials.map((m) =>
    paragraph(
      m.kind === "page"
        ? { type: "page-link", pageId: m.id, ...ELEMENT, children: [text(m.title)] }
        : { type: "link", url: fileLinkHref(m.id), rel: null, target: null, title: null, ...ELEMENT, children: [text(m.title)] },
    ),
  );
  const children = [agenda, paragraph(), learned, paragraph(), resources, ...(linked.length ? linked : [paragraph()]), nextSteps, paragraph()];
  return JSON.stringify({ root: { type: "root", ...ELEMENT, children } });
}

/** The materials the template links, as the notes page names them. */
export async function templateMaterials(db: Executor, workshopId: string) {
  const rows = await listMaterials(db, workshopId);
  return rows.map((m) => (m.page_id !== null ? { kind: "page" as const, id: m.page_id, title: m.page_title ?? "" } : { kind: "file" as const, id: m.file_id ?? "", title: m.file_name ?? "" }));
}

/** Those told the notes are out: participants who may read the space's wiki, the writer left out. */
async function readersAmong(db: Executor, space: Space, ids: readonly string[], writerId: string) {
  const others = ids.filter((id) => id !== writerId);
  if (others.length === 0) return [];
  const rows = await db
    .selectFrom("user as u")
    .leftJoin("space_member as m", (j) => j.onRef("m.user_id", "=", "u.id").on("m.space_id", "=", space.id))
    .select(["u.id", "u.is_network_admin", "m.role"])
    .where("u.id", "in", others)
    .execute();
  return rows
    .filter((r) => canReadPages(actorOf(r), r.role ? { role: r.role } : null, space))
    .map((r) => r.id);
}

export async function writeNotes(
  trx: Executor,
  ctx: FollowUpActing,
  input: { workshop: Pick<Workshop, "id" | "title" | "state" | "starts_at">; title: string; content: DerivedDocument },
): Promise<{ ok: true; created: boolean; page: { id: string; slug: string }; mailIds: string[] } | FollowUpRefusal> {
  const refusal = followUpRefusal(input.workshop, ctx.now);
  if (refusal) return refusal;
  // Read under the write lock: two facilitators asking at once get one page.
  const current = await trx.selectFrom("workshop").select("notes_page_id").where("id", "=", input.workshop.id).executeTakeFirstOrThrow();
  const existing = await liveNotesPage(trx, ctx.space.id, current.notes_page_id);
  if (existing) return { ok: true, created: false, page: existing, mailIds: [] };
  const made = await createPage(trx, ctx, { title: input.title, parentId: null, content: input.content, summary: "" });
  // Without a parent, nothing can be missing.
  if (!made.ok) throw new Error("a top-level page could not be created");
  await setNotesPage(trx, input.workshop.id, made.page.id);
  const recipients = await readersAmong(trx, ctx.space, await participantIds(trx, input.workshop.id), ctx.user.id);
  const told = recipients.length
    ? await notify(trx, { kind: "workshopNotes", spaceId: ctx.space.id, owner: { kind: "workshop", id: input.workshop.id }, actorId: ctx.user.id, recipients, now: ctx.now })
    : { mailIds: [] };
  return { ok: true, created: true, page: { id: made.page.id, slug: made.page.slug }, mailIds: told.mailIds };
}
