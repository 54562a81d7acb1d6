import { Readable } from "node:stream";
import { createHash } from "node:crypto";
import type { Executor } from "#db/client.ts";
import { newId } from "#db/ids.ts";
import type { Space } from "#db/schema.ts";
import { photoKey, wikiImageKey } from "#storage/keys.ts";
import type { StorageDriver } from "#storage/types.ts";
import { addMember, createSpace, createUser, type TestUser } from "#tests/factories.ts";

/**
 * A member with every kind of data an export holds (Léa), and another member
 * (Paul) who shares a club, a conversation and a comment thread with her and
 * keeps his profile private: what must never come out of Léa's export is
 * marked PAUL-PRIVATE-… so a test can look for it in every byte.
 */

export const PAUL_PRIVATE = ["PAUL-PRIVATE-HEADLINE", "PAUL-PRIVATE-CITY", "paul.private@example.test", "PAUL-PRIVATE-BIO", "PAUL-PRIVATE-COMMENT", "PAUL-PRIVATE-FILE"];

export interface Seeded {
  lea: TestUser;
  paul: TestUser;
  club: Space;
  /** path in the zip → the bytes expected there. */
  files: Map<string, Buffer>;
}

const sha = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");
const lexical = (text: string) => JSON.stringify({ root: { children: [{ type: "paragraph", children: [{ type: "text", text }] }] } });

async function storeFile(
  db: Executor,
  storage: StorageDriver,
  input: { space: Space; user: TestUser; name: string; bytes: Buffer; folderId?: string | null; deleted?: boolean; contentType?: string; versions?: Buffer[] },
): Promise<string> {
  const fileId = newId();
  const now = Date.now();
  const all = [...(input.versions ?? []), input.bytes];
  await db
    .insertInto("file")
    .values({
      id: fileId,
      space_id: input.space.id,
      folder_id: input.folderId ?? null,
      name: input.name,
      name_key: input.name.toLowerCase(),
      version: all.length,
      size: input.bytes.length,
      content_type: input.contentType ?? "text/plain",
      has_thumbnail: 0,
      created_by: input.user.id,
      created_at: now,
      updated_by: input.user.id,
      updated_at: now,
      deleted_at: input.deleted ? now : null,
      deleted_by: input.deleted ? input.user.id : null,
      trashed_with: null,
    })
    .execute();
  for (const [i, bytes] of all.entries()) {
    const versionId = newId();
    const key = `objects/${versionId}`;
    await storage.put(key, Readable.from([bytes]));
    await db
      .insertInto("file_version")
      .values({
        id: versionId,
        file_id: fileId,
        space_id: input.space.id,
        number: i + 1,
        storage_key: key,
        size: bytes.length,
        content_type: input.contentType ?? "text/plain",
        sha256: sha(bytes),
        thumbnail_key: null,
        original_name: input.name,
        uploaded_by: input.user.id,
        created_at: now + i,
      })
      .execute();
  }
  return fileId;
}

