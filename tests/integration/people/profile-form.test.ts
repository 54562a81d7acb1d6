import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { translate } from "#app/i18n/index.ts";
import { writeProfile, currentProfileInput } from "#db/queries/people.ts";
import { pageText } from "#tests/helpers/http.ts";
import { bioJson, profileFields } from "#tests/helpers/profile.ts";
import { world, type World } from "#tests/helpers/world.ts";

/**
 * The profile form (/settings/profile) over real HTTP: what it saves, what it
 * refuses beside the field with nothing saved, skills that are one whatever
 * their accents and case, and the skill suggestions, which never reveal a
 * skill its holder hides from the one asking.
 */

type People = "claire" | "julien" | "hidden" | "outsider";
let w: World<People, "achats" | "rh">;

beforeAll(async () => {
  w = await world({
    people: {
      claire: { displayName: "Claire Martin" },
      julien: { displayName: "Julien Moreau" },
      hidden: { displayName: "Hélène Discrète" },
      outsider: { displayName: "Olga Dehors" },
    },
    spaces: {
      achats: { createdBy: "claire", slug: "achats", name: "Club Achats", members: { julien: "member", hidden: "member" } },
      rh: { createdBy: "outsider", slug: "rh", name: "Club RH" },
    },
  });
});
afterAll(() => w?.close());

const saved = (id: string) => currentProfileInput(w.store.db, id);

describe("saving", () => {
  test("every field comes back as posted, skills deduplicated by their folded key", async () => {
    const res = await w.c.julien.post("/settings/profile", [
      ...Object.entries(profileFields({
        displayName: "Julien Moreau",
        headline: "Consultant achats industriels",
        bio: bioJson("Quinze ans chez un équipementier.", "Missions de sourcing."),
        skillsText: "",
        region: "ara",
        city: "Lyon",
        professionalStatus: "independent",
        website: "https://moreau-conseil.fr",
        linkedin: "https://www.linkedin.com/in/julien-moreau",
        availableFrom: "2027-02-01",
        listing: "clubs",
        "vis.city": "me",
        "vis.email": "clubs",
      })),
      ["skills", "Négociation"],
      ["skills", "supply chain"],
      ["skills", "negociation"],
      ["skills", "NÉGOCIATION "],
      ["sectors", "industry"],
      ["sectors", "energy"],
      ["languages", "fr"],
      ["languages", "en"],
      ["openTo", "missions"],
      ["openTo", "mentoring"],
    ]);
    expect(res.status).toBe(302);
    const p = await saved(w.people.julien.id);
    expect(p.skills).toEqual(["Négociation", "supply chain"]);
    expect(p.sectors).toEqual(["industry", "energy"]);
    expect(p.languages).toEqual(["fr", "en"]);
    expect(p.openTo).toEqual(["missions", "mentoring"]);
    expect(p).toMatchObject({ region: "ara", city: "Lyon", professionalStatus: "independent", website: "https://moreau-conseil.fr", availableFrom: "2027-02-01", listing: "clubs" });
    expect(p.visibility).toMatchObject({ city: "me", email: "clubs", headline: "network" });
    expect(p.bio.html).toContain("Quinze ans chez un équipementier.");
    const rows = await w.store.db.selectFrom("user_skill").select(["skill_key", "label"]).where("user_id", "=", w.people.julien.id).orderBy("position").execute();
    expect(rows).toEqual([
      { skill_key: "negociation", label: "Négociation" },
      { skill_key: "supply chain", label: "supply chain" },
    ]);
  });

  test("the comma-separated text of a page without its script is read too", async () => {
    const res = await w.c.claire.post("/settings/profile", profileFields({ displayName: "Claire Martin", skillsText: "Stratégie, gouvernance , strategie" }));
    expect(res.status).toBe(302);
    expect((await saved(w.people.claire.id)).skills).toEqual(["Stratégie", "gouvernance"]);
  });
});

describe("refusals: said beside the field, nothing saved", () => {
  const cases: Array<[string, Record<string, string> | Array<[string, string]>, string, string]> = [
    ["a website over http", { website: "http://moreau.fr" }, "website", "v.httpsOnly"],
    ["a javascript: website", { website: "javascript:alert(1)" }, "website", "v.httpsOnly"],
    ["a LinkedIn address elsewhere", { linkedin: "https://evil.example/in/julien" }, "linkedin", "v.linkedin"],
    ["an impossible date", { availableFrom: "2027-02-30" }, "availableFrom", "v.date"],
    ["an unknown region", { region: "atlantide" }, "region", "v.invalid"],
    ["an unknown audience", { "vis.city": "everyone" }, "vis.city", "v.invalid"],
    ["a bio link to javascript:", { bio: linkBio("javascript:alert(1)") }, "bio", "v.bioBadUrl"],
    ["31 skills", { skillsText: Array.from({ length: 31 }, (_, i) => `compétence ${i}`).join(",") }, "skills", "v.tooManySkills"],
  ];
  test.each(cases)("%s", async (_what, fields, _field, message) => {
    const before = await saved(w.people.hidden.id);
    const res = await w.c.hidden.post("/settings/profile", profileFields({ displayName: "Hélène Changée", ...(fields as Record<string, string>) }));
    expect(res.status).toBe(400);
    expect(pageText(res.text)).toContain(translate("fr", message as never));
    expect(await saved(w.people.hidden.id)).toEqual(before);
  });
});

/** A bio with one link, as the editor would post it. */
function linkBio(url: string): string {
  const format = { direction: null, format: "", indent: 0, version: 1 };
  const text = { type: "text", text: "mon site", format: 0, style: "", mode: "normal", detail: 0, version: 1 };
  const link = { type: "link", url, rel: null, target: null, title: null, ...format, children: [text] };
  return JSON.stringify({ root: { type: "root", ...format, children: [{ type: "paragraph", ...format, textFormat: 0, textStyle: "", children: [link] }] } });
}

describe("skill suggestions", () => {
  test("skills used in the network, by the start of a word, accents ignored, most used first — never a hidden one", async () => {
    const julien = await saved(w.people.julien.id);
    await writeProfile(w.store.db, w.people.julien.id, { ...julien, listing: "network" }, Date.now());
    const base = await saved(w.people.hidden.id);
    // Hélène shows her skills to her clubs only; Olga shares no club with her.
    await writeProfile(w.store.db, w.people.hidden.id, { ...base, skills: ["Négociation", "Zéphyrologie"], visibility: { ...base.visibility, skills: "clubs" } }, Date.now());
    const ask = async (who: People, q: string) => {
      const res = await w.c[who].get(`/people/skills?q=${encodeURIComponent(q)}`);
      expect(res.status).toBe(200);
      return (JSON.parse(res.text) as { skills: Array<{ label: string; count: number }> }).skills;
    };
    // Julien (Négociation, shown to the network) and Hélène: two for a peer of both.
    expect(await ask("claire", "nego")).toEqual([{ label: "Négociation", count: 2 }]);
    expect(await ask("claire", "zephyr")).toEqual([{ label: "Zéphyrologie", count: 1 }]);
    expect(await ask("claire", "chain")).toEqual([{ label: "supply chain", count: 1 }]);
    // Olga sees Julien's only: Hélène's hidden skill is neither counted nor named.
    expect(await ask("outsider", "nego")).toEqual([{ label: "Négociation", count: 1 }]);
    expect(await ask("outsider", "zephyr")).toEqual([]);
    expect((await w.anonymous.get("/people/skills?q=nego")).status).toBe(302);
  });
});
