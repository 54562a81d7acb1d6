import { defaultAudiences, type Audience, type Language, type Listing, type OpenTo, type ProfileField, type Region, type Sector } from "#db/profile-fields.ts";
import { currentProfileInput, writeProfile } from "#db/queries/people.ts";
import { setContactPolicy } from "#db/queries/contact.ts";
import { findByEmail } from "#db/queries/users.ts";
import type { ProfessionalStatus, User } from "#db/schema.ts";
import { transact } from "#db/transact.ts";
import { checkCommentContent } from "#app/editor/content-pool.server.ts";
import { at, DAY, frenchSpacing, type DemoWorld } from "./demo-world.ts";

/**
 * The members' profiles, written as each of them would in their settings:
 * through writeProfile in a transaction, the bio as the comment editor posts
 * it (paragraphs, bold, italic, links) and checked by the comment profile.
 * Most keep the default audiences; a few chose otherwise, so the directory
 * and "see my profile as…" show the feature: Thomas lists his profile to his
 * clubs only, Nathalie keeps her city to herself, Sophie shows her email to
 * her clubs, Pierre keeps his bio to himself. Skills reuse the same words
 * across people (negotiation spelt three ways) so the skill facet counts.
 */

type Run = string | { b: string } | { i: string } | { link: string; url: string };

interface DemoProfile {
  headline: string;
  /** Paragraphs of runs. */
  bio: Run[][];
  skills: string[];
  sectors: Sector[];
  region: Region;
  city: string;
  status: ProfessionalStatus;
  languages: Language[];
  website?: string;
  linkedin?: string;
  openTo: OpenTo[];
  /** Days from now, for "available from". */
  availableIn?: number;
  listing?: Listing;
  audiences?: Partial<Record<ProfileField, Audience>>;
  /** Days ago the member last saved their profile. */
  savedDaysAgo: number;
}

