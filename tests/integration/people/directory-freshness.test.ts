import { afterAll, beforeAll, expect, test } from "vitest";
import { currentProfileInput, writeProfile } from "#db/queries/people.ts";
import { removeMember } from "#db/queries/members.ts";
import { addMember, createUser } from "#tests/factories.ts";
import { pageText } from "#tests/helpers/http.ts";
import { world, type World } from "#tests/helpers/world.ts";

/**
 * The directory is an index each server process keeps in memory (decision
 * 83). Whatever writes the database — the app's own form, or anything else
 * (a script, another process) — the next view shows it: the triggers raise
 * the directory's version in the writer's transaction. Each change below is
 * made straight in the database, behind the server's back, and then looked
 * for over HTTP.
 */

let w: World<"sam" | "peer" | "other", "club" | "second">;

beforeAll(async () => {
  w = await world({
    people: { sam: { displayName: "Samuel Vigier" }, peer: { displayName: "Pia Pair" }, other: { displayName: "Oscar Autre" } },
    spaces: {
      club: { createdBy: "sam", slug: "club", name: "Club", members: { peer: "member" } },
      second: { createdBy: "other", slug: "second", name: "Second" },
    },
  });
});
afterAll(() => w?.close());

const directory = async (who: "peer" | "other", query = "") => pageText((await w.c[who].get(`/people${query}`)).text);

async function setSam(change: (p: Awaited<ReturnType<typeof currentProfileInput>>) => Partial<Awaited<ReturnType<typeof currentProfileInput>>>) {
  const p = await currentProfileInput(w.store.db, w.people.sam.id);
  await writeProfile(w.store.db, w.people.sam.id, { ...p, ...change(p) }, Date.now());
}

test("a profile written behind the server's back shows at the next view", async () => {
  await setSam(() => ({ headline: "Premier titre" }));
  expect(await directory("other")).toContain("Premier titre");
  await setSam(() => ({ headline: "Second titre" }));
  const text = await directory("other");
  expect(text).toContain("Second titre");
  expect(text).not.toContain("Premier titre");
});

test("a change of audience, and of listing, is obeyed at once", async () => {
  await setSam((p) => ({ headline: "Titre réservé", visibility: { ...p.visibility, headline: "clubs" } }));
  expect(await directory("peer")).toContain("Titre réservé");
  expect(await directory("other")).not.toContain("Titre réservé");
  await setSam(() => ({ listing: "clubs" }));
  expect(await directory("other")).not.toContain("Samuel Vigier");
  expect(await directory("peer")).toContain("Samuel Vigier");
});

test("joining a club and leaving it change who sees what, at once", async () => {
  // Oscar joins Samuel's club: he now shares it, and sees what Samuel keeps to his clubs.
  await addMember(w.store.db, { space: w.spaces.club, user: w.people.other });
  let text = await directory("other");
  expect(text).toContain("Samuel Vigier");
  expect(text).toContain("Titre réservé");
  // Removed from it, he stops at once.
  await removeMember(w.store.db, w.spaces.club.id, w.people.other.id);
  text = await directory("other");
  expect(text).not.toContain("Samuel Vigier");
  expect(text).not.toContain("Titre réservé");
});

test("a new member of the network is in the directory at once", async () => {
  const before = await directory("peer", "?q=zoe");
  expect(before).not.toContain("Zoé Nouvelle");
  const zoe = await createUser(w.store.db, { displayName: "Zoé Nouvelle" });
  await addMember(w.store.db, { space: w.spaces.club, user: zoe });
  expect(await directory("peer", "?q=zoe")).toContain("Zoé Nouvelle");
});

test("a club opened, renamed or closed changes the club filter at once", async () => {
  const clubOptions = async () => {
    const html = (await w.c.peer.get("/people")).text;
    const select = html.slice(html.indexOf('name="club"'), html.indexOf("</select>", html.indexOf('name="club"')));
    return pageText(select);
  };
  // Pia belongs to "club" only; "second" is not open, so its member list is not hers to read.
  expect(await clubOptions()).not.toContain("Second");
  await w.store.db.updateTable("space").set({ visibility: "open" }).where("id", "=", w.spaces.second.id).execute();
  expect(await clubOptions()).toContain("Second (1)");
  await w.store.db.updateTable("space").set({ name: "Deuxième cercle" }).where("id", "=", w.spaces.second.id).execute();
  const renamed = await clubOptions();
  expect(renamed).toContain("Deuxième cercle (1)");
  expect(renamed).not.toContain("Second");
  await w.store.db.updateTable("space").set({ visibility: "listed" }).where("id", "=", w.spaces.second.id).execute();
  expect(await clubOptions()).not.toContain("Deuxième cercle");
});
