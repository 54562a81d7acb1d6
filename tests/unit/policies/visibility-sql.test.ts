/**
 * The visibility rule is said twice: by the policies, one space or article
 * at a time, and by the queries that list many (the club directory, the
 * network feed), filtered in SQL from a description the policies export.
 * Here both are asked about every kind of viewer and every kind of space on
 * one real database file, and must answer what the table below says.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { migrateToLatest } from "#db/migrations/index.ts";
import { rolesForUser } from "#db/queries/members.ts";
import { createPost, listNetworkPosts, setPostState } from "#db/queries/posts.ts";
import { listDirectory } from "#db/queries/spaces.ts";
import type { PostState, PostVisibility, Role, Space, Visibility } from "#db/schema.ts";
import { actorOf, type Actor } from "#app/policies/actor.ts";
import { canListSpace, directoryFilter } from "#app/policies/directory.ts";
import { canReadNetworkPost, networkFeedFilter } from "#app/policies/post.ts";
import { addMember, createSpace, createUser, type TestUser } from "#tests/factories.ts";
import { tempDatabase } from "#tests/helpers/db.ts";

type Kind = `${Visibility}` | `${Visibility}, archived`;
type Who = Role | "network admin" | "outsider";

const KINDS: Kind[] = ["secret", "listed", "open", "secret, archived", "listed, archived", "open, archived"];
const ROLES: Role[] = ["guest", "member", "editor", "admin"];

// Written out by hand: which spaces each viewer finds in the directory.
// The viewer of each role holds that role in every space (the admin beside
// the space's creator); the network admin and the outsider belong to none.
const EVERY: Kind[] = KINDS;
const DIRECTORY: Array<[Who, Kind[]]> = [
  ["guest", EVERY],
  ["member", EVERY],
  ["editor", EVERY],
  ["admin", EVERY],
  ["network admin", EVERY],
  ["outsider", ["listed", "open"]],
];

let opened: Awaited<ReturnType<typeof tempDatabase>>;
const viewers = new Map<Who, TestUser>();
const spaces = new Map<Kind, Space>();

beforeAll(async () => {
  opened = await tempDatabase();
  await migrateToLatest(opened.db);
  const db = opened.db;
  for (const who of [...ROLES, "network admin", "outsider"] as Who[]) {
    viewers.set(who, await createUser(db, { isNetworkAdmin: who === "network admin" }));
  }
  const creator = await createUser(db);
  for (const kind of KINDS) {
    const [visibility, archived] = kind.split(", ") as [Visibility, string | undefined];
    // The creator is the admin; the admin viewer joins as a second admin.
    const space = await createSpace(db, { createdBy: creator.id, visibility });
    for (const role of ROLES) await addMember(db, { space, user: viewers.get(role)!, role });
    if (archived) await db.updateTable("space").set({ archived_at: Date.now() }).where("id", "=", space.id).execute();
    spaces.set(kind, (await db.selectFrom("space").selectAll().where("id", "=", space.id).executeTakeFirstOrThrow()) as Space);
  }
});

afterAll(async () => {
  await opened.remove();
});

const kindOf = (space: Space): Kind => (`${space.visibility}${space.archived_at !== null ? ", archived" : ""}` as Kind);

describe("the club directory: listDirectory (SQL) and canListSpace (policy)", () => {
  for (const [who, expected] of DIRECTORY) {
    test(`${who}: ${expected.length === KINDS.length ? "every space" : expected.join(", ")}`, async () => {
      const user = viewers.get(who)!;
      const actor: Actor = actorOf(user);
      const roles = await rolesForUser(opened.db, user.id);
      const ours = new Set([...spaces.values()].map((s) => s.id));
      const fromSql = (await listDirectory(opened.db, directoryFilter(actor))).filter((s) => ours.has(s.id)).map((s) => kindOf(s as Space));
      const fromPolicy = [...spaces.values()]
        .filter((space) => canListSpace(actor, roles.has(space.id) ? { role: roles.get(space.id)! } : null, space))
        .map(kindOf);
      expect(new Set(fromSql)).toEqual(new Set(expected));
      expect(new Set(fromPolicy)).toEqual(new Set(expected));
    });
  }
});

describe("the network feed: listNetworkPosts (SQL) and canReadNetworkPost (policy)", () => {
  const STATES: PostState[] = ["draft", "scheduled", "published", "unpublished"];
  const AUDIENCES: PostVisibility[] = ["space", "network"];

  test("every space kind × state × audience: the feed lists exactly the published network articles of live, non-secret spaces", async () => {
    const db = opened.db;
    const author = viewers.get("member")!;
    const made: Array<{ id: string; label: string; space: Space; state: PostState; visibility: PostVisibility; deleted: boolean }> = [];
    let n = 0;
    for (const [kind, space] of spaces) {
      for (const state of STATES) {
        for (const visibility of AUDIENCES) {
          for (const deleted of [false, true]) {
            const now = Date.now();
            const post = await createPost(db, {
              spaceId: space.id,
              slug: `article-${++n}`,
              title: `Article ${n}`,
              excerpt: "",
              excerptAuto: true,
              coverFileId: null,
              content: { json: "{}", html: "", text: "" },
              visibility,
              authorId: author.id,
              summary: "",
              now,
            });
            if (state !== "draft") await setPostState(db, post.id, { state, publishAt: state === "scheduled" ? now + 60_000 : null, userId: author.id, now });
            if (deleted) await db.updateTable("post").set({ deleted_at: now, deleted_by: author.id }).where("id", "=", post.id).execute();
            made.push({ id: post.id, label: `${kind}, ${state}, ${visibility}${deleted ? ", deleted" : ""}`, space, state, visibility, deleted });
          }
        }
      }
    }
    const feed = await listNetworkPosts(db, { page: 1, perPage: made.length + 1, ...networkFeedFilter() });
    const byId = new Map(made.map((p) => [p.id, p]));
    const inFeed = new Set(feed.posts.map((p) => byId.get(p.id)?.label ?? `unknown post ${p.id}`));
    // Written out by hand: the two live, non-secret spaces each show their one live, published, network article.
    expect([...inFeed].sort()).toEqual(["listed, published, network", "open, published, network"]);
    for (const who of [...ROLES, "network admin", "outsider"] as Who[]) {
      const actor = actorOf(viewers.get(who)!);
      for (const p of made) {
        const policy = canReadNetworkPost(actor, p.space, { state: p.state, visibility: p.visibility, deleted_at: p.deleted ? 1 : null });
        expect(policy, `${who}: ${p.label}`).toBe(inFeed.has(p.label));
      }
    }
  });
});