const PROFILES: Record<string, DemoProfile> = {
  claire: {
    headline: "Animatrice du réseau, conseil en stratégie",
    bio: [
      [
        "Vingt ans de conseil en stratégie, dont douze comme associée d'un cabinet parisien, avant de m'installer à mon compte. J'accompagne des dirigeants d'ETI familiales sur leur plan à cinq ans et la ",
        { b: "gouvernance" },
        " qui va avec : conseil d'administration, comité de direction, succession.",
      ],
      ["J'anime le réseau depuis sa création : si vous cherchez quelqu'un, écrivez-moi, je sais souvent qui connaît qui."],
    ],
    skills: ["Stratégie", "Gouvernance", "Animation de réseau", "Conseil d'administration", "Transmission d'entreprise"],
    sectors: ["services", "industry"],
    region: "idf",
    city: "Paris",
    status: "independent",
    languages: ["fr", "en"],
    website: "https://claire-martin-conseil.example",
    linkedin: "https://www.linkedin.com/in/claire-martin-strategie",
    openTo: ["mentoring", "speaking"],
    savedDaysAgo: 35,
  },
  julien: {
    headline: "Consultant achats industriels, 15 ans chez un équipementier",
    bio: [
      [
        "Quinze ans aux achats d'un équipementier automobile, les six derniers à la tête des achats de production. J'interviens aujourd'hui auprès d'ETI industrielles de la région lyonnaise : ",
        { b: "renégociation des contrats-cadres" },
        ", sourcing de nouveaux fournisseurs en Europe de l'Est, plans de progrès avec les fournisseurs en difficulté.",
      ],
      ["Ma méthode tient en une phrase : des chiffres partagés avec le fournisseur avant toute négociation."],
    ],
    skills: ["Achats", "négociation", "Supply chain", "Achats industriels", "Sourcing"],
    sectors: ["industry", "transport"],
    region: "ara",
    city: "Lyon",
    status: "independent",
    languages: ["fr", "en", "de"],
    linkedin: "https://www.linkedin.com/in/julien-moreau-achats",
    openTo: ["missions", "subcontracting"],
    availableIn: 20,
    savedDaysAgo: 12,
  },
  sophie: {
    headline: "Directrice achats de transition",
    bio: [
      [
        "Directrice achats de transition depuis 2016, après quinze ans dans la distribution spécialisée. On m'appelle après une acquisition, un départ imprévu ou un plan de réduction des coûts qui patine ; je reste de quatre à neuf mois.",
      ],
      [
        "Je commence toujours par un ",
        { i: "diagnostic des dépenses" },
        " en trois semaines, puis je laisse à l'équipe un plan d'action chiffré qu'elle sait tenir sans moi.",
      ],
    ],
    skills: ["Achats", "Management de transition", "Sourcing", "Négociation", "Category management"],
    sectors: ["retail", "services"],
    region: "idf",
    city: "Versailles",
    status: "independent",
    languages: ["fr", "en", "es"],
    linkedin: "https://www.linkedin.com/in/sophie-lefevre-achats",
    openTo: ["missions", "mentoring"],
    availableIn: 60,
    // Her clubs may write to her directly.
    audiences: { email: "clubs" },
    savedDaysAgo: 8,
  },
  karim: {
    headline: "Supply chain et S&OP pour les ETI",
    bio: [
      [
        "Associé d'un cabinet lyonnais de six consultants, j'aide les industriels à relier prévisions commerciales et capacités de production. Nous mettons en place des processus S&OP sobres, tenus par les équipes plutôt que par un logiciel, et des chantiers ",
        { b: "lean" },
        " sur les lignes qui en ont besoin.",
      ],
      ["Je parle volontiers de S&OP dans les ateliers du réseau ; nos méthodes sont décrites sur ", { link: "le site du cabinet", url: "https://flux-et-capacites.example/methode" }, "."],
    ],
    skills: ["Supply chain", "S&OP", "Lean", "Excellence opérationnelle", "Prévision de la demande"],
    sectors: ["industry", "agrifood"],
    region: "ara",
    city: "Villeurbanne",
    status: "partner",
    languages: ["fr", "en", "ar"],
    website: "https://flux-et-capacites.example",
    linkedin: "https://www.linkedin.com/in/karim-benali-sop",
    openTo: ["subcontracting", "speaking"],
    savedDaysAgo: 50,
  },
  anne: {
    headline: "DRH de transition, relations sociales",
    bio: [
      [
        "DRH pendant douze ans dans la distribution, puis de transition depuis 2018 : réorganisations, fermetures de sites, négociations annuelles difficiles. Je privilégie les accords construits tôt avec les élus plutôt que les plans annoncés.",
      ],
      ["J'anime le Club Transformation RH et le Cercle Grand Ouest, où nous partageons nos cas en toute confidentialité."],
    ],
    skills: ["RH", "Dialogue social", "Restructuration", "negociation", "Droit du travail"],
    sectors: ["retail", "industry", "health"],
    region: "pdl",
    city: "Nantes",
    status: "independent",
    languages: ["fr", "en"],
    linkedin: "https://www.linkedin.com/in/anne-dubois-drh",
    openTo: ["missions", "mentoring"],
    savedDaysAgo: 64,
  },
  thomas: {
    headline: "Conduite du changement et transformation RH",
    bio: [
      [
        "Consultant salarié d'un cabinet rennais, je conduis des projets SIRH et les changements d'organisation qui les accompagnent, dans des PME et des établissements de santé. J'accorde autant de place à la ",
        { b: "formation des managers" },
        " qu'au paramétrage de l'outil.",
      ],
    ],
    skills: ["Conduite du changement", "SIRH", "Formation", "Transformation RH"],
    sectors: ["health", "services"],
    region: "bre",
    city: "Rennes",
    status: "company",
    languages: ["fr", "en"],
    linkedin: "https://www.linkedin.com/in/thomas-girard-rh",
    openTo: ["speaking"],
    // Employed by a firm: found by the members of his clubs only.
    listing: "clubs",
    savedDaysAgo: 40,
  },
  nathalie: {
    headline: "Coach de dirigeants, ancienne DRH groupe",
    bio: [
      [
        "Ancienne DRH d'un groupe pharmaceutique, j'accompagne des dirigeants et des comités de direction dans les moments de bascule : prise de poste, fusion, succession. Séances individuelles et ateliers d'équipe, avec une ",
        { i: "supervision" },
        " régulière de ma pratique.",
      ],
      ["Je reçois à mon cabinet ou en visioconférence, jamais dans les locaux du client pour les séances individuelles."],
    ],
    skills: ["Coaching", "Leadership", "RH", "Codéveloppement", "Coaching de dirigeants"],
    sectors: ["health", "services"],
    region: "ara",
    city: "Annecy",
    status: "independent",
    languages: ["fr", "en", "it"],
    website: "https://nathalie-roux-coaching.example",
    openTo: ["mentoring"],
    // She works from home: her town stays hers.
    audiences: { city: "me" },
    savedDaysAgo: 27,
  },
  pierre: {
    headline: "Acheteur public et marchés complexes",
    bio: [
      [
        "Trente ans d'achats publics, à l'hôpital puis dans une métropole, dont dix à la tête d'un service de la commande publique. À la retraite, je relis des dossiers de consultation et j'aide les PME à répondre à leur premier appel d'offres public.",
      ],
    ],
    skills: ["Achats publics", "Juridique", "Appels d'offres", "Commande publique"],
    sectors: ["public", "health"],
    region: "bre",
    city: "Brest",
    status: "retired",
    languages: ["fr"],
    openTo: ["mentoring", "speaking"],
    // A draft he keeps to himself for now.
    audiences: { bio: "me" },
    savedDaysAgo: 90,
  },
  amelie: {
    headline: "Data et pilotage de la performance achats",
    bio: [
      [
        "Je construis des cartographies des dépenses et des tableaux de bord achats que les acheteurs ouvrent vraiment. Formée au contrôle de gestion, je passe la moitié de mes missions à ",
        { b: "fiabiliser les référentiels fournisseurs" },
        " : sans eux, aucun indicateur ne tient.",
      ],
    ],
    skills: ["Data", "Power BI", "Achats", "Performance achats", "SQL"],
    sectors: ["industry", "agrifood"],
    region: "pdl",
    city: "Angers",
    status: "independent",
    languages: ["fr", "en"],
    linkedin: "https://www.linkedin.com/in/amelie-perrin-data",
    openTo: ["missions", "subcontracting"],
    savedDaysAgo: 18,
  },
  olivier: {
    headline: "Expert-comptable, accompagnement des indépendants",
    bio: [
      [
        "Associé d'un cabinet d'expertise comptable à Lyon, je suis une centaine de consultants indépendants : choix du statut, facturation, prévoyance, préparation de la retraite. Je tiens une permanence mensuelle au Cercle Lyon pour les membres qui se lancent.",
      ],
    ],
    skills: ["Finance", "Fiscalité", "Création d'entreprise", "Comptabilité"],
    sectors: ["finance", "services"],
    region: "ara",
    city: "Lyon",
    status: "partner",
    languages: ["fr", "en"],
    website: "https://lambert-associes-expertise.example",
    linkedin: "https://www.linkedin.com/in/olivier-lambert-expert-comptable",
    openTo: ["speaking", "mentoring"],
    savedDaysAgo: 70,
  },
  camille: {
    headline: "Consultante RSE et achats responsables",
    bio: [
      [
        "Je réalise des bilans carbone et construis avec les équipes des plans de réduction chiffrés, poste par poste. Les achats pèsent souvent plus des deux tiers des émissions : c'est par eux que je commence, avec les acheteurs et leurs fournisseurs.",
      ],
      ["J'accompagne aussi des ETI dans leur premier rapport ", { b: "CSRD" }, "."],
    ],
    skills: ["RSE", "Achats responsables", "Bilan carbone", "CSRD", "Négociation"],
    sectors: ["energy", "industry", "construction"],
    region: "idf",
    city: "Montreuil",
    status: "independent",
    languages: ["fr", "en"],
    linkedin: "https://www.linkedin.com/in/camille-bernard-rse",
    openTo: ["missions", "speaking"],
    savedDaysAgo: 15,
  },
  lucas: {
    headline: "Transformation digitale des PME de l'Ouest",
    bio: [
      [
        "Chef de projet dans une ESN vannetaise, je déploie des ERP dans des PME industrielles de Bretagne et des Pays de la Loire, du cahier des charges au démarrage. Le volet achats de ces projets, souvent négligé, est celui qui m'intéresse le plus.",
      ],
    ],
    skills: ["Digital", "ERP", "PME", "Gestion de projet", "Conduite du changement"],
    sectors: ["digital", "industry"],
    region: "bre",
    city: "Vannes",
    status: "company",
    languages: ["fr", "en"],
    linkedin: "https://www.linkedin.com/in/lucas-mercier-erp",
    openTo: ["subcontracting"],
    savedDaysAgo: 30,
  },
};

