import type { ActionFunctionArgs } from "@remix-run/node";
import { newId } from "#db/ids.ts";
import { transact } from "#db/transact.ts";
import { changePhoto } from "#app/accounts/commands.server.ts";
import { deletePhoto, processPhoto, storePhoto } from "#app/people/photo.server.ts";
import { acting } from "#app/utils/acting.server.ts";
import { requireSignedIn } from "#app/utils/auth.server.ts";
import { getDb } from "#app/utils/db.server.ts";
import { redirectWithFlash } from "#app/utils/http.server.ts";
import { getStorage } from "#app/utils/storage.server.ts";

const BACK = "/settings/profile";

/**
 * A new profile photo, or none. The sizes are stored first under a new id,
 * then the profile points at them in a transaction, and only then are the
 * old ones removed: no one ever sees a half-made photo, and a refused or
 * failed upload leaves the old photo as it was.
 */
export async function action({ request, context }: ActionFunctionArgs) {
  const signedIn = await requireSignedIn(request, context);
  const ctx = acting(signedIn, context);
  const userId = signedIn.user.id;
  const storage = getStorage();
  const form = await request.formData();

  if (form.get("intent") === "remove") {
    const { previous } = await transact(getDb(), (trx) => changePhoto(trx, ctx, null));
    if (previous) await deletePhoto(storage, userId, previous);
    return redirectWithFlash(BACK, { key: "photo.removed" });
  }

  const file = form.get("photo");
  if (!(file instanceof File) || file.size === 0) return redirectWithFlash(BACK, { kind: "error", key: "photo.error.empty" });
  const processed = await processPhoto(new Uint8Array(await file.arrayBuffer()));
  if (!processed.ok) return redirectWithFlash(BACK, { kind: "error", key: `photo.error.${processed.error}` });
  const photoId = newId();
  await storePhoto(storage, userId, photoId, processed.sizes);
  let previous: string | null;
  try {
    ({ previous } = await transact(getDb(), (trx) => changePhoto(trx, ctx, photoId)));
  } catch (error) {
    await deletePhoto(storage, userId, photoId).catch(() => undefined);
    throw error;
  }
  if (previous) await deletePhoto(storage, userId, previous);
  return redirectWithFlash(BACK, { key: "photo.saved" });
}
