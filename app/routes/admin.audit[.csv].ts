import type { LoaderFunctionArgs } from "@remix-run/node";
import { audit } from "#db/queries/audit.ts";
import { transact } from "#db/transact.ts";
import { auditCsvStream } from "#app/admin/audit-export.server.ts";
import { isMessageKey } from "#app/i18n/index.ts";
import { authorize } from "#app/policies/authorize.ts";
import { canViewAuditLog } from "#app/policies/network.ts";
import { acting } from "#app/utils/acting.server.ts";
import { requireSignedIn } from "#app/utils/auth.server.ts";
import { getDb } from "#app/utils/db.server.ts";
import { attachment } from "#app/utils/http.server.ts";
import { getTranslator } from "#app/utils/locale.server.ts";

/**
 * The audit log as CSV (app/admin/csv.ts: RFC 4180, a BOM for Excel, cells
 * that would run as formulas defused), streamed a batch at a time; the
 * page's event filter applies. The export itself is audited: the log leaves
 * the application with it.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const signedIn = await requireSignedIn(request, context);
  authorize(canViewAuditLog(signedIn.actor));
  const ctx = acting(signedIn, context);
  const eventParam = new URL(request.url).searchParams.get("event") ?? "";
  const event = /^[a-z_]{1,64}$/.test(eventParam) ? eventParam : undefined;
  const { t } = await getTranslator(request);
  const label = (e: string) => {
    const key = `audit.e.${e}`;
    return isMessageKey(key) ? t(key) : e;
  };
  const db = getDb();
  await transact(db, async (trx) => {
    await audit(trx, { event: "audit_exported", actorId: ctx.actor.id, ip: ctx.ip, data: event ? { filter: event } : {}, now: ctx.now });
    return { ok: true };
  });
  const day = new Date(ctx.now).toISOString().slice(0, 10);
  return new Response(auditCsvStream(db, { event, label }), {
    status: 200,
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": attachment(`cercle-journal-${day}.csv`),
      "X-Content-Type-Options": "nosniff",
      "Cache-Control": "private, no-store",
    },
  });
}