/** Hélène joined through a co-optation (server/demo-members.ts): she fills her profile the next day. */
const HELENE_EMAIL = "helene.rousseau@conseil-associes.example";
const HELENE: DemoProfile = {
  headline: "Relations sociales et plans de départs volontaires",
  bio: [
    [
      "J'accompagne depuis quinze ans les plans de départs volontaires et les accords de rupture conventionnelle collective, du côté de la direction comme dans la préparation des négociations avec les élus. Je suis arrivée au réseau par le Club Transformation RH.",
    ],
  ],
  skills: ["Dialogue social", "Négociation", "Droit du travail", "Restructuration"],
  sectors: ["industry", "retail"],
  region: "hdf",
  city: "Lille",
  status: "independent",
  languages: ["fr", "en"],
  openTo: ["missions"],
  savedDaysAgo: 20,
};

const FORMAT = { direction: null, format: "", indent: 0, version: 1 };
const BOLD = 1;
const ITALIC = 2;
const textNode = (text: string, format = 0) => ({ type: "text", text: frenchSpacing(text), format, style: "", mode: "normal", detail: 0, version: 1 });

/** The bio as the comment editor posts it. */
function bioJson(paragraphs: Run[][]): string {
  const node = (run: Run) => {
    if (typeof run === "string") return textNode(run);
    if ("b" in run) return textNode(run.b, BOLD);
    if ("i" in run) return textNode(run.i, ITALIC);
    return { type: "link", ...FORMAT, url: run.url, rel: "noreferrer", target: null, title: null, children: [textNode(run.link)] };
  };
  const children = paragraphs.map((runs) => ({ type: "paragraph", ...FORMAT, textFormat: 0, textStyle: "", children: runs.map(node) }));
  return JSON.stringify({ root: { type: "root", ...FORMAT, children } });
}

