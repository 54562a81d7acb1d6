import { describe, expect, test } from "vitest";
import type { PostState, PostVisibility, Visibility } from "#db/schema.ts";
import {
  canEditPost,
  canModeratePosts,
  canPublishToNetwork,
  canReadNetworkPost,
  canReadPost,
  canReadPosts,
  canWritePosts,
  networkFeedFilter,
  PUBLISHES_TO_NETWORK,
} from "#app/policies/post.ts";
import { label, networkAdmin, ownId, person, someoneElse, spaceAt, whoIs, type Where, type Who } from "#tests/helpers/policy-cast.ts";

// The blog, role by role, written out by hand (SPEC, Roles): readers read
// what is published; members write and run their own articles; editors and
// admins anyone's. What is not out yet is its author's and the moderators'.
// [who, where, read the blog, write, moderate, read a published article, read own draft, read another's draft, edit own, edit another's]
const TABLE: Array<[Who, Where, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean]> = [
  ["guest", "listed", true, false, false, true, false, false, false, false],
  ["member", "listed", true, true, false, true, true, false, true, false],
  ["editor", "listed", true, true, true, true, true, true, true, true],
  ["admin", "listed", true, true, true, true, true, true, true, true],
  ["network admin", "listed", true, true, true, true, true, true, true, true],
  ["outsider", "listed", false, false, false, false, false, false, false, false],
  ["outsider", "open", true, false, false, true, false, false, false, false],
  ["anonymous", "open", false, false, false, false, false, false, false, false],
  ["member", "archived", true, false, false, true, false, false, false, false],
  ["admin", "archived", true, false, false, true, false, false, false, false],
  ["network admin", "archived", true, false, false, true, false, false, false, false],
];

const article = (authorId: string | null, state: PostState) => ({ author_id: authorId, state });

describe("the blog, role by role", () => {
  for (const [who, where, readBlog, write, moderate, readPublished, readOwnDraft, readOthersDraft, editOwn, editOthers] of TABLE) {
    test(`${label(who, where)}: blog ${readBlog}, write ${write}, moderate ${moderate}, published ${readPublished}, own draft ${readOwnDraft}, another's ${readOthersDraft}, edit own ${editOwn}, another's ${editOthers}`, () => {
      const [actor, membership] = whoIs(who);
      const space = spaceAt(where);
      expect(canReadPosts(actor, membership, space)).toBe(readBlog);
      expect(canWritePosts(actor, membership, space)).toBe(write);
      expect(canModeratePosts(actor, membership, space)).toBe(moderate);
      expect(canReadPost(actor, membership, space, article(someoneElse, "published"))).toBe(readPublished);
      expect(canReadPost(actor, membership, space, article(ownId(actor), "draft"))).toBe(readOwnDraft);
      expect(canReadPost(actor, membership, space, article(someoneElse, "draft"))).toBe(readOthersDraft);
      expect(canEditPost(actor, membership, space, article(ownId(actor), "draft"))).toBe(editOwn);
      expect(canEditPost(actor, membership, space, article(someoneElse, "published"))).toBe(editOthers);
    });
  }

  test("scheduled and unpublished articles are kept as drafts are: a member reads their own, not another's", () => {
    const [actor, membership] = whoIs("member");
    for (const state of ["scheduled", "unpublished"] as const) {
      expect(canReadPost(actor, membership, spaceAt("listed"), article(ownId(actor), state))).toBe(true);
      expect(canReadPost(actor, membership, spaceAt("listed"), article(someoneElse, state))).toBe(false);
    }
  });
});

describe("opening an article to the whole network", () => {
  // [space visibility, may its articles be opened to the network]
  const PUBLISHING: Array<[Visibility, boolean]> = [
    ["secret", false],
    ["listed", true],
    ["open", true],
  ];
  test.each(PUBLISHING)("from a %s space: %s", (visibility, expected) => {
    expect(canPublishToNetwork({ visibility })).toBe(expected);
  });

  test("the network feed's query reads the spaces of exactly these visibilities", () => {
    expect([...PUBLISHES_TO_NETWORK].sort()).toEqual(["listed", "open"]);
    expect(networkFeedFilter()).toEqual({ spaceVisibilities: PUBLISHES_TO_NETWORK });
  });

  // [what, space visibility, space archived, state, audience, trashed, readable by a signed-in network member]
  const NETWORK: Array<[string, Visibility, boolean, PostState, PostVisibility, boolean, boolean]> = [
    ["a published network article of a listed space", "listed", false, "published", "network", false, true],
    ["a published network article of an open space", "open", false, "published", "network", false, true],
    ["a published network article of a space made secret since", "secret", false, "published", "network", false, false],
    ["a published network article of an archived space", "listed", true, "published", "network", false, false],
    ["a published article kept to its space", "listed", false, "published", "space", false, false],
    ["a network article still a draft", "listed", false, "draft", "network", false, false],
    ["a network article scheduled", "listed", false, "scheduled", "network", false, false],
    ["a network article unpublished", "listed", false, "unpublished", "network", false, false],
    ["a published network article in the trash", "listed", false, "published", "network", true, false],
  ];
  test.each(NETWORK)("%s: %s", (_what, visibility, archived, state, audience, trashed, expected) => {
    const space = { visibility, archived_at: archived ? 1 : null };
    const post = { state, visibility: audience, deleted_at: trashed ? 1 : null };
    expect(canReadNetworkPost(person, space, post)).toBe(expected);
    expect(canReadNetworkPost(networkAdmin, space, post)).toBe(expected);
    expect(canReadNetworkPost(null, space, post)).toBe(false);
  });
});
