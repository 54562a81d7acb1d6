import type { Executor } from "#db/client.ts";
import * as q from "#db/queries/data-exports.ts";
import { photoKey, wikiImageKey } from "#storage/keys.ts";
import { askUrl, ownerUrl, postUrl, spaceUrl, wikiPageUrl as pageUrl, workshopUrl } from "#app/urls.ts";
import { actorOf } from "#app/policies/actor.ts";
import { entryName, fileEntryPath, uniquePaths } from "./paths.ts";

/**
 * What a member's export holds (issue 19): their own data as JSON documents,
 * one per subject, and the list of their stored files to stream into the zip.
 * The rule for everyone else: a display name where the member's data names
 * them (a sponsor, a conversation's other members, who thanked), never a
 * profile field, an address, or words they wrote — except, in a conversation,
 * the messages the member read there, which are theirs to keep.
 *
 * The JSON is built in memory: it is the member's own writing, small beside
 * files; the files never are (zip.server.ts streams them).
 */

/** A file of the member's to copy from storage into the zip. */
export interface ExportFile {
  /** Its path inside the zip. */
  path: string;
  storageKey: string;
  size: number;
  contentType: string;
}

export interface ExportContent {
  /** name in the zip (e.g. "profile.json") → the document. */
  documents: Array<{ name: string; data: unknown }>;
  files: ExportFile[];
  /** Display name and language of the member, for the README. */
  displayName: string;
}

