import type { ActionFunctionArgs } from "@remix-run/node";
import { liveNotesPage } from "#db/queries/workshop-notes.ts";
import { transact } from "#db/transact.ts";
import { checkDocument } from "#app/editor/content-pool.server.ts";
import { translator } from "#app/i18n/index.ts";
import { send } from "#app/mail/outbox.server.ts";
import { acting } from "#app/utils/acting.server.ts";
import { getDb } from "#app/utils/db.server.ts";
import { forbidden, redirectWithFlash } from "#app/utils/http.server.ts";
import { getLocale } from "#app/utils/locale.server.ts";
import { wikiEditUrl, workshopUrl } from "#app/urls.ts";
import { followUpRefusal } from "#app/workshops/attendance.server.ts";
import { loadFollowUp } from "#app/workshops/followup.server.ts";
import { notesTemplate, templateMaterials, writeNotes } from "#app/workshops/notes.server.ts";

/** The wiki's bound on a page title (app/wiki/form.server.ts). */
const TITLE_MAX = 200;

/**
 * "Write up the notes" (POST): once the workshop has started, its
 * facilitators or the space's admins get a wiki page made from the template,
 * in their own language, and land in its editor; asking again opens the same
 * page. Anyone else: 403; another space's id: 404; before the start, or for
 * a cancelled workshop: back to the workshop with the reason, nothing made.
 */
export async function action({ request, params, context }: ActionFunctionArgs) {
  const ctx = await loadFollowUp(request, params, context);
  if (!ctx.mayEdit) forbidden();
  const { space, workshop } = ctx;
  const back = workshopUrl(space.slug, workshop.id);
  const refusal = followUpRefusal(workshop, Date.now());
  if (refusal) return redirectWithFlash(back, { kind: "error", key: refusal.error });
  const db = getDb();
  const existing = await liveNotesPage(db, space.id, workshop.notes_page_id);
  if (existing) return redirectWithFlash(wikiEditUrl(space.slug, existing.slug), { kind: "info", key: "workshops.notes.alreadyWritten" });

  const t = translator(await getLocale(request, context));
  // Checked and derived as any save is, outside the transaction (the content pool's rule).
  const content = await checkDocument(notesTemplate(t, await templateMaterials(db, workshop.id)));
  if (!content.ok) throw new Error(`the notes template was refused: ${content.error}`);
  const title = t("workshops.notes.pageTitle", { title: workshop.title }).slice(0, TITLE_MAX);
  const done = await transact(db, (trx) => writeNotes(trx, acting(ctx, context), { workshop, title, content }));
  if (!done.ok) return redirectWithFlash(back, { kind: "error", key: done.error });
  send(done.mailIds);
  return redirectWithFlash(wikiEditUrl(space.slug, done.page.slug), { key: done.created ? "workshops.notes.created" : "workshops.notes.alreadyWritten" });
}

export function loader() {
  return new Response("Method Not Allowed", { status: 405, headers: { Allow: "POST" } });
}
