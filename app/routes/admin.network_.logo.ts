import type { ActionFunctionArgs } from "@remix-run/node";
import { newId } from "#db/ids.ts";
import { transact } from "#db/transact.ts";
import { logoKey } from "#app/admin/logo.ts";
import { processLogo, storeLogo } from "#app/admin/logo.server.ts";
import { changeLogo } from "#app/admin/network.server.ts";
import { authorize } from "#app/policies/authorize.ts";
import { canManageAccounts } from "#app/policies/network.ts";
import { acting } from "#app/utils/acting.server.ts";
import { requireSignedIn } from "#app/utils/auth.server.ts";
import { getDb } from "#app/utils/db.server.ts";
import { notFound, redirectWithFlash } from "#app/utils/http.server.ts";
import { getStorage } from "#app/utils/storage.server.ts";
import { adminUrls } from "#app/urls.ts";

/**
 * A new logo for the network, or none. As with profile photos: the image is
 * stored first under a new id, then the network points at it in a
 * transaction (audited), and only then is the old one removed; a refused or
 * failed upload leaves the old logo as it was.
 */
export async function action({ request, context }: ActionFunctionArgs) {
  const ctx = acting(await requireSignedIn(request, context), context);
  authorize(canManageAccounts(ctx.actor));
  const storage = getStorage();
  const db = getDb();
  const form = await request.formData();
  const back = adminUrls.network;

  if (form.get("intent") === "remove") {
    const result = await transact(db, (trx) => changeLogo(trx, ctx, { logoKey: null }));
    if (!result.ok) notFound();
    if (result.previous) await storage.delete(result.previous).catch(() => undefined);
    return redirectWithFlash(back, { key: "admin.network.logoRemoved" });
  }

  const file = form.get("logo");
  if (!(file instanceof File) || file.size === 0) return redirectWithFlash(back, { kind: "error", key: "admin.network.logo.empty" });
  const processed = await processLogo(new Uint8Array(await file.arrayBuffer()));
  if (!processed.ok) return redirectWithFlash(back, { kind: "error", key: `admin.network.logo.${processed.error}` });
  const id = newId();
  const key = logoKey(id);
  await storeLogo(storage, id, processed.webp);
  let previous: string | null = null;
  try {
    const result = await transact(db, (trx) => changeLogo(trx, ctx, { logoKey: key }));
    if (!result.ok) throw new Response("Not Found", { status: 404 });
    previous = result.previous;
  } catch (error) {
    await storage.delete(key).catch(() => undefined);
    throw error;
  }
  if (previous) await storage.delete(previous).catch(() => undefined);
  return redirectWithFlash(back, { key: "admin.network.logoSaved" });
}