export async function seedMember(db: Executor, storage: StorageDriver): Promise<Seeded> {
  const now = Date.now();
  const lea = await createUser(db, { displayName: "Léa Fontaine", email: "lea.fontaine@example.test", locale: "fr" });
  const paul = await createUser(db, { displayName: "Paul Mercier", email: "paul.private@example.test" });
  await db
    .updateTable("user")
    .set({ headline: "Consultante achats responsables", city: "Lyon", bio_html: "<p>Vingt ans d’achats publics.</p>", website: "https://lea.example.test" })
    .where("id", "=", lea.id)
    .execute();
  await db.insertInto("user_skill").values({ user_id: lea.id, skill_key: "negociation", label: "Négociation", position: 0 }).execute();
  // Paul hides everything he can.
  await db
    .updateTable("user")
    .set({ headline: "PAUL-PRIVATE-HEADLINE", city: "PAUL-PRIVATE-CITY", bio_html: "<p>PAUL-PRIVATE-BIO</p>", vis_headline: "me", vis_city: "me", vis_bio: "me", vis_email: "me" })
    .where("id", "=", paul.id)
    .execute();

  const club = await createSpace(db, { createdBy: paul.id, slug: "achats-export", name: "Club Achats", visibility: "secret" });
  await addMember(db, { space: club, user: lea, sponsor: paul });

  // Wiki: a page Léa created, and a revision she wrote.
  const pageId = newId();
  await db
    .insertInto("page")
    .values({
      id: pageId,
      space_id: club.id,
      parent_id: null,
      slug: "charte-achats",
      title: "Charte des achats",
      title_search: "charte des achats",
      position: 0,
      content_json: lexical("Nos engagements d’acheteurs."),
      content_html: "<p>Nos engagements d’acheteurs.</p>",
      content_text: "Nos engagements d’acheteurs.",
      revision: 1,
      created_by: lea.id,
      created_at: now,
      updated_by: lea.id,
      updated_at: now,
      deleted_at: null,
      deleted_by: null,
    })
    .execute();
  await db
    .insertInto("page_revision")
    .values({ id: newId(), page_id: pageId, number: 1, title: "Charte des achats", content_json: lexical("Nos engagements d’acheteurs."), content_text: "Nos engagements d’acheteurs.", summary: "Première version", author_id: lea.id, created_at: now })
    .execute();

  // An article of hers, commented by Paul (his comment must stay out) and by her.
  const postId = newId();
  await db
    .insertInto("post")
    .values({
      id: postId,
      space_id: club.id,
      slug: "retour-salon",
      title: "Retour du salon des achats",
      excerpt: "Ce que nous avons appris.",
      excerpt_auto: 0,
      cover_file_id: null,
      content_json: lexical("Trois tendances se dégagent."),
      content_html: "<p>Trois tendances se dégagent.</p>",
      content_text: "Trois tendances se dégagent.",
      state: "published",
      visibility: "space",
      publish_at: null,
      published_at: now,
      revision: 1,
      author_id: lea.id,
      created_at: now,
      updated_by: lea.id,
      updated_at: now,
      deleted_at: null,
      deleted_by: null,
    })
    .execute();
  await db.insertInto("post_tag").values({ post_id: postId, tag: "salon", label: "Salon" }).execute();
  const comment = (author: TestUser, text: string, at: number) => ({
    id: newId(),
    space_id: club.id,
    post_id: postId,
    page_id: null,
    ask_id: null,
    workshop_id: null,
    parent_id: null,
    author_id: author.id,
    body_json: lexical(text),
    body_html: `<p>${text}</p>`,
    body_text: text,
    created_at: at,
    edited_at: null,
    deleted_at: null,
    deleted_by: null,
  });
  const paulsComment = comment(paul, "PAUL-PRIVATE-COMMENT sur l’article", now + 1);
  await db.insertInto("comment").values([paulsComment, comment(lea, "Merci pour vos retours !", now + 2)]).execute();

  // An ask, thanking Paul.
  const askId = newId();
  await db
    .insertInto("ask")
    .values({
      id: askId,
      space_id: club.id,
      author_id: lea.id,
      kind: "expert",
      audience: "space",
      title: "Qui connaît les clauses environnementales ?",
      body_json: lexical("Je cherche un retour d’expérience."),
      body_html: "<p>Je cherche un retour d’expérience.</p>",
      body_text: "Je cherche un retour d’expérience.",
      region: "",
      deadline: null,
      closes_at: null,
      resolved_at: null,
      created_at: now,
      updated_at: now,
      deleted_at: null,
      deleted_by: null,
    })
    .execute();
  await db.insertInto("ask_thanks").values({ ask_id: askId, user_id: paul.id, created_at: now }).execute();

  // A workshop she registered for.
  const workshopId = newId();
  await db
    .insertInto("workshop")
    .values({
      id: workshopId,
      space_id: club.id,
      title: "Atelier sourcing local",
      state: "scheduled",
      starts_at: now + 86_400_000,
      ends_at: now + 90_000_000,
      time_zone: "Europe/Paris",
      place: "Lyon",
      video_url: null,
      outside_speaker: null,
      capacity: null,
      registration_closes_at: null,
      description_json: lexical("Sourcer près de chez soi."),
      description_html: "<p>Sourcer près de chez soi.</p>",
      description_text: "Sourcer près de chez soi.",
      cover_file_id: null,
      previous_id: null,
      notes_page_id: null,
      proposed_by: null,
      decided_by: null,
      decided_at: null,
      decline_reason: null,
      cancelled_at: null,
      cancel_reason: null,
      attendance_recorded_at: null,
      created_by: paul.id,
      created_at: now,
      updated_by: paul.id,
      updated_at: now,
      deleted_at: null,
      deleted_by: null,
    })
    .execute();
  await db.insertInto("workshop_registration").values({ workshop_id: workshopId, user_id: lea.id, status: "going", note: "Je viendrai avec une collègue.", arrival: 1, created_at: now, updated_at: now }).execute();

  // A conversation with Paul: both sides' messages are hers to keep; Paul only by name.
  const conversationId = newId();
  await db.insertInto("conversation").values({ id: conversationId, created_by: paul.id, created_at: now, last_message_at: now + 2 }).execute();
  await db
    .insertInto("conversation_member")
    .values([
      { conversation_id: conversationId, user_id: paul.id, joined_at: now, left_at: null, mailed_at: null },
      { conversation_id: conversationId, user_id: lea.id, joined_at: now, left_at: null, mailed_at: null },
    ])
    .execute();
  const message = (author: TestUser, text: string, at: number) => ({
    id: newId(),
    conversation_id: conversationId,
    author_id: author.id,
    body_json: lexical(text),
    body_html: `<p>${text}</p>`,
    body_text: text,
    created_at: at,
    deleted_at: null,
  });
  await db.insertInto("message").values([message(paul, "Bonjour Léa, on déjeune jeudi ?", now + 1), message(lea, "Avec plaisir, à jeudi.", now + 2)]).execute();

  // Settings and a notification.
  await db.insertInto("notification_choice").values({ user_id: lea.id, kind: "reply", delivery: "mail", updated_at: now }).execute();
  await db
    .insertInto("notification")
    .values({ id: newId(), user_id: lea.id, kind: "commentOnMine", space_id: club.id, owner_kind: "post", owner_id: postId, comment_id: paulsComment.id, actor_id: paul.id, created_at: now + 1, read_at: null })
    .execute();

  // Files: at the top, in a folder (two versions), in the trash, a hostile name; Paul's own file stays out.
  const files = new Map<string, Buffer>();
  const folderId = newId();
  await db
    .insertInto("folder")
    .values({ id: folderId, space_id: club.id, parent_id: null, name: "Appels d’offres 2026", name_key: "appels d’offres 2026", created_by: lea.id, created_at: now, updated_at: now, deleted_at: null, deleted_by: null, trashed_with: null })
    .execute();
  const budget = Buffer.from("Poste;Montant\nSalon;1200\n");
  await storeFile(db, storage, { space: club, user: lea, name: "budget.csv", bytes: budget, contentType: "text/csv" });
  files.set("files/Club Achats/budget.csv", budget);
  const v1 = Buffer.from("cahier des charges, première version");
  const v2 = Buffer.from("cahier des charges, version finale");
  await storeFile(db, storage, { space: club, user: lea, name: "cahier.txt", bytes: v2, versions: [v1], folderId });
  files.set("files/Club Achats/Appels d’offres 2026/cahier.txt", v2);
  files.set("files/Club Achats/Appels d’offres 2026/cahier (version 1).txt", v1);
  const old = Buffer.from("brouillon jeté");
  await storeFile(db, storage, { space: club, user: lea, name: "brouillon.txt", bytes: old, deleted: true });
  files.set("files-in-trash/Club Achats/brouillon.txt", old);
  const hostile = Buffer.from("nom piégé");
  await storeFile(db, storage, { space: club, user: lea, name: "../../etc/passwd", bytes: hostile });
  files.set("files/Club Achats/_.._etc_passwd", hostile);
  await storeFile(db, storage, { space: club, user: paul, name: "paul.txt", bytes: Buffer.from("PAUL-PRIVATE-FILE") });

  // A wiki image and her photo.
  const imageId = newId();
  const image = Buffer.from("GIF89a-image-de-lea");
  await storage.put(wikiImageKey(club.id, imageId), Readable.from([image]));
  await db.insertInto("wiki_image").values({ id: imageId, space_id: club.id, content_type: "image/gif", size: image.length, sha256: sha(image), uploaded_by: lea.id, created_at: now }).execute();
  files.set(`wiki-images/Club Achats/${imageId}.gif`, image);
  const photoId = newId();
  const photo = Buffer.from("RIFF-webp-photo-de-lea");
  await storage.put(photoKey(lea.id, photoId, "l"), Readable.from([photo]));
  await db.updateTable("user").set({ photo_id: photoId }).where("id", "=", lea.id).execute();
  files.set("photo/photo.webp", photo);

  return { lea, paul, club, files };
}
