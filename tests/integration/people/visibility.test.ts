import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { AUDIENCES, LISTINGS, PROFILE_FIELD_NAMES, defaultAudiences, type Audience, type Listing, type ProfileField } from "#db/profile-fields.ts";
import { currentProfileInput, setPhoto, writeProfile } from "#db/queries/people.ts";
import type { Client } from "#tests/helpers/http.ts";
import { bioJson } from "#tests/helpers/profile.ts";
import { world, type World } from "#tests/helpers/world.ts";

/**
 * No leak, for every field, every filter and every viewer relation: Sabine
 * (S) fills every field with a value found nowhere else; for each field,
 * audience and listing, that one field is set to the audience and every
 * other to "only me", and three viewers — Sabine herself, Camille who
 * shares a SECRET club with her, Noé who shares none — read the directory,
 * its filter on that field and its counts, and her profile page. What each
 * must see is the table below, written by hand (tests/unit/policies has
 * the same table for the functions): the marker is in the page or it is
 * not, anywhere in its HTML and its serialized data.
 */

// listing   audience   self  club  network
const SEEN = `
  network   network    yes   yes   yes
  network   clubs      yes   yes   no
  network   me         yes   no    no
  clubs     network    yes   yes   no
  clubs     clubs      yes   yes   no
  clubs     me         yes   no    no
  hidden    network    yes   no    no
  hidden    clubs      yes   no    no
  hidden    me         yes   no    no
`
  .trim()
  .split("\n")
  .map((l) => l.trim().split(/\s+/));
const sees = (listing: Listing, audience: Audience, who: Viewer) => SEEN.find(([l, a]) => l === listing && a === audience)![{ self: 2, club: 3, network: 4 }[who]] === "yes";
const finds = (listing: Listing, who: Viewer) => who === "self" || (listing !== "hidden" && (who !== "network" || listing === "network"));
/**
 * What a page shows of her. Another viewer's whole answer (HTML and the
 * serialized data) is read; her own page carries her email in its account
 * menu whatever her profile says, so for her only the main region counts.
 */
const seen = (who: Viewer, html: string) => (who === "self" ? html.slice(html.indexOf("<main"), html.indexOf("</main>")) : html);

type Viewer = "self" | "club" | "network";
type People = "sabine" | "camille" | "noe";
let w: World<People, "secret" | "other">;
const as: Record<Viewer, () => Client> = { self: () => w.c.sabine, club: () => w.c.camille, network: () => w.c.noe };

const R = Math.random().toString(36).slice(2, 8);
const NAME = `Sabine Témoin${R}`;
const PHOTO = `photomarq${R}`;
/** For each field: what is written, what betrays it in a page, and the directory's filter on it (with its facet's words) where there is one. */
const MARKERS: Record<ProfileField, { text: string; onCard: boolean; filter?: { query: string; facet: string } }> = {
  headline: { text: `Marqtitre${R}`, onCard: true, filter: { query: `q=marqtitre${R}`, facet: "" } },
  bio: { text: `Marqbio${R}`, onCard: false },
  skills: { text: `Zephyro${R}`, onCard: true, filter: { query: `skill=zephyro${R}`, facet: `Zephyro${R} (1)` } },
  sectors: { text: "Associations et ESS", onCard: false },
  region: { text: "Corse", onCard: true, filter: { query: "region=cor", facet: "Corse (1)" } },
  city: { text: `Villemarq${R}`, onCard: true },
  status: { text: "Retraité", onCard: true, filter: { query: "status=retired", facet: "Retraité (1)" } },
  languages: { text: "Japonais", onCard: false },
  links: { text: `marq-${R}.example`, onCard: false },
  openTo: { text: "intervenir en atelier", onCard: true, filter: { query: "open=speaking", facet: "Intervenir en atelier (1)" } },
  email: { text: `sabine.${R}@visibility.test`, onCard: false },
  photo: { text: PHOTO, onCard: true },
};

beforeAll(async () => {
  w = await world({
    people: { sabine: { displayName: NAME, email: MARKERS.email.text }, camille: { displayName: "Camille Pair" }, noe: { displayName: "Noé Ailleurs" } },
    spaces: {
      secret: { createdBy: "sabine", slug: "comite-discret", name: `Comité discret ${R}`, visibility: "secret", members: { camille: "member" } },
      other: { createdBy: "noe", slug: "autre", name: "Autre club", visibility: "listed" },
    },
  });
  await setPhoto(w.store.db, w.people.sabine.id, PHOTO, Date.now());
});
afterAll(() => w?.close());

