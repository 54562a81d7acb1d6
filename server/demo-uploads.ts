import { Readable } from "node:stream";
import { Upload } from "@tus/utils";
import type { DB } from "#db/client.ts";
import { newId } from "#db/ids.ts";
import { createUpload, touchUpload } from "#db/queries/files.ts";
import type { Space, User } from "#db/schema.ts";
import { UPLOAD_TTL_MS } from "#app/files/reservations.server.ts";
import { getStorage } from "#app/utils/storage.server.ts";

/**
 * A member's upload left half-sent, as a laptop closed mid-transfer leaves
 * one: the tus upload exists in storage with part of its bytes, and its row
 * says how far it got, so the admins' "uploads under way" page has a real one
 * to show (and to cancel). It is what the tus endpoint makes of a POST and a
 * PATCH, done here without a server; it lapses and is swept like any other.
 */
export async function seedDemoUpload(db: DB, space: Space, uploader: User, now: number, workshop: string) {
  const name = `Enregistrement atelier négociation — ${workshop}.pdf`;
  const size = 12 * 1024 * 1024;
  const sent = Math.round(size * 0.38);
  const id = newId();
  const storage = getStorage();
  const store = storage.uploadStore();
  await store.create(new Upload({ id, size, offset: 0, metadata: { filename: name, onConflict: "" } }));
  await store.write(Readable.from(pdfLikeBytes(sent)), id, 0);
  await createUpload(db, { id, spaceId: space.id, folderId: null, userId: uploader.id, fileId: null, name, size, now, expiresAt: now + UPLOAD_TTL_MS });
  await touchUpload(db, id, { received: sent, now, expiresAt: now + UPLOAD_TTL_MS });
  return { id, name, size, sent };
}

/** A PDF's opening, then filler: what the first part of a large scanned document looks like on disk. */
function* pdfLikeBytes(length: number) {
  const head = Buffer.from("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n", "latin1");
  yield head;
  const chunk = Buffer.alloc(64 * 1024, 0x20);
  for (let left = length - head.length; left > 0; left -= chunk.length) yield left >= chunk.length ? chunk : chunk.subarray(0, left);
}