/** Addresses in the documents are absolute: the zip outlives the app's page it came from. */
export async function gatherExport(db: Executor, input: { userId: string; baseUrl: URL; now: number }): Promise<ExportContent> {
  const { userId } = input;
  const link = (path: string) => new URL(path, input.baseUrl).toString();
  const iso = (ms: number | null | undefined) => (ms === null || ms === undefined ? null : new Date(ms).toISOString());

  const user = await q.exportProfile(db, userId);
  const skills = await q.exportSkills(db, userId);
  const files: ExportFile[] = [];

  if (user.photo_id) {
    files.push({ path: "photo/photo.webp", storageKey: photoKey(user.id, user.photo_id, "l"), size: -1, contentType: "image/webp" });
  }

  const profile = {
    id: user.id,
    email: user.email,
    display_name: user.display_name,
    headline: user.headline,
    bio: user.bio_html,
    skills: skills.map((s) => s.label),
    sectors: parseList(user.sectors),
    languages: parseList(user.languages),
    region: user.region,
    city: user.city,
    professional_status: user.professional_status,
    website: user.website,
    linkedin: user.linkedin,
    open_to: user.open_to,
    available_from: user.available_from,
    photo: user.photo_id ? "photo/photo.webp" : null,
    network_admin: actorOf(user).isNetworkAdmin,
    member_since: iso(user.created_at),
    updated_at: iso(user.updated_at),
  };

  const memberships = {
    clubs: (await q.exportMemberships(db, userId)).map((m) => ({ club: m.space, address: link(spaceUrl(m.space_slug)), role: m.role, joined_at: iso(m.joined_at), co_opted_by: m.sponsor })),
    requests_to_join: (await q.exportJoinRequests(db, userId)).map((r) => ({
      club: r.space,
      message: r.message,
      status: r.status,
      asked_at: iso(r.created_at),
      decided_at: iso(r.decided_at),
      reason: r.refusal_reason,
    })),
    co_optations_made: (await q.exportInvitations(db, userId)).map((i) => ({
      club: i.space,
      role: i.role,
      recommendation: i.message,
      status: i.status,
      made_at: iso(i.created_at),
      joined_as: i.accepted_by,
    })),
  };

  const revisions = await q.exportPageRevisions(db, userId);
  const wiki = {
    pages_created: (await q.exportPagesCreated(db, userId)).map((p) => ({
      title: p.title,
      club: p.space,
      address: link(pageUrl(p.space_slug, p.slug)),
      created_at: iso(p.created_at),
      in_trash: p.deleted_at !== null,
    })),
    revisions_written: revisions.map((r) => ({
      page: r.page_title,
      club: r.space,
      address: link(pageUrl(r.space_slug, r.page_slug)),
      revision: r.number,
      title: r.title,
      summary: r.summary,
      written_at: iso(r.created_at),
      text: r.content_text,
      content: safeJson(r.content_json),
    })),
  };

  const posts = await q.exportPosts(db, userId);
  const tags = await q.exportPostTags(
    db,
    posts.map((p) => p.id),
  );
  const postRevisions = await q.exportPostRevisions(db, userId);
  const articles = {
    articles: posts.map((p) => ({
      title: p.title,
      club: p.space,
      address: link(postUrl(p.space_slug, p.slug)),
      state: p.state,
      visibility: p.visibility,
      excerpt: p.excerpt,
      tags: tags.filter((t) => t.post_id === p.id).map((t) => t.label),
      created_at: iso(p.created_at),
      published_at: iso(p.published_at),
      scheduled_for: iso(p.publish_at),
      updated_at: iso(p.updated_at),
      in_trash: p.deleted_at !== null,
      text: p.content_text,
      html: p.content_html,
    })),
    revisions_written: postRevisions.map((r) => ({ article: r.post_title, revision: r.number, title: r.title, excerpt: r.excerpt, summary: r.summary, written_at: iso(r.created_at), text: r.content_text })),
  };

  const comments = (await q.exportComments(db, userId)).map((c) => {
    const on =
      c.post_id !== null
        ? { kind: "article", title: c.post_title, address: link(ownerUrl(c.space_slug, { kind: "post", slug: c.post_slug ?? "" })) }
        : c.page_id !== null
          ? { kind: "wiki page", title: c.page_title, address: link(ownerUrl(c.space_slug, { kind: "page", slug: c.page_slug ?? "" })) }
          : c.ask_id !== null
            ? { kind: "ask", title: c.ask_title, address: link(askUrl(c.space_slug, c.ask_id)) }
            : { kind: "workshop", title: c.workshop_title, address: link(workshopUrl(c.space_slug, c.workshop_id ?? "")) };
    return {
      on: { ...on, address: `${on.address}#comment-${c.id}`, club: c.space },
      is_a_reply: c.parent_id !== null,
      written_at: iso(c.created_at),
      edited_at: iso(c.edited_at),
      deleted_at: iso(c.deleted_at),
      text: c.body_text,
      html: c.body_html,
    };
  });

  const askRows = await q.exportAsks(db, userId);
  const askIds = askRows.map((a) => a.id);
  const askSkills = await q.exportAskSkills(db, askIds);
  const thanks = await q.exportAskThanks(db, askIds);
  const asks = askRows.map((a) => ({
    title: a.title,
    kind: a.kind,
    audience: a.audience,
    club: a.space,
    address: link(askUrl(a.space_slug, a.id)),
    text: a.body_text,
    skills_wanted: askSkills.filter((s) => s.ask_id === a.id).map((s) => s.label),
    region: a.region,
    deadline: a.deadline,
    asked_at: iso(a.created_at),
    updated_at: iso(a.updated_at),
    resolved_at: iso(a.resolved_at),
    removed_at: iso(a.deleted_at),
    thanked: thanks.filter((t) => t.ask_id === a.id).map((t) => t.display_name),
  }));

  const workshops = {
    registrations: (await q.exportRegistrations(db, userId)).map((r) => ({
      workshop: r.title,
      club: r.space,
      address: link(workshopUrl(r.space_slug, r.id)),
      starts_at: iso(r.starts_at),
      ends_at: iso(r.ends_at),
      time_zone: r.time_zone,
      workshop_state: r.state,
      answer: r.status,
      note: r.note,
      registered_at: iso(r.created_at),
      changed_at: iso(r.updated_at),
      came: r.attended !== null,
    })),
    proposed_or_scheduled: (await q.exportWorkshopsProposed(db, userId)).map((w) => ({
      workshop: w.title,
      club: w.space,
      address: link(workshopUrl(w.space_slug, w.id)),
      state: w.state,
      starts_at: iso(w.starts_at),
      description: w.description_text,
      created_at: iso(w.created_at),
    })),
  };

  const mine = await q.exportConversations(db, userId);
  const people = await q.exportConversationPeople(
    db,
    mine.map((c) => c.id),
  );
  const conversationList = [];
  for (const c of mine) {
    const messages = await q.exportMessages(db, { conversationId: c.id, from: c.joined_at, until: c.left_at });
    conversationList.push({
      with: people.filter((p) => p.conversation_id === c.id && p.user_id !== userId).map((p) => p.display_name),
      started_at: iso(c.created_at),
      joined_at: iso(c.joined_at),
      left_at: iso(c.left_at),
      muted: c.muted === 1,
      messages: messages.map((m) => ({
        from: m.author_id === userId ? "me" : (m.author ?? null),
        sent_at: iso(m.created_at),
        deleted: m.deleted_at !== null,
        text: m.deleted_at !== null ? "" : m.body_text,
      })),
    });
  }
  const conversations = {
    conversations: conversationList,
    contact_requests: (await q.exportContactRequests(db, userId)).map((r) =>
      r.from_id === userId
        ? { direction: "sent", to: r.to_name, state: r.state, at: iso(r.created_at), decided_at: iso(r.decided_at) }
        : { direction: "received", from: r.from_name, state: r.state, at: iso(r.created_at), decided_at: iso(r.decided_at) },
    ),
  };

  const settings = {
    language: user.locale,
    time_zone: user.time_zone,
    directory_listing: user.listing,
    who_sees_each_field: {
      photo: user.vis_photo,
      headline: user.vis_headline,
      bio: user.vis_bio,
      skills: user.vis_skills,
      sectors: user.vis_sectors,
      region: user.vis_region,
      city: user.vis_city,
      status: user.vis_status,
      languages: user.vis_languages,
      links: user.vis_links,
      open_to: user.vis_open_to,
      email: user.vis_email,
    },
    who_may_write: user.contact_policy,
    digest: user.digest_frequency,
    notification_choices: (await q.exportNotificationChoices(db, userId)).map((c) => ({ kind: c.kind, delivery: c.delivery, changed_at: iso(c.updated_at) })),
    club_levels: (await q.exportClubLevels(db, userId)).map((l) => ({ club: l.space, level: l.level, changed_at: iso(l.updated_at) })),
    blocked: (await q.exportBlocks(db, userId)).map((b) => ({ member: b.display_name, since: iso(b.created_at) })),
    private_feed_address_made: user.feed_token_hash !== null,
    calendar_address_made: user.calendar_token_hash !== null,
  };

  const notifications = (await q.exportNotifications(db, userId)).map((n) => ({
    kind: n.kind,
    club: n.space,
    about: n.post_title ?? n.page_title ?? n.ask_title ?? n.workshop_title ?? (n.owner_kind === "space" ? n.space : null),
    from: n.from,
    at: iso(n.created_at),
    read_at: iso(n.read_at),
  }));

  // Files: each version the member uploaded, named as in the club (its folders), the trash apart.
  const versions = await q.exportFileVersions(db, userId);
  const spaceIds = (await q.exportFolderSpaces(db, [...new Set(versions.map((v) => v.file_id))])).map((s) => s.space_id);
  const folders = new Map((await q.exportFolders(db, spaceIds)).map((f) => [f.id, f]));
  const folderPath = (id: string | null): string[] => {
    const names: string[] = [];
    const seen = new Set<string>();
    for (let at = id; at !== null && !seen.has(at); ) {
      seen.add(at);
      const folder = folders.get(at);
      if (!folder) break;
      names.unshift(folder.name);
      at = folder.parent_id;
    }
    return names;
  };
  const wanted = versions.map((v) =>
    fileEntryPath({
      top: v.deleted_at === null ? "files" : "files-in-trash",
      club: v.space,
      folders: folderPath(v.folder_id),
      name: v.name,
      version: v.number === v.current_version ? null : v.number,
    }),
  );
  const paths = uniquePaths(wanted);
  const fileManifest = versions.map((v, i) => {
    files.push({ path: paths[i], storageKey: v.storage_key, size: v.size, contentType: v.content_type });
    return {
      path: paths[i],
      name: v.name,
      club: v.space,
      folder: folderPath(v.folder_id).join("/"),
      version: v.number,
      current_version: v.number === v.current_version,
      in_trash: v.deleted_at !== null,
      size: v.size,
      type: v.content_type,
      sha256: v.sha256,
      uploaded_at: iso(v.created_at),
      name_when_uploaded: v.original_name,
    };
  });
  const images = await q.exportWikiImages(db, userId);
  const imagePaths = uniquePaths(images.map((img) => `wiki-images/${entryName(img.space)}/${img.id}${extensionOf(img.content_type)}`));
  const imageManifest = images.map((img, i) => {
    files.push({ path: imagePaths[i], storageKey: wikiImageKey(img.space_id, img.id), size: img.size, contentType: img.content_type });
    return { path: imagePaths[i], club: img.space, size: img.size, type: img.content_type, sha256: img.sha256, uploaded_at: iso(img.created_at) };
  });

  const meta = { made_at: iso(input.now), network_address: input.baseUrl.origin, member: user.display_name, format: 1 };
  return {
    displayName: user.display_name,
    files,
    documents: [
      { name: "export.json", data: meta },
      { name: "profile.json", data: profile },
      { name: "memberships.json", data: memberships },
      { name: "wiki.json", data: wiki },
      { name: "articles.json", data: articles },
      { name: "comments.json", data: comments },
      { name: "asks.json", data: asks },
      { name: "workshops.json", data: workshops },
      { name: "conversations.json", data: conversations },
      { name: "settings.json", data: settings },
      { name: "notifications.json", data: notifications },
      { name: "files.json", data: { files: fileManifest, wiki_images: imageManifest } },
    ],
  };
}

function parseList(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return [];
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

const EXTENSIONS: Record<string, string> = { "image/png": ".png", "image/jpeg": ".jpg", "image/gif": ".gif", "image/webp": ".webp", "image/avif": ".avif", "image/svg+xml": ".svg" };
const extensionOf = (type: string) => EXTENSIONS[type] ?? "";
