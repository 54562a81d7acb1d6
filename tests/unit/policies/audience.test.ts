import { describe, expect, test } from "vitest";
import type { Visibility } from "#db/schema.ts";
import { audienceOf, roleGroup, type Audience } from "#app/policies/audience.ts";
import { canReadAsk, canRestoreAsk } from "#app/policies/ask.ts";
import { canReadPages } from "#app/policies/page.ts";
import { canReadNetworkPost, canReadPost } from "#app/policies/post.ts";
import { canShareOutside, canRevokeShareLink, shareLinkWorks } from "#app/policies/share.ts";
import { canReadWorkshop } from "#app/policies/workshop.ts";

/**
 * The audience read off each item's own rule, against what the SPEC says in
 * words: written out by hand here, so a policy that changes shows as a
 * changed line, and audienceOf that misreads a rule fails.
 */

const space = (visibility: Visibility, archived = false) => ({ visibility, join_policy: "coopt_approval" as const, archived_at: archived ? 1 : null });
const ALL = ["admin", "editor", "member", "guest"];
const AUTHOR = "author0000000001";


describe("who reads, kind by kind", () => {
  test.each([
    ["a page of a secret club", audienceOf((a, m) => canReadPages(a, m, space("secret"))), { network: false, roles: ALL, author: false }],
    ["a page of a listed club", audienceOf((a, m) => canReadPages(a, m, space("listed"))), { network: false, roles: ALL, author: false }],
    ["a page of an open club: every member of the network", audienceOf((a, m) => canReadPages(a, m, space("open"))), { network: true, roles: ALL, author: false }],
    ["a page of an archived club: still its members", audienceOf((a, m) => canReadPages(a, m, space("listed", true))), { network: false, roles: ALL, author: false }],
    [
      "a member's draft: them and the editors and admins",
      audienceOf((a, m) => canReadPost(a, m, space("listed"), { author_id: AUTHOR, state: "draft" }), { id: AUTHOR, membership: { role: "member" } }),
      { network: false, roles: ["admin", "editor"], author: true },
    ],
    [
      "an editor's draft: the editors and admins, the author among them",
      audienceOf((a, m) => canReadPost(a, m, space("listed"), { author_id: AUTHOR, state: "draft" }), { id: AUTHOR, membership: { role: "editor" } }),
      { network: false, roles: ["admin", "editor"], author: false },
    ],
    [
      "a former member's draft: no longer theirs to read",
      audienceOf((a, m) => canReadPost(a, m, space("listed"), { author_id: AUTHOR, state: "draft" }), { id: AUTHOR, membership: null }),
      { network: false, roles: ["admin", "editor"], author: false },
    ],
    [
      "a published article opened to the network, from a listed club",
      audienceOf((a, m) => canReadPost(a, m, space("listed"), { author_id: AUTHOR, state: "published" }) || canReadNetworkPost(a, space("listed"), { state: "published", visibility: "network", deleted_at: null })),
      { network: true, roles: ALL, author: false },
    ],
    [
      "a member's workshop proposal: them and the admins",
      audienceOf((a, m) => canReadWorkshop(a, m, space("listed"), { state: "proposed", proposed_by: AUTHOR, deleted_at: null, visibility: "space" }), { id: AUTHOR, membership: { role: "member" } }),
      { network: false, roles: ["admin"], author: true },
    ],
    [
      "a workshop opened to the network from a secret club: its members only",
      audienceOf((a, m) => canReadWorkshop(a, m, space("secret"), { state: "scheduled", proposed_by: null, deleted_at: null, visibility: "network" })),
      { network: false, roles: ALL, author: false },
    ],
    [
      "a network ask of a listed club",
      audienceOf((a, m) => canReadAsk(a, m, space("listed"), { author_id: AUTHOR, audience: "network", deleted_at: null, resolved_at: null, closes_at: null })),
      { network: true, roles: ALL, author: false },
    ],
    ["an ask in the trash: the moderators", audienceOf((a, m) => canRestoreAsk(a, m, space("listed"))), { network: false, roles: ["admin", "editor"], author: false }],
  ] as const)("%s", (_name, audience, expected) => {
    expect(audience).toEqual(expected);
  });
});

test("the role groups the words name", () => {
  expect(roleGroup(["admin", "editor", "member", "guest"])).toBe("members");
  expect(roleGroup(["guest", "member", "admin", "editor"])).toBe("members");
  expect(roleGroup(["admin", "editor", "member"])).toBe("membersNotGuests");
  expect(roleGroup(["admin", "editor"])).toBe("editors");
  expect(roleGroup(["admin"])).toBe("admins");
  expect(roleGroup([])).toBe("none");
  expect(roleGroup(["guest"])).toBe("roles");
  expect(roleGroup(["admin", "guest"])).toBe("roles");
});

describe("share links", () => {
  const on = { ...space("listed"), share_links: 1 };
  const off = { ...space("listed"), share_links: 0 };
  const me = { id: "me00000000000001", isNetworkAdmin: false };
  test("made by contributors of a club that allows them, never guests, never while off or archived", () => {
    expect(canShareOutside(me, { role: "member" }, on)).toBe(true);
    expect(canShareOutside(me, { role: "guest" }, on)).toBe(false);
    expect(canShareOutside(me, { role: "admin" }, off)).toBe(false);
    expect(canShareOutside(me, { role: "admin" }, { ...on, archived_at: 1 })).toBe(false);
    expect(canShareOutside(me, null, { ...space("open"), share_links: 1 })).toBe(false);
  });
  test("revoked by their sharer while in the club, or by its admins, archived or not", () => {
    expect(canRevokeShareLink(me, { role: "member" }, on, { created_by: me.id })).toBe(true);
    expect(canRevokeShareLink(me, { role: "member" }, on, { created_by: "someone0000000001" })).toBe(false);
    expect(canRevokeShareLink(me, null, on, { created_by: me.id })).toBe(false);
    expect(canRevokeShareLink(me, { role: "admin" }, { ...on, archived_at: 1 }, { created_by: "someone0000000001" })).toBe(true);
  });
  test("working until its time, unless revoked, switched off or archived", () => {
    const link = { revoked_at: null, expires_at: 2_000 };
    expect(shareLinkWorks(link, on, 1_999)).toBe(true);
    expect(shareLinkWorks(link, on, 2_000)).toBe(false);
    expect(shareLinkWorks({ ...link, revoked_at: 1_000 }, on, 1_500)).toBe(false);
    expect(shareLinkWorks(link, off, 1_500)).toBe(false);
    expect(shareLinkWorks(link, { ...on, archived_at: 1 }, 1_500)).toBe(false);
  });
});