const isoDay = (t: number) => new Date(t).toISOString().slice(0, 10);

async function saveProfile(world: DemoWorld, user: User, p: DemoProfile) {
  const bio = await checkCommentContent(bioJson(p.bio));
  if (!bio.ok) throw new Error(`demo: ${user.display_name}'s bio refused: ${bio.error}`);
  const when = at(world, p.savedDaysAgo, 21, 15);
  await transact(world.db, async (trx) => {
    // Their name, language and time zone stay as they are; the rest is what they typed.
    const current = await currentProfileInput(trx, user.id);
    await writeProfile(
      trx,
      user.id,
      {
        ...current,
        headline: frenchSpacing(p.headline),
        bio: { json: bio.json, html: bio.html },
        skills: p.skills,
        sectors: p.sectors,
        region: p.region,
        city: p.city,
        professionalStatus: p.status,
        languages: p.languages,
        website: p.website ?? "",
        linkedin: p.linkedin ?? "",
        openTo: p.openTo,
        availableFrom: p.availableIn === undefined ? null : isoDay(world.now + p.availableIn * DAY),
        listing: p.listing ?? "network",
        visibility: { ...defaultAudiences(), ...p.audiences },
      },
      when,
    );
    return { ok: true as const };
  });
}

export async function seedDemoPeople(world: DemoWorld) {
  for (const [key, profile] of Object.entries(PROFILES)) {
    const user = world.people[key];
    if (!user) throw new Error(`demo: no person ${key}`);
    await saveProfile(world, user, profile);
  }
  const helene = await findByEmail(world.db, HELENE_EMAIL);
  if (helene) await saveProfile(world, helene, HELENE);
  // Thomas, employed by a firm, hears from his clubs only (issue 16): /settings/contact as him shows it.
  await setContactPolicy(world.db, world.people.thomas!.id, "clubs", world.now);
}
