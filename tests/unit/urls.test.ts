import { describe, expect, test } from "vitest";
import {
  approvalsUrl,
  blogTagUrl,
  commentsUrl,
  fileDownloadUrl,
  fileThumbnailUrl,
  folderUrl,
  mentionsUrl,
  ownerUrl,
  postEditUrl,
  spaceFeedUrl,
  spaceUrl,
  uploadsUrl,
  wikiHistoryUrl,
  wikiNewUrl,
  wikiPageUrl,
  wikiSearchUrl,
  wikiTreeUrl,
} from "#app/urls.ts";

// The addresses as the routes answer them (app/routes/*), written out in full:
// a change here is a change of the app's addresses, which links already sent
// by mail and bookmarks hold.
describe("app/urls.ts", () => {
  test("a space and its pages", () => {
    expect(spaceUrl("club-photo")).toBe("/spaces/club-photo");
    expect(approvalsUrl("club-photo")).toBe("/spaces/club-photo/approvals");
    expect(wikiPageUrl("club-photo", "reglement-interieur")).toBe("/spaces/club-photo/wiki/reglement-interieur");
    expect(wikiHistoryUrl("club-photo", "reglement-interieur")).toBe("/spaces/club-photo/wiki/reglement-interieur/history");
    expect(wikiNewUrl("club-photo")).toBe("/spaces/club-photo/wiki/new");
    expect(wikiNewUrl("club-photo", "p1")).toBe("/spaces/club-photo/wiki/new?parent=p1");
    expect(postEditUrl("club-photo", "sortie-de-mars")).toBe("/spaces/club-photo/blog/sortie-de-mars/edit");
    expect(blogTagUrl("club-photo", "argentique")).toBe("/spaces/club-photo/blog/tags/argentique");
    expect(spaceFeedUrl("tok", "club-photo")).toBe("/feeds/tok/spaces/club-photo");
  });

  test("files: a folder, the top, a download of a version, a preview, a thumbnail, an upload", () => {
    expect(folderUrl("club", "f1")).toBe("/spaces/club/files/folders/f1");
    expect(folderUrl("club", null)).toBe("/spaces/club/files");
    expect(fileDownloadUrl("club", "x1")).toBe("/spaces/club/files/x1/download");
    expect(fileDownloadUrl("club", "x1", { version: 3 })).toBe("/spaces/club/files/x1/download?version=3");
    expect(fileDownloadUrl("club", "x1", { version: 3, inline: "frame" })).toBe("/spaces/club/files/x1/download?version=3&inline=frame");
    expect(fileThumbnailUrl("club", "x1", 2)).toBe("/spaces/club/files/x1/thumbnail?version=2");
    expect(uploadsUrl("club")).toBe("/spaces/club/files/uploads");
    expect(uploadsUrl("club", "u1")).toBe("/spaces/club/files/uploads/u1");
  });

  test("owners and their comments", () => {
    expect(ownerUrl("club", { kind: "page", slug: "accueil" })).toBe("/spaces/club/wiki/accueil");
    expect(ownerUrl("club", { kind: "post", slug: "accueil" })).toBe("/spaces/club/blog/accueil");
    expect(commentsUrl("club")).toBe("/spaces/club/comments");
    expect(commentsUrl("club", { kind: "post", id: "abc" })).toBe("/spaces/club/comments?post=abc");
  });

  test("the editor's endpoints encode the space's slug, as they always did; the other addresses keep it as it is", () => {
    expect(wikiSearchUrl("club été/x")).toBe("/spaces/club%20%C3%A9t%C3%A9%2Fx/wiki/search");
    expect(mentionsUrl("club été/x")).toBe("/spaces/club%20%C3%A9t%C3%A9%2Fx/members/mentions");
    expect(wikiTreeUrl("club", "a&b")).toBe("/spaces/club/wiki/tree?parent=a%26b");
    expect(spaceUrl("club-été")).toBe("/spaces/club-été");
  });
});
