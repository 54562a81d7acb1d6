import type { DB } from "./client.ts";
import type { JoinPolicy, ProfessionalStatus, Role, SpaceKind, Visibility } from "./schema.ts";
import { recordActivity } from "./queries/activity.ts";
import { addMember } from "./queries/members.ts";
import { createNetwork, isSetUp } from "./queries/network.ts";
import { createSpace } from "./queries/spaces.ts";
import { createUser, DEFAULT_TIME_ZONE } from "./queries/users.ts";
import { writeProfile } from "./queries/people.ts";
import { defaultAudiences, type Region } from "./profile-fields.ts";

/**
 * The base of the French consultants' network the demo loads: its people,
 * two trade clubs and two regional circles, and the memberships they have
 * held for months. db/ imports nothing of app/, so what members do in it —
 * co-optations under way, wiki, articles, comments, files — is played
 * through the app's own commands by server/demo*.ts.
 */

export const DEMO_ADMIN_EMAIL = "claire.martin@conseil-associes.example";
export const DEMO_MEMBER_EMAIL = "julien.moreau@conseil-associes.example";

export interface DemoPerson {
  key: string;
  name: string;
  email: string;
  headline: string;
  skills: string[];
  region: Region;
  status: ProfessionalStatus;
  admin?: boolean;
}

export const DEMO_PEOPLE: readonly DemoPerson[] = [
  { key: "claire", name: "Claire Martin", email: DEMO_ADMIN_EMAIL, headline: "Animatrice du réseau, conseil en stratégie", skills: ["stratégie", "gouvernance", "animation de réseau"], region: "idf", status: "independent", admin: true },
  { key: "julien", name: "Julien Moreau", email: DEMO_MEMBER_EMAIL, headline: "Consultant achats industriels, 15 ans chez un équipementier", skills: ["achats", "négociation", "supply chain"], region: "ara", status: "independent" },
  { key: "sophie", name: "Sophie Lefèvre", email: "sophie.lefevre@conseil-associes.example", headline: "Directrice achats de transition", skills: ["achats", "management de transition", "sourcing"], region: "idf", status: "independent" },
  { key: "karim", name: "Karim Benali", email: "karim.benali@conseil-associes.example", headline: "Supply chain et S&OP pour les ETI", skills: ["supply chain", "S&OP", "lean"], region: "ara", status: "partner" },
  { key: "anne", name: "Anne Dubois", email: "anne.dubois@conseil-associes.example", headline: "DRH de transition, relations sociales", skills: ["RH", "dialogue social", "restructuration"], region: "pdl", status: "independent" },
  { key: "thomas", name: "Thomas Girard", email: "thomas.girard@conseil-associes.example", headline: "Conduite du changement et transformation RH", skills: ["conduite du changement", "SIRH", "formation"], region: "bre", status: "company" },
  { key: "nathalie", name: "Nathalie Roux", email: "nathalie.roux@conseil-associes.example", headline: "Coach de dirigeants, ancienne DRH groupe", skills: ["coaching", "leadership", "RH"], region: "ara", status: "independent" },
  { key: "pierre", name: "Pierre Fontaine", email: "pierre.fontaine@conseil-associes.example", headline: "Acheteur public et marchés complexes", skills: ["achats publics", "juridique", "appels d'offres"], region: "bre", status: "retired" },
  { key: "amelie", name: "Amélie Perrin", email: "amelie.perrin@conseil-associes.example", headline: "Data et pilotage de la performance achats", skills: ["data", "Power BI", "achats"], region: "pdl", status: "independent" },
  { key: "olivier", name: "Olivier Lambert", email: "olivier.lambert@conseil-associes.example", headline: "Expert-comptable, accompagnement des indépendants", skills: ["finance", "fiscalité", "création d'entreprise"], region: "ara", status: "partner" },
  { key: "camille", name: "Camille Bernard", email: "camille.bernard@conseil-associes.example", headline: "Consultante RSE et achats responsables", skills: ["RSE", "achats responsables", "bilan carbone"], region: "idf", status: "independent" },
  { key: "lucas", name: "Lucas Mercier", email: "lucas.mercier@conseil-associes.example", headline: "Transformation digitale des PME de l'Ouest", skills: ["digital", "ERP", "PME"], region: "bre", status: "company" },
];

export interface DemoSpace {
  key: string;
  slug: string;
  name: string;
  kind: SpaceKind;
  visibility: Visibility;
  joinPolicy: JoinPolicy;
  description: string;
  members: Array<[person: string, role: Role, sponsor: string | null]>;
}