async function setSabine(listing: Listing, field: ProfileField, audience: Audience) {
  const p = await currentProfileInput(w.store.db, w.people.sabine.id);
  const visibility = Object.fromEntries(PROFILE_FIELD_NAMES.map((f) => [f, f === field ? audience : "me"])) as Record<ProfileField, Audience>;
  await writeProfile(
    w.store.db,
    w.people.sabine.id,
    {
      ...p,
      displayName: NAME,
      headline: MARKERS.headline.text,
      bio: { json: bioJson(MARKERS.bio.text), html: `<p class="rt-p">${MARKERS.bio.text}</p>` },
      skills: [MARKERS.skills.text],
      sectors: ["nonprofit"],
      region: "cor",
      city: MARKERS.city.text,
      professionalStatus: "retired",
      languages: ["ja"],
      website: `https://${MARKERS.links.text}`,
      linkedin: "",
      openTo: ["speaking"],
      listing,
      visibility,
    },
    Date.now(),
  );
}

const cases = LISTINGS.flatMap((listing) => PROFILE_FIELD_NAMES.flatMap((field) => AUDIENCES.map((audience) => ({ listing, field, audience }))));

describe.each(cases)("$field for $audience, profile listed to $listing", ({ listing, field, audience }) => {
  beforeAll(() => setSabine(listing, field, audience));
  const marker = MARKERS[field];

  test.each(["self", "club", "network"] as const)("as %s", async (who) => {
    const c = as[who]();
    const shown = sees(listing, audience, who);

    // The profile page: 404 to whoever may not find her; else the field exactly when shown.
    const profile = await c.get(`/people/${w.people.sabine.id}`);
    if (!finds(listing, who)) {
      expect(profile.status).toBe(404);
      expect(profile.text).not.toContain(marker.text);
    } else {
      expect(profile.status).toBe(200);
      expect(seen(who, profile.text).includes(marker.text), `profile page shows ${field}`).toBe(shown);
    }

    // The directory: her card, and on it the field exactly when shown (fields cards do not carry: never).
    const directory = seen(who, (await c.get("/people")).text);
    expect(directory.includes(NAME), "she is listed").toBe(finds(listing, who));
    expect(directory.includes(marker.text), `directory shows ${field}`).toBe(shown && marker.onCard);

    // The filter on this field finds her, and the counts count her, only when the field is shown.
    // A skill hidden from the viewer is not found by the text box either, even by its first letters.
    if (field === "skills") expect((await c.get(`/people?q=zephy`)).text.includes(NAME), "q=zephy finds her").toBe(shown);
    if (marker.filter) {
      const filtered = (await c.get(`/people?${marker.filter.query}`)).text;
      expect(filtered.includes(NAME), `filter ${marker.filter.query} finds her`).toBe(shown);
      if (marker.filter.facet) expect(directory.includes(marker.filter.facet), `facet counts her ${field}`).toBe(shown);
    }
  });
});

describe("the rest of what a profile shows", () => {
  beforeAll(() => setSabine("network", "headline", "network"));

  test("a secret club never appears on her profile or her card seen from outside it; to a peer it is a club in common", async () => {
    const secret = `Comité discret ${R}`;
    expect((await w.c.noe.get(`/people/${w.people.sabine.id}`)).text).not.toContain(secret);
    expect((await w.c.noe.get("/people")).text).not.toContain(secret);
    expect((await w.c.camille.get(`/people/${w.people.sabine.id}`)).text).toContain(secret);
  });

  test("filtering by a club the viewer may not read reveals nothing of it", async () => {
    await setSabine("clubs", "headline", "network");
    const page = (await w.c.noe.get("/people?club=comite-discret")).text;
    expect(page).not.toContain(NAME);
    expect(page).not.toContain(`Comité discret ${R}`);
    // To Camille, a member, it is a filter like any other.
    expect((await w.c.camille.get("/people?club=comite-discret")).text).toContain(NAME);
  });

  test("'see my profile as…' shows her exactly what Camille and Noé see; ?as= on someone else's profile changes nothing", async () => {
    // A mix of audiences, so the two previews differ.
    const p = await currentProfileInput(w.store.db, w.people.sabine.id);
    await writeProfile(w.store.db, w.people.sabine.id, { ...p, listing: "network", visibility: { ...defaultAudiences(), city: "clubs", bio: "me", email: "me" } }, Date.now());
    const present = (text: string) => PROFILE_FIELD_NAMES.filter((f) => text.includes(MARKERS[f].text)).sort();
    const asClub = present(seen("self", (await w.c.sabine.get(`/people/${w.people.sabine.id}?as=club`)).text));
    const asNetwork = present(seen("self", (await w.c.sabine.get(`/people/${w.people.sabine.id}?as=network`)).text));
    expect(asClub).toEqual(present((await w.c.camille.get(`/people/${w.people.sabine.id}`)).text));
    expect(asNetwork).toEqual(present((await w.c.noe.get(`/people/${w.people.sabine.id}`)).text));
    expect(asClub).toContain("city");
    expect(asNetwork).not.toContain("city");
    expect(asClub).not.toContain("bio");
    expect(present((await w.c.noe.get(`/people/${w.people.sabine.id}?as=club`)).text)).toEqual(asNetwork);
  });
});
