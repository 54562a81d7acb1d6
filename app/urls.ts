import type { OwnerKind } from "#db/owners.ts";

/**
 * Every address of a space, built in one place: routes, loaders, components
 * and mails call these instead of writing `/spaces/${…}` by hand, so a moved
 * route changes here only. Pure (no server imports): components use it too.
 *
 * Slugs, ids and tags go in as they are, as the hand-built strings always
 * put them: slugs and ids are made by the server from a safe alphabet, and
 * an address that changes its text would change links tests and users hold.
 * The two JSON endpoints the editor's plugins call encoded the space's slug
 * from the start, and still do.
 */

const space = (slug: string) => `/spaces/${slug}`;

// ---------------------------------------------------------------------------
// A space and its membership pages
// ---------------------------------------------------------------------------

export const spaceUrl = (slug: string) => space(slug);
export const inviteUrl = (slug: string) => `${space(slug)}/invite`;
export const membersUrl = (slug: string) => `${space(slug)}/members`;
export const mentionsUrl = (slug: string) => `/spaces/${encodeURIComponent(slug)}/members/mentions`;
export const approvalsUrl = (slug: string) => `${space(slug)}/approvals`;
export const settingsUrl = (slug: string) => `${space(slug)}/settings`;
/** The space's links shared outside it (issue 19); with an item, that item's links and the form to make one. */
export const sharesUrl = (slug: string, item?: { kind: "file" | "page"; id: string }) =>
  `${space(slug)}/shares${item ? `?${item.kind}=${encodeURIComponent(item.id)}` : ""}`;
/** What an outsider opens: the link itself, its download, an image of the shared page. */
export const sharedUrl = (token: string) => `/s/${token}`;
export const sharedDownloadUrl = (token: string) => `/s/${token}/download`;
export const sharedImageUrl = (token: string, kind: "files" | "wiki", id: string) => `/s/${token}/${kind}/${encodeURIComponent(id)}`;

// ---------------------------------------------------------------------------
// Wiki
// ---------------------------------------------------------------------------

export const wikiUrl = (slug: string) => `${space(slug)}/wiki`;
export const wikiNewUrl = (slug: string, parentId?: string) => `${wikiUrl(slug)}/new${parentId ? `?parent=${parentId}` : ""}`;
export const wikiTrashUrl = (slug: string) => `${wikiUrl(slug)}/trash`;
export const wikiImportUrl = (slug: string) => `${wikiUrl(slug)}/import`;
export const wikiExportUrl = (slug: string) => `${wikiUrl(slug)}/export`;
export const wikiTreeUrl = (slug: string, parentId: string) => `${wikiUrl(slug)}/tree?parent=${encodeURIComponent(parentId)}`;
export const wikiSearchUrl = (slug: string) => `/spaces/${encodeURIComponent(slug)}/wiki/search`;
export const wikiPageUrl = (slug: string, page: string) => `${wikiUrl(slug)}/${page}`;
export const wikiEditUrl = (slug: string, page: string) => `${wikiPageUrl(slug, page)}/edit`;
export const wikiHistoryUrl = (slug: string, page: string) => `${wikiPageUrl(slug, page)}/history`;
export const wikiMoveUrl = (slug: string, page: string) => `${wikiPageUrl(slug, page)}/move`;
export const wikiMarkdownUrl = (slug: string, page: string) => `${wikiPageUrl(slug, page)}/md`;

// ---------------------------------------------------------------------------
// Blog
// ---------------------------------------------------------------------------

