import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Space, WorkshopState } from "#db/schema.ts";
import { pageText } from "#tests/helpers/http.ts";
import { seedWorkshop } from "#tests/helpers/workshops.ts";
import { world, type World } from "#tests/helpers/world.ts";

/**
 * The network agenda (/agenda): a member sees the workshops of their spaces
 * and those opened to the network from a space that may open them, never a
 * secret club's they are not in, a trashed, proposed or declined one, nor one
 * of an archived space; as a list from now on, or a month, in their own time
 * zone; narrowed to one of their spaces.
 */

const HOUR = 3_600_000;
type People = "claire" | "julien" | "outsider";
type Spaces = "achats" | "rh" | "secret" | "lyon";
let w: World<People, Spaces>;
const soon = Date.now() + 3 * 24 * HOUR;

async function workshop(space: Space, title: string, options: { state?: WorkshopState; visibility?: "space" | "network"; deleted?: boolean; startsAt?: number; videoUrl?: string } = {}) {
  const startsAt = options.startsAt ?? soon;
  await seedWorkshop(w.store.db, {
    spaceId: space.id,
    createdBy: w.people.claire.id,
    title,
    state: options.state,
    startsAt,
    endsAt: startsAt + 2 * HOUR,
    place: "Lyon, 5 place Bellecour",
    videoUrl: options.videoUrl ?? null,
    visibility: options.visibility,
    deletedAt: options.deleted ? Date.now() : null,
  });
}

beforeAll(async () => {
  w = await world({
    people: { claire: { displayName: "Claire Martin" }, julien: { displayName: "Julien Moreau" }, outsider: { displayName: "Olga Dehors" } },
    spaces: {
      achats: { createdBy: "claire", slug: "achats", name: "Club Achats", visibility: "listed", members: { julien: "member" } },
      rh: { createdBy: "claire", slug: "rh", name: "Club RH", visibility: "listed" },
      secret: { createdBy: "claire", slug: "comite", name: "Comité secret", visibility: "secret" },
      lyon: { createdBy: "claire", slug: "lyon", name: "Cercle Lyon", kind: "regional_circle", visibility: "open", members: { julien: "member" } },
    },
  });
  const { achats, rh, secret, lyon } = w.spaces;
  await workshop(achats, "Négocier avec un fournisseur unique");
  await workshop(achats, "Atelier annulé des achats", { state: "cancelled", startsAt: soon + HOUR });
  await workshop(achats, "Atelier proposé", { state: "proposed" });
  await workshop(achats, "Atelier à la corbeille", { deleted: true });
  await workshop(achats, "Atelier passé", { startsAt: Date.now() - 5 * 24 * HOUR });
  await workshop(lyon, "Petit-déjeuner lyonnais", { startsAt: soon + 24 * HOUR, videoUrl: "https://visio.example/lyon" });
  await workshop(rh, "Dialogue social : ouvert au réseau", { visibility: "network" });
  await workshop(rh, "Réservé au club RH");
  await workshop(secret, "Ouvert au réseau mais secret", { visibility: "network" });
  await workshop(secret, "Réunion du comité");
});
afterAll(() => w?.close());

const titles = (html: string) => [...html.matchAll(/class="agenda-title[^"]*"><a [^>]*>([^<]+)<\/a>/g)].map((m) => m[1].replace(/&#x27;|&#39;/g, "'"));

describe("who sees what", () => {
  test("a member: their clubs' upcoming workshops, cancelled ones marked, and those opened to the network", async () => {
    const res = await w.c.julien.get("/agenda");
    expect(res.status).toBe(200);
    expect(titles(res.text).sort()).toEqual(["Atelier annulé des achats", "Dialogue social : ouvert au réseau", "Négocier avec un fournisseur unique", "Petit-déjeuner lyonnais"].sort());
    expect(pageText(res.text)).toContain("Annulé");
    expect(pageText(res.text)).toContain("Ouvert au réseau");
    expect(pageText(res.text)).toContain("En visio");
  });

  test("the admin of every club sees each club's own, and the secret committee's, but never a trashed or proposed one in the agenda", async () => {
    const shown = titles((await w.c.claire.get("/agenda")).text);
    expect(shown).toEqual(expect.arrayContaining(["Réunion du comité", "Réservé au club RH", "Ouvert au réseau mais secret"]));
    expect(shown).not.toContain("Atelier proposé");
    expect(shown).not.toContain("Atelier à la corbeille");
    expect(shown).not.toContain("Atelier passé");
  });

  test("someone in no club sees only what was opened to the network from a club that may open it: never a secret club's", async () => {
    expect(titles((await w.c.outsider.get("/agenda")).text)).toEqual(["Dialogue social : ouvert au réseau"]);
  });
});

describe("narrowed and by month", () => {
  test("narrowed to the Lyon circle, the list holds its workshop alone; a space the member is not in is no agenda", async () => {
    expect(titles((await w.c.julien.get("/agenda?space=lyon")).text)).toEqual(["Petit-déjeuner lyonnais"]);
    expect((await w.c.julien.get("/agenda?space=rh")).status).toBe(404);
    expect((await w.c.julien.get("/agenda?space=comite")).status).toBe(404);
  });

  test("the month view puts each workshop on its day in the reader's zone; the past of this month shows too", async () => {
    const month = new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Paris", year: "numeric", month: "2-digit" }).format(soon).slice(0, 7);
    const res = await w.c.julien.get(`/agenda?view=month&month=${month}`);
    expect(res.status).toBe(200);
    expect(titles(res.text)).toContain("Négocier avec un fournisseur unique");
    expect(res.text).toContain('<table class="month-grid">');
    expect((await w.c.julien.get("/agenda?view=month&month=2026-13")).status).toBe(404);
  });

  test("times are in the reader's own zone, named in the page", async () => {
    await w.store.db.updateTable("user").set({ time_zone: "America/New_York" }).where("id", "=", w.people.julien.id).execute();
    try {
      const res = await w.c.julien.get("/agenda?space=lyon");
      const expected = new Intl.DateTimeFormat("fr-FR", { hour: "2-digit", minute: "2-digit", timeZone: "America/New_York" }).format(soon + 24 * HOUR);
      expect(pageText(res.text)).toContain(expected);
      expect(pageText(res.text)).toContain("heure de l’Est");
    } finally {
      await w.store.db.updateTable("user").set({ time_zone: "Europe/Paris" }).where("id", "=", w.people.julien.id).execute();
    }
  });
});
