import { afterAll, beforeAll, expect, test } from "vitest";
import { blockedEither } from "#db/queries/contact.ts";
import { pageText } from "#tests/helpers/http.ts";
import { world, type World } from "#tests/helpers/world.ts";

/**
 * A member's control over who reaches them (issue 16): the contact choice in
 * settings, and blocks made from a profile and lifted from either place.
 * Blocks are the blocker's alone: the blocked member's pages say nothing.
 */

let w: World<"ana" | "ben" | "hidden" | "stranger", "club">;

beforeAll(async () => {
  w = await world({
    people: { ana: { displayName: "Ana Martin" }, ben: { displayName: "Ben Roux" }, hidden: { displayName: "Hugo Discret" }, stranger: { displayName: "Sam Ailleurs" } },
    spaces: { club: { createdBy: "ana", slug: "club", name: "Club", members: { ben: "member" } } },
  });
  // Hugo lists his profile for his clubs only, and shares none with Ana.
  await w.store.db.updateTable("user").set({ listing: "clubs" }).where("id", "=", w.people.hidden.id).execute();
});
afterAll(() => w?.close());

const policyOf = async (who: "ana" | "ben") =>
  (await w.store.db.selectFrom("user").select("contact_policy").where("id", "=", w.people[who].id).executeTakeFirstOrThrow()).contact_policy;

test("a new member lets the network ask, and may choose clubs only or nobody", async () => {
  expect(await policyOf("ana")).toBe("network");
  const page = await w.c.ana.get("/settings/contact");
  expect(page.status).toBe(200);
  const radios = page.text.match(/<input[^>]*name="policy"[^>]*>/g) ?? [];
  expect(radios).toHaveLength(3);
  expect(radios.filter((r) => / checked=""/.test(r)).map((r) => /value="(\w+)"/.exec(r)?.[1])).toEqual(["network"]);
  for (const policy of ["clubs", "nobody", "network"] as const) {
    const res = await w.c.ana.post("/settings/contact", { intent: "policy", policy });
    expect(res.status).toBe(302);
    expect(await policyOf("ana")).toBe(policy);
  }
  expect(pageText((await w.c.ana.get("/settings/contact")).text)).toContain("Votre choix est enregistré.");
});

test("a choice the page does not offer is refused and changes nothing", async () => {
  for (const policy of ["everyone", "", "NETWORK"]) {
    const res = await w.c.ben.post("/settings/contact", { intent: "policy", policy });
    expect(res.status).toBe(400);
  }
  expect((await w.c.ben.post("/settings/contact", { intent: "policy" })).status).toBe(400);
  expect(await policyOf("ben")).toBe("network");
});

test("blocking from a profile, seen by the blocker only, lifted from the settings", async () => {
  const before = pageText((await w.c.stranger.get(`/people/${w.people.ana.id}`)).text);
  const res = await w.c.ana.post(`/people/${w.people.stranger.id}`, { intent: "block" });
  expect(res.status).toBe(302);
  expect(await blockedEither(w.store.db, w.people.stranger.id, w.people.ana.id)).toBe(true);
  // Blocking again is no second row and no error.
  expect((await w.c.ana.post(`/people/${w.people.stranger.id}`, { intent: "block" })).status).toBe(302);

  const profile = pageText((await w.c.ana.get(`/people/${w.people.stranger.id}`)).text);
  expect(profile).toContain("Sam Ailleurs est bloqué·e.");
  expect(profile).toContain("Vous bloquez Sam Ailleurs");
  const settings = pageText((await w.c.ana.get("/settings/contact")).text);
  expect(settings).toContain("Sam Ailleurs");
  expect(settings).not.toContain("Vous ne bloquez personne.");

  // The blocked member is not told: Ana's profile no longer offers to write (it could not be
  // honoured), and reads to them exactly as it would if Ana had chosen that nobody writes to her;
  // their own settings block no one.
  const blockedView = pageText((await w.c.stranger.get(`/people/${w.people.ana.id}`)).text);
  expect(before).toContain("Demander le contact");
  expect(blockedView).not.toContain("Demander le contact");
  expect(blockedView).not.toContain("bloqué");
  expect(pageText((await w.c.stranger.get("/settings/contact")).text)).toContain("Vous ne bloquez personne.");

  const lifted = await w.c.ana.post("/settings/contact", { intent: "unblock", member: w.people.stranger.id });
  expect(lifted.status).toBe(302);
  expect(await blockedEither(w.store.db, w.people.ana.id, w.people.stranger.id)).toBe(false);
  expect(pageText((await w.c.ana.get("/settings/contact")).text)).toContain("Sam Ailleurs peut de nouveau vous écrire");
  expect(pageText((await w.c.stranger.get(`/people/${w.people.ana.id}`)).text)).toBe(before);

  // Ana chooses "nobody": the same page as the block showed.
  expect((await w.c.ana.post("/settings/contact", { intent: "policy", policy: "nobody" })).status).toBe(302);
  expect(pageText((await w.c.stranger.get(`/people/${w.people.ana.id}`)).text)).toBe(blockedView);
  expect((await w.c.ana.post("/settings/contact", { intent: "policy", policy: "network" })).status).toBe(302);
});

test("a block lifted from the profile; lifting one that does not exist is 404", async () => {
  await w.c.ben.post(`/people/${w.people.ana.id}`, { intent: "block" });
  expect(await blockedEither(w.store.db, w.people.ana.id, w.people.ben.id)).toBe(true);
  expect((await w.c.ben.post(`/people/${w.people.ana.id}`, { intent: "unblock" })).status).toBe(302);
  expect(await blockedEither(w.store.db, w.people.ana.id, w.people.ben.id)).toBe(false);
  expect((await w.c.ben.post(`/people/${w.people.ana.id}`, { intent: "unblock" })).status).toBe(404);
  expect((await w.c.ben.post("/settings/contact", { intent: "unblock", member: w.people.stranger.id })).status).toBe(404);
  expect((await w.c.ben.post("/settings/contact", { intent: "unblock", member: "nosuchmember0000000001" })).status).toBe(404);
});

test("no one blocks themselves, a member they cannot find, or an id that is nobody's", async () => {
  expect((await w.c.ana.post(`/people/${w.people.ana.id}`, { intent: "block" })).status).toBe(400);
  // Hugo lists his profile for his clubs: to Ana he does not exist, block or not.
  expect((await w.c.ana.post(`/people/${w.people.hidden.id}`, { intent: "block" })).status).toBe(404);
  expect((await w.c.ana.post("/people/nosuchmember0000000001", { intent: "block" })).status).toBe(404);
  expect((await w.c.ana.post(`/people/${w.people.ben.id}`, { intent: "nonsense" })).status).toBe(400);
  expect(await blockedEither(w.store.db, w.people.ana.id, w.people.hidden.id)).toBe(false);
  expect(await blockedEither(w.store.db, w.people.ana.id, w.people.ana.id)).toBe(false);
});

test("the anonymous visitor is sent to sign in", async () => {
  const anon = w.anonymous;
  const res = await anon.get("/settings/contact");
  expect(res.status).toBe(302);
  expect(res.location).toContain("/login");
  const post = await anon.post(`/people/${w.people.ana.id}`, { intent: "block" });
  expect(post.status).toBe(302);
  expect(post.location).toContain("/login");
});