export const blogUrl = (slug: string) => `${space(slug)}/blog`;
export const blogNewUrl = (slug: string) => `${blogUrl(slug)}/new`;
export const blogTrashUrl = (slug: string) => `${blogUrl(slug)}/trash`;
export const blogTagUrl = (slug: string, tag: string) => `${blogUrl(slug)}/tags/${tag}`;
export const postUrl = (slug: string, post: string) => `${blogUrl(slug)}/${post}`;
export const postEditUrl = (slug: string, post: string) => `${postUrl(slug, post)}/edit`;
export const postHistoryUrl = (slug: string, post: string) => `${postUrl(slug, post)}/history`;
export const postAutosaveUrl = (slug: string, post: string) => `${postUrl(slug, post)}/autosave`;
/** A space's blog as an Atom feed, for the holder of a feed token. */
export const spaceFeedUrl = (token: string, slug: string) => `/feeds/${token}/spaces/${slug}`;

// ---------------------------------------------------------------------------
// Files
// ---------------------------------------------------------------------------

export const filesUrl = (slug: string) => `${space(slug)}/files`;
/** A folder's listing; the top of the files for no folder. */
export const folderUrl = (slug: string, folderId: string | null) => (folderId ? `${filesUrl(slug)}/folders/${folderId}` : filesUrl(slug));
export const filesTrashUrl = (slug: string) => `${filesUrl(slug)}/trash`;
export const filesInProgressUrl = (slug: string) => `${filesUrl(slug)}/in-progress`;
/** The resumable-upload endpoint; with an id, one upload under way. */
export const uploadsUrl = (slug: string, uploadId?: string) => `${filesUrl(slug)}/uploads${uploadId !== undefined ? `/${uploadId}` : ""}`;
/** The editor's file picker (JSON); `query` is an already-built query string. */
export const filePickerUrl = (slug: string, query: string) => `${filesUrl(slug)}/pick?${query}`;
export const fileUrl = (slug: string, fileId: string) => `${filesUrl(slug)}/${fileId}`;
/** A file's bytes: the current version, or `version`; `inline` for the previews ("1") and the PDF frame ("frame"). */
export function fileDownloadUrl(slug: string, fileId: string, options: { version?: number; inline?: "1" | "frame" } = {}) {
  const query = [options.version !== undefined ? `version=${options.version}` : "", options.inline ? `inline=${options.inline}` : ""].filter(Boolean).join("&");
  return `${fileUrl(slug, fileId)}/download${query ? `?${query}` : ""}`;
}
export const fileThumbnailUrl = (slug: string, fileId: string, version: number) => `${fileUrl(slug, fileId)}/thumbnail?version=${version}`;

// ---------------------------------------------------------------------------
// Workshops
// ---------------------------------------------------------------------------

export const workshopsUrl = (slug: string) => `${space(slug)}/workshops`;
export const workshopNewUrl = (slug: string) => `${workshopsUrl(slug)}/new`;
export const workshopUrl = (slug: string, workshopId: string) => `${workshopsUrl(slug)}/${workshopId}`;
export const workshopEditUrl = (slug: string, workshopId: string) => `${workshopUrl(slug, workshopId)}/edit`;
/** The form for the next session of a workshop, filled from it. */
export const workshopNextUrl = (slug: string, workshopId: string) => `${workshopNewUrl(slug)}?from=${encodeURIComponent(workshopId)}`;
export const workshopsTrashUrl = (slug: string) => `${workshopsUrl(slug)}/trash`;
/** Going, maybe, not going (POST only). */
export const workshopRegistrationUrl = (slug: string, workshopId: string) => `${workshopUrl(slug, workshopId)}/registration`;
// Materials, attendance and notes (helper ws-notes).
/** Link, share, reorder, remove materials (POST only). */
export const workshopMaterialsUrl = (slug: string, workshopId: string) => `${workshopUrl(slug, workshopId)}/materials`;
export const workshopAttendanceUrl = (slug: string, workshopId: string) => `${workshopUrl(slug, workshopId)}/attendance`;
/** "Write up the notes" (POST only): makes the notes page, or opens it. */
export const workshopNotesUrl = (slug: string, workshopId: string) => `${workshopUrl(slug, workshopId)}/notes`;

// ---------------------------------------------------------------------------
// Asks (a club's, and the network's across clubs)
// ---------------------------------------------------------------------------

