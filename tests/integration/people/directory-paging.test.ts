import { afterAll, beforeAll, expect, test } from "vitest";
import { PAGE_SIZE } from "#app/people/directory.server.ts";
import { addMember, createUser } from "#tests/factories.ts";
import { pageText } from "#tests/helpers/http.ts";
import { world, type World } from "#tests/helpers/world.ts";

/**
 * The directory a page at a time: every member the viewer may find is on
 * exactly one page, in the order asked, and each page links to its
 * neighbours with the search kept.
 */

let w: World<"reader", "club">;
const names: string[] = [];

beforeAll(async () => {
  w = await world({ people: { reader: { displayName: "Zélie Lectrice" } }, spaces: { club: { createdBy: "reader", slug: "club", name: "Club" } } });
  // A page and a half of members, found by a word of their name.
  const count = PAGE_SIZE + Math.ceil(PAGE_SIZE / 2);
  for (let i = count - 1; i >= 0; i--) {
    const name = `Membre ${String(i).padStart(2, "0")} Pagination`;
    names.unshift(name);
    const user = await createUser(w.store.db, { displayName: name });
    // Arrival a minute apart, in name order: the newest is the last name.
    await w.store.db.updateTable("user").set({ created_at: Date.UTC(2026, 0, 1) + i * 60_000 }).where("id", "=", user.id).execute();
    await addMember(w.store.db, { space: w.spaces.club, user });
  }
});
afterAll(() => w?.close());

const cardNames = (html: string) => [...html.matchAll(/<h2><a href="\/people\/[^"]+">([^<]+)<\/a><\/h2>/g)].map((m) => m[1]!);

test("pages split the members in name order, each member on exactly one page", async () => {
  const first = (await w.c.reader.get("/people?q=pagination")).text;
  const second = (await w.c.reader.get("/people?q=pagination&page=2")).text;
  expect(cardNames(first)).toEqual(names.slice(0, PAGE_SIZE));
  expect(cardNames(second)).toEqual(names.slice(PAGE_SIZE));
  expect(pageText(first)).toContain(`${names.length} membres`);
  expect(pageText(first)).toContain("Page 1 sur 2");
  expect(pageText(second)).toContain("Page 2 sur 2");
  // Next from the first, previous from the second, with the search kept.
  expect(first).toMatch(/<a[^>]*href="\/people\?q=pagination&amp;page=2"[^>]*rel="next"|<a[^>]*rel="next"[^>]*href="\/people\?q=pagination&amp;page=2"/);
  expect(second).toMatch(/<a[^>]*href="\/people\?q=pagination"[^>]*rel="prev"|<a[^>]*rel="prev"[^>]*href="\/people\?q=pagination"/);
  expect(second).not.toContain('rel="next"');
});

test("the recently joined order pages the same members, newest first", async () => {
  const first = cardNames((await w.c.reader.get("/people?q=pagination&sort=recent")).text);
  const second = cardNames((await w.c.reader.get("/people?q=pagination&sort=recent&page=2")).text);
  expect(first).toHaveLength(PAGE_SIZE);
  expect([...first, ...second]).toEqual([...names].reverse());
});

test("a page past the end shows nobody, and says so", async () => {
  const res = await w.c.reader.get("/people?q=pagination&page=9");
  expect(res.status).toBe(200);
  expect(cardNames(res.text)).toEqual([]);
  expect(pageText(res.text)).toContain("Aucun membre ne correspond à cette recherche.");
});