export const DEMO_SPACES: readonly DemoSpace[] = [
  {
    key: "achats",
    slug: "club-achats",
    name: "Club Achats & Supply Chain",
    kind: "trade_club",
    visibility: "listed",
    joinPolicy: "coopt_approval",
    description:
      "Les consultants achats et supply chain du réseau partagent leurs pratiques : négociation, sourcing, S&OP, achats responsables. Un atelier par mois, un compte rendu dans le wiki.",
    members: [
      ["claire", "admin", null],
      ["sophie", "admin", "claire"],
      ["julien", "member", "sophie"],
      ["karim", "editor", "sophie"],
      ["amelie", "member", "julien"],
      ["camille", "member", "sophie"],
      ["pierre", "guest", "karim"],
    ],
  },
  {
    key: "rh",
    slug: "club-rh",
    name: "Club Transformation RH",
    kind: "trade_club",
    visibility: "listed",
    joinPolicy: "coopt_direct",
    description: "DRH de transition, coachs et consultants en conduite du changement : cas concrets, outils, retours d'expérience.",
    members: [
      ["anne", "admin", null],
      ["thomas", "member", "anne"],
      ["nathalie", "editor", "anne"],
      ["claire", "member", "anne"],
    ],
  },
  {
    key: "lyon",
    slug: "cercle-lyon",
    name: "Cercle Lyon Auvergne-Rhône-Alpes",
    kind: "regional_circle",
    visibility: "open",
    joinPolicy: "admins_invite",
    description: "Les membres de la région lyonnaise : petits-déjeuners mensuels, missions à partager, annuaire local.",
    members: [
      ["karim", "admin", null],
      ["julien", "member", "karim"],
      ["nathalie", "member", "karim"],
      ["olivier", "member", "nathalie"],
    ],
  },
  {
    key: "ouest",
    slug: "cercle-grand-ouest",
    name: "Cercle Grand Ouest",
    kind: "regional_circle",
    visibility: "secret",
    joinPolicy: "coopt_approval",
    description: "Bretagne et Pays de la Loire : rencontres trimestrielles à Nantes et Rennes.",
    members: [
      ["anne", "admin", null],
      ["thomas", "member", "anne"],
      ["pierre", "member", "anne"],
      ["amelie", "member", "thomas"],
      ["lucas", "member", "pierre"],
    ],
  },
];

const DAY = 24 * 60 * 60 * 1000;

export async function seedDemo(db: DB, options: { passwordHash: string; now: number }): Promise<void> {
  if (await isSetUp(db)) throw new Error("This database already has accounts: the demo loads only into an empty one.");
  const { now, passwordHash } = options;
  await db.transaction().execute(async (trx) => {
    await createNetwork(trx, { name: "Réseau Conseil & Associés", defaultLocale: "fr", now: now - 400 * DAY });
    const ids = new Map<string, string>();
    for (const [index, p] of DEMO_PEOPLE.entries()) {
      const created = now - (380 - index * 20) * DAY;
      const user = await createUser(trx, {
        email: p.email,
        displayName: p.name,
        passwordHash,
        isNetworkAdmin: p.admin ?? false,
        locale: "fr",
        now: created,
      });
      await writeProfile(
        trx,
        user.id,
        {
          displayName: p.name,
          headline: p.headline,
          bio: { json: "", html: "" },
          skills: p.skills,
          sectors: [],
          region: p.region,
          city: "",
          professionalStatus: p.status,
          languages: ["fr"],
          website: "",
          linkedin: "",
          openTo: [],
          availableFrom: null,
          listing: "network",
          visibility: defaultAudiences(),
          locale: "fr",
          timeZone: DEFAULT_TIME_ZONE,
        },
        created,
      );
      ids.set(p.key, user.id);
    }
    const id = (key: string) => ids.get(key)!;

    for (const [index, s] of DEMO_SPACES.entries()) {
      const createdAt = now - (300 - index * 30) * DAY;
      const space = await createSpace(trx, {
        slug: s.slug,
        name: s.name,
        kind: s.kind,
        description: s.description,
        visibility: s.visibility,
        joinPolicy: s.joinPolicy,
        createdBy: id("claire"),
        now: createdAt,
      });
      await recordActivity(trx, { spaceId: space.id, actorId: id(s.members[0][0]), verb: "space_created", now: createdAt });
      for (const [m, [person, role, sponsor]] of s.members.entries()) {
        const joinedAt = createdAt + (m + 1) * 9 * DAY;
        await addMember(trx, { spaceId: space.id, userId: id(person), role, sponsorId: sponsor ? id(sponsor) : null, now: joinedAt });
        if (m > 0) {
          const sponsorName = DEMO_PEOPLE.find((p) => p.key === sponsor)?.name;
          await recordActivity(trx, {
            spaceId: space.id,
            actorId: id(person),
            verb: "member_joined",
            data: sponsorName ? { sponsor: sponsorName } : {},
            now: joinedAt,
          });
        }
      }
    }
  });
}