export const asksUrl = (slug: string) => `${space(slug)}/asks`;
export const askNewUrl = (slug: string) => `${asksUrl(slug)}/new`;
export const askUrl = (slug: string, askId: string) => `${asksUrl(slug)}/${askId}`;
export const askEditUrl = (slug: string, askId: string) => `${askUrl(slug, askId)}/edit`;
export const networkAsksUrl = "/asks";

// ---------------------------------------------------------------------------
// Private conversations
// ---------------------------------------------------------------------------

export const messagesUrl = "/messages";
export const conversationUrl = (id: string) => `/messages/${id}`;
/** A new conversation, to these members (ids). */
export const newConversationUrl = (to: readonly string[] = []) => `/messages/new${to.length ? `?${to.map((id) => `to=${encodeURIComponent(id)}`).join("&")}` : ""}`;
export const reportsUrl = "/admin/reports";
/** The network admin's console (issue 20). */
export const adminUrls = {
  root: "/admin",
  members: "/admin/members",
  spaces: "/admin/spaces",
  network: "/admin/network",
  security: "/admin/security",
  audit: "/admin/audit",
  auditCsv: "/admin/audit.csv",
  reports: "/admin/reports",
} as const;
export const adminMemberUrl = (id: string) => `/admin/members/${encodeURIComponent(id)}`;
/** Opening one of one's notifications: marks it read, then goes where it leads. */
export const notificationUrl = (id: string) => `/notifications/${encodeURIComponent(id)}`;

// ---------------------------------------------------------------------------
// Comments, and what they (and file links, notifications…) are about
// ---------------------------------------------------------------------------

/** The comments endpoint; with an owner, GET answers that owner's comments. */
export const commentsUrl = (slug: string, owner?: { kind: OwnerKind; id: string }) =>
  `${space(slug)}/comments${owner ? `?${owner.kind}=${owner.id}` : ""}`;

/** Where an owner (a wiki page, an article, a workshop) is read, from its slug (a workshop's is its id). */
export function ownerUrl(slug: string, owner: { kind: OwnerKind; slug: string }): string {
  switch (owner.kind) {
    case "page":
      return wikiPageUrl(slug, owner.slug);
    case "post":
      return postUrl(slug, owner.slug);
    case "workshop":
      return workshopUrl(slug, owner.slug);
    case "ask":
      return askUrl(slug, owner.slug);
  }
}

// ---------------------------------------------------------------------------
// Workshops' calendars: the workshop's calendar file, the personal subscription
// ---------------------------------------------------------------------------

/** The workshop as an iCalendar file: the address ends in ".ics", as calendars expect. */
export const workshopIcsUrl = (slug: string, workshop: string) => `${workshopUrl(slug, workshop)}.ics`;
/** A member's own calendar subscription (every workshop of theirs), for the holder of their calendar token. */
export const calendarFeedUrl = (token: string) => `/calendar/${token}.ics`;

// ---------------------------------------------------------------------------
// People: the network's directory, profiles and their photos
// ---------------------------------------------------------------------------

export const peopleUrl = (query?: string) => `/people${query ? `?${query}` : ""}`;
export const personUrl = (memberId: string) => `/people/${encodeURIComponent(memberId)}`;
/** "See my profile as…": the member's own profile as a peer of one of their clubs, or another network member, sees it. */
export const personPreviewUrl = (memberId: string, as: "club" | "network") => `${personUrl(memberId)}?as=${as}`;
/** A photo's size: `s` (128 px, lists and cards) or `l` (400 px, the profile). The id changes with each new photo. */
export const photoUrl = (memberId: string, photoId: string, size: "s" | "l") => `${personUrl(memberId)}/photo/${encodeURIComponent(photoId)}/${size}`;
export const skillSuggestionsUrl = (prefix: string) => `/people/skills?q=${encodeURIComponent(prefix)}`;
