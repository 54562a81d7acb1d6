import { afterAll, beforeAll, expect, test } from "vitest";
import { insertComment } from "#db/queries/comments.ts";
import * as pages from "#db/queries/pages.ts";
import { pageText } from "#tests/helpers/http.ts";
import { doc, paragraph } from "#tests/helpers/lexical.ts";
import { world, type World } from "#tests/helpers/world.ts";

/**
 * Hiding from the directory without leaving (issue 19): a member who lists
 * their profile for "nobody" appears in no directory listing, no skill search
 * and no profile page of anyone else, whether they share a club or not, and
 * stays a member of their clubs: their name still shows on what they wrote
 * and in their clubs' member lists. The no-leak table for every field
 * (people/visibility.test.ts) covers the listing too.
 */

let w: World<"hugo" | "camille" | "noe", "club">;
const derived = (t: string) => ({ json: doc(paragraph(t)), html: `<p class="rt-p">${t}</p>`, text: t });

beforeAll(async () => {
  w = await world({
    people: { hugo: { displayName: "Hugo Discretos" }, camille: { displayName: "Camille Pair" }, noe: { displayName: "Noé Ailleurs" } },
    spaces: { club: { createdBy: "camille", slug: "club-discret", name: "Club Discret", members: { hugo: "member" } } },
  });
  await w.store.db.updateTable("user").set({ skills: '["Zythologie"]', skills_search: " zythologie" }).where("id", "=", w.people.hugo.id).execute();
  await w.store.db.insertInto("user_skill").values({ user_id: w.people.hugo.id, skill_key: "zythologie", label: "Zythologie", position: 0 }).execute();
});
afterAll(() => w?.close());

const hide = (listing: "hidden" | "network") => w.store.db.updateTable("user").set({ listing }).where("id", "=", w.people.hugo.id).execute();

test("the profile form offers the choice to appear in no directory", async () => {
  const form = await w.c.hugo.get("/settings/profile");
  const radios = form.text.match(/<input[^>]*name="listing"[^>]*>/g) ?? [];
  expect(radios.map((r) => /value="(\w+)"/.exec(r)?.[1])).toEqual(["network", "clubs", "hidden"]);
  expect(pageText(form.text)).toContain("Personne : je n’apparais dans aucun annuaire");
});

test("hidden: in no directory, no skill search, no profile page — for a club peer as for the network", async () => {
  for (const c of [w.c.camille, w.c.noe]) {
    expect(pageText((await c.get("/people?q=discretos")).text)).toContain("Hugo Discretos");
    expect(pageText((await c.get("/people?skill=zythologie")).text)).toContain("Hugo Discretos");
  }
  await hide("hidden");
  for (const c of [w.c.camille, w.c.noe]) {
    expect(pageText((await c.get("/people?q=discretos")).text)).not.toContain("Hugo Discretos");
    expect(pageText((await c.get("/people?skill=zythologie")).text)).not.toContain("Hugo Discretos");
    expect(pageText((await c.get("/people")).text)).not.toContain("Hugo Discretos");
    const suggestions = await c.get("/people/skills?q=zyth");
    expect(suggestions.text).not.toContain("Zythologie");
    expect((await c.get(`/people/${w.people.hugo.id}`)).status).toBe(404);
  }
  // He still sees himself.
  expect((await w.c.hugo.get(`/people/${w.people.hugo.id}`)).status).toBe(200);
  await hide("network");
  expect(pageText((await w.c.noe.get("/people?q=discretos")).text)).toContain("Hugo Discretos");
});

test("hidden, he stays in his club: his name on what he wrote and in its member list", async () => {
  await hide("hidden");
  const now = Date.now();
  const page = await pages.createPage(w.store.db, { spaceId: w.spaces.club.id, parentId: null, title: "Bières de garde", slug: "bieres-de-garde", content: derived("Notes de dégustation"), summary: "", authorId: w.people.camille.id, now });
  await insertComment(w.store.db, { spaceId: w.spaces.club.id, target: { kind: "page", id: page.id }, parentId: null, authorId: w.people.hugo.id, body: derived("Avis de Hugo"), now });
  const seen = pageText((await w.c.camille.get("/spaces/club-discret/wiki/bieres-de-garde")).text);
  expect(seen).toContain("Avis de Hugo");
  expect(seen).toContain("Hugo Discretos");
  const members = await w.c.camille.get("/spaces/club-discret/members");
  expect(pageText(members.text)).toContain("Hugo Discretos");
  // Listed by name, without a link to a profile nobody else may open.
  expect(members.text).not.toContain(`href="/people/${w.people.hugo.id}"`);
  expect((await w.store.db.selectFrom("space_member").select("role").where("user_id", "=", w.people.hugo.id).executeTakeFirstOrThrow()).role).toBe("member");
});
