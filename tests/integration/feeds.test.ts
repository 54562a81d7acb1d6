import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { OpenedDatabase } from "#db/client.ts";
import { createPost, setPostState } from "#db/queries/posts.ts";
import type { Space } from "#db/schema.ts";
import { addMember, type TestUser } from "#tests/factories.ts";
import { client, request, type Client } from "#tests/helpers/http.ts";
import type { TestServer } from "#tests/helpers/server.ts";
import { world, type World } from "#tests/helpers/world.ts";

/**
 * Private Atom feeds over real HTTP: the address carries the reader's own
 * token (no cookie), made in the settings and shown once; every fetch checks
 * what that person may read now; a reset token stops at once.
 */

let server: TestServer;
let store: OpenedDatabase;
let alice: TestUser;
let bob: TestUser;
let c: Client;
let club: Space;
let secret: Space;
let other: Space;

const doc = (text: string) =>
  JSON.stringify({ root: { type: "root", version: 1, direction: null, format: "", indent: 0, children: [{ type: "paragraph", version: 1, direction: null, format: "", indent: 0, textFormat: 0, textStyle: "", children: [{ type: "text", version: 1, text, format: 0, style: "", mode: "normal", detail: 0 }] }] } });

async function post(space: Space, title: string, state: "draft" | "published" | "scheduled", visibility: "space" | "network" = "space") {
  const now = Date.now();
  const created = await createPost(store.db, {
    spaceId: space.id,
    slug: title.toLowerCase().replace(/[^a-z0-9]+/g, "-"),
    title,
    excerpt: `Extrait de ${title}`,
    excerptAuto: false,
    coverFileId: null,
    content: { json: doc(title), html: `<p>${title}</p>`, text: title },
    visibility,
    authorId: alice.id,
    summary: "",
    now,
  });
  if (state !== "draft") await setPostState(store.db, created.id, { state, publishAt: state === "scheduled" ? now + 3_600_000 : null, userId: alice.id, now });
  return created;
}

/** The addresses the settings page shows once, read from its HTML. */
async function makeFeedAddresses(who: Client) {
  const res = await who.post("/settings/notifications", { intent: "reset-feed" });
  expect(res.status).toBe(200);
  const network = /https?:\/\/[^"<\s]+\/feeds\/([a-z2-7]+)\/network/.exec(res.text);
  expect(network, "the page shows the network feed address").not.toBeNull();
  return { token: network![1], html: res.text };
}

const fetchFeed = (path: string) => request(new URL(path, server.url), "GET", {});

let w: World<"admin" | "alice" | "bob", "club" | "secret" | "other">;

beforeAll(async () => {
  w = await world({
    people: { admin: {}, alice: { email: "alice@feeds.test" }, bob: { email: "bob@feeds.test" } },
    spaces: {
      club: { createdBy: "admin", slug: "club-flux", visibility: "listed", members: { alice: "member" } },
      secret: { createdBy: "admin", slug: "secret-flux", visibility: "secret", members: { alice: "member" } },
      other: { createdBy: "admin", slug: "autre-flux", visibility: "listed", members: { bob: "member" } },
    },
    signIn: ["alice"],
  });
  ({ server, store } = w);
  ({ alice, bob } = w.people);
  ({ club, secret, other } = w.spaces);
  c = w.c.alice;
  await post(club, "Retour sur l'atelier achats", "published");
  await post(club, "Brouillon secret", "draft");
  await post(club, "Programmé plus tard", "scheduled");
  await post(secret, "Fusions confidentielles", "published");
  await post(other, "Ouvert à tout le réseau", "published", "network");
  await post(other, "Réservé au club autre", "published");
});

afterAll(() => w?.close());

describe("private feeds", () => {
  test("no token, an unknown one or a malformed one: 404, as for anything that does not exist", async () => {
    for (const path of ["/feeds/abcdefghijklmnopqrstuvwxyz234567/network", "/feeds/x/network", "/feeds/abcdefghijklmnopqrstuvwxyz234567/spaces/club-flux"]) {
      expect((await fetchFeed(path)).status, path).toBe(404);
    }
  });

  test("the settings make the addresses, shown once, with one per space of the person; only a hash is stored", async () => {
    const { token, html } = await makeFeedAddresses(c);
    expect(html).toContain(`/feeds/${token}/spaces/club-flux`);
    expect(html).toContain(`/feeds/${token}/spaces/secret-flux`);
    expect(html).not.toContain("/spaces/autre-flux");
    const row = await store.db.selectFrom("user").select("feed_token_hash").where("id", "=", alice.id).executeTakeFirstOrThrow();
    expect(row.feed_token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(row.feed_token_hash).not.toContain(token);
    // Shown once: the page itself no longer carries it.
    const again = await c.get("/settings/notifications");
    expect(again.text).not.toContain(token);
  });

  test("a space feed, without any cookie: its published articles only, as Atom", async () => {
    const { token } = await makeFeedAddresses(c);
    const res = await fetchFeed(`/feeds/${token}/spaces/club-flux`);
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toMatch(/^application\/atom\+xml/);
    expect(res.headers["x-robots-tag"]).toBe("noindex");
    expect(res.text).toContain("<feed");
    expect(res.text).toContain("Retour sur l'atelier achats");
    expect(res.text).toContain(`${server.url}/spaces/club-flux/blog/`);
    expect(res.text).not.toContain("Brouillon secret");
    expect(res.text).not.toContain("Programmé plus tard");
  });

  test("only spaces the person may read: another club's feed is a 404 even with a good token", async () => {
    const { token } = await makeFeedAddresses(c);
    expect((await fetchFeed(`/feeds/${token}/spaces/autre-flux`)).status).toBe(404);
    expect((await fetchFeed(`/feeds/${token}/spaces/secret-flux`)).status).toBe(200);
    // Removed from the secret space: its feed goes at once, same token.
    await store.db.deleteFrom("space_member").where("space_id", "=", secret.id).where("user_id", "=", alice.id).execute();
    expect((await fetchFeed(`/feeds/${token}/spaces/secret-flux`)).status).toBe(404);
    await addMember(store.db, { space: secret, user: alice, role: "member" });
  });

  test("the network feed: network-visible articles of every club, labelled, linking to the network's page", async () => {
    const { token } = await makeFeedAddresses(c);
    const res = await fetchFeed(`/feeds/${token}/network`);
    expect(res.status).toBe(200);
    expect(res.text).toContain("Ouvert à tout le réseau");
    expect(res.text).toMatch(/<title type="html"><!\[CDATA\[[^\]]*— Ouvert à tout le réseau\]\]><\/title>/);
    expect(res.text).toContain(`${server.url}/latest/`);
    expect(res.text).not.toContain("Réservé au club autre");
    expect(res.text).not.toContain("Retour sur l'atelier achats");
  });

  test("a hostile title or excerpt goes out as text, never as markup a feed reader would run", async () => {
    const hostile = await post(club, "<img src=x onerror=alert(1)> & ]]> fin", "published");
    await store.db.updateTable("post").set({ excerpt: "<script>alert(2)</script>" }).where("id", "=", hostile.id).execute();
    const { token } = await makeFeedAddresses(c);
    const res = await fetchFeed(`/feeds/${token}/spaces/club-flux`);
    expect(res.status).toBe(200);
    expect(res.text).not.toMatch(/<img|<script/i);
    expect(res.text).toContain("&lt;img src=x onerror=alert(1)&gt; &amp; ");
    expect(res.text).toContain("&lt;script&gt;alert(2)&lt;/script&gt;");
  });

  test("a reset token stops working at once; the new one works", async () => {
    const first = await makeFeedAddresses(c);
    expect((await fetchFeed(`/feeds/${first.token}/network`)).status).toBe(200);
    const second = await makeFeedAddresses(c);
    expect(second.token).not.toBe(first.token);
    expect((await fetchFeed(`/feeds/${first.token}/network`)).status).toBe(404);
    expect((await fetchFeed(`/feeds/${first.token}/spaces/club-flux`)).status).toBe(404);
    expect((await fetchFeed(`/feeds/${second.token}/network`)).status).toBe(200);
  });
});

describe("notification settings", () => {
  test("signed out, the settings are not reachable", async () => {
    const anonymous = client(server.url);
    expect((await anonymous.post("/settings/notifications", { intent: "reset-feed" })).status).toBe(302);
  });
});
