/**
 * What the people benchmark draws its network from: French first and last
 * names, the consultants' trades (each with its skills, most used first, its
 * headlines and its clubs), the skills every trade shares, and the regions
 * with their share of members and their cities. The lists are realistic in
 * their spread, not exhaustive.
 */
import type { Region, Sector } from "#db/profile-fields.ts";

export const FIRST_NAMES_F = [
  "Marie", "Nathalie", "Isabelle", "Sylvie", "Catherine", "Valérie", "Sophie", "Christine", "Sandrine", "Véronique",
  "Céline", "Stéphanie", "Anne", "Caroline", "Laurence", "Émilie", "Julie", "Aurélie", "Claire", "Hélène",
  "Camille", "Laura", "Élodie", "Delphine", "Agnès", "Florence", "Virginie", "Corinne", "Karine", "Béatrice",
  "Pauline", "Manon", "Charlotte", "Amélie", "Mathilde", "Lucie", "Chloé", "Clémence", "Marion", "Audrey",
  "Géraldine", "Frédérique", "Anaïs", "Inès", "Léa", "Sarah", "Nadia", "Yasmina", "Leïla", "Ophélie",
  "Bérénice", "Solène", "Maëlle", "Gaëlle", "Anne-Sophie", "Marie-Claire", "Hélène", "Brigitte", "Martine", "Odile",
];

export const FIRST_NAMES_M = [
  "Jean", "Philippe", "Michel", "Alain", "Patrick", "Nicolas", "Christophe", "Pierre", "Laurent", "Éric",
  "Frédéric", "Sébastien", "Stéphane", "Olivier", "David", "Julien", "Thomas", "François", "Jérôme", "Vincent",
  "Guillaume", "Antoine", "Benoît", "Mathieu", "Xavier", "Arnaud", "Damien", "Cédric", "Yann", "Loïc",
  "Hervé", "Thierry", "Didier", "Gilles", "Bruno", "Emmanuel", "Romain", "Maxime", "Alexandre", "Hugo",
  "Lucas", "Karim", "Mehdi", "Rachid", "Samir", "Youssef", "Gaël", "Jean-Marc", "Jean-Luc", "Pierre-Yves",
  "Raphaël", "Adrien", "Baptiste", "Clément", "Quentin", "Benjamin", "Grégoire", "Aurélien", "Joël", "Noël",
];

export const LAST_NAMES = [
  "Martin", "Bernard", "Thomas", "Petit", "Robert", "Richard", "Durand", "Dubois", "Moreau", "Laurent",
  "Simon", "Michel", "Lefèvre", "Leroy", "Roux", "David", "Bertrand", "Morel", "Fournier", "Girard",
  "Bonnet", "Dupont", "Lambert", "Fontaine", "Rousseau", "Vincent", "Muller", "Lefebvre", "Faure", "André",
  "Mercier", "Blanc", "Guérin", "Boyer", "Garnier", "Chevalier", "François", "Legrand", "Gauthier", "Garcia",
  "Perrin", "Robin", "Clément", "Morin", "Nicolas", "Henry", "Roussel", "Mathieu", "Gautier", "Masson",
  "Marchand", "Duval", "Denis", "Dumont", "Marie", "Lemaire", "Noël", "Meyer", "Dufour", "Meunier",
  "Brun", "Blanchard", "Giraud", "Joly", "Rivière", "Lucas", "Brunet", "Gaillard", "Barbier", "Arnaud",
  "Martinez", "Gérard", "Roche", "Renard", "Schmitt", "Roy", "Leroux", "Colin", "Vidal", "Caron",
  "Picard", "Roger", "Fabre", "Aubert", "Lemoine", "Renaud", "Dumas", "Lacroix", "Olivier", "Philippe",
  "Bourgeois", "Pierre", "Benoît", "Rey", "Leclerc", "Payet", "Rolland", "Leclercq", "Guillaume", "Lecomte",
  "Lopez", "Jean", "Dupuy", "Guillot", "Hubert", "Berger", "Carpentier", "Sanchez", "Dupuis", "Moulin",
  "Louis", "Deschamps", "Huet", "Vasseur", "Perez", "Boucher", "Fleury", "Royer", "Klein", "Jacquet",
  "Adam", "Paris", "Poirier", "Marty", "Aubry", "Guyot", "Carré", "Charles", "Renault", "Charpentier",
  "Ménard", "Maillard", "Baron", "Bertin", "Bailly", "Hervé", "Schneider", "Fernandez", "Le Gall", "Collet",
  "Léger", "Bouvier", "Julien", "Prévost", "Millet", "Perrot", "Daniel", "Le Roux", "Cousin", "Germain",
  "Achard", "Benali", "Haddad", "Mansouri", "Nguyen", "Tran", "Kaya", "Da Silva", "Ferreira", "Le Goff",
];

/** He or she: the trade's headlines are written for both. */
export type Gendered = readonly [masculine: string, feminine: string];

export interface Trade {
  key: string;
  /** Relative share of the network's members. */
  weight: number;
  sectors: readonly Sector[];
  /** Most used first: members draw from it with a skewed (Zipf) distribution. */
  skills: readonly string[];
  headlines: readonly Gendered[];
  /** Names of its trade clubs, the broadest first (they draw the most members). */
  clubs: readonly string[];
  /** A two-sentence bio, one of a few per trade. */
  bios: readonly string[];
}

export const TRADES: readonly Trade[] = [
  {
    key: "achats",
    weight: 14,
    sectors: ["industry", "retail", "agrifood", "transport", "energy"],
    skills: [
      "Achats", "Sourcing", "Achats industriels", "Achats indirects", "Category management", "Appels d'offres", "Gestion des fournisseurs",
      "Performance achats", "Analyse des coûts", "Achats hors production", "Contract management", "Audit fournisseurs",
      "Achats de prestations intellectuelles", "Achats IT", "Achats de transport", "Achats d'énergie", "Procure-to-pay", "Gestion du risque fournisseurs",
      "Design to cost", "Make or buy", "Achats de matières premières", "E-sourcing", "Achats MRO", "Plan de progrès fournisseurs",
      "Couverture matières", "Achats marketing", "Achats de sous-traitance", "Organisation des achats", "Politique achats", "Achats à l'international",
    ],
    headlines: [
      ["Consultant achats industriels", "Consultante achats industriels"],
      ["Directeur achats de transition", "Directrice achats de transition"],
      ["Acheteur projet indépendant, ex-équipementier automobile", "Acheteuse projet indépendante, ex-équipementier automobile"],
      ["Conseil en organisation des achats pour les ETI", "Conseil en organisation des achats pour les ETI"],
      ["Category manager achats indirects", "Category manager achats indirects"],
      ["Consultant en performance achats et réduction des coûts", "Consultante en performance achats et réduction des coûts"],
    ],
    clubs: ["Club Achats & Supply Chain", "Club Achats industriels", "Club Achats indirects", "Club Négociation achats", "Club Acheteurs de transition", "Club Achats publics et privés"],
    bios: [
      "Quinze ans aux achats d'un équipementier, dont six à la tête des achats de production. J'accompagne les ETI industrielles sur leur organisation achats, les appels d'offres complexes et la renégociation des contrats-cadres.",
      "J'interviens en direction achats de transition, le plus souvent après une acquisition ou un départ imprévu. Ma méthode : un diagnostic des dépenses en trois semaines, puis un plan d'action chiffré que l'équipe en place porte.",
    ],
  },
  {
    key: "supply",
    weight: 9,
    sectors: ["industry", "retail", "transport", "agrifood"],
    skills: [
      "Supply chain", "Lean", "S&OP", "Logistique", "Gestion des stocks", "Prévision de la demande", "Transport", "Planification",
      "Amélioration continue", "Excellence opérationnelle", "Lean six sigma", "Entreposage", "Approvisionnement", "Kaizen", "Flux tirés",
      "Gestion de production", "Ordonnancement", "MRP", "TPM", "VSM", "Douane", "Incoterms", "Logistique inverse", "WMS", "TMS",
      "Schéma directeur logistique", "Maintenance industrielle", "5S",
    ],
    headlines: [
      ["Supply chain et S&OP pour les ETI", "Supply chain et S&OP pour les ETI"],
      ["Directeur logistique de transition", "Directrice logistique de transition"],
      ["Consultant lean et excellence opérationnelle", "Consultante lean et excellence opérationnelle"],
      ["Expert en planification industrielle", "Experte en planification industrielle"],
    ],
    clubs: ["Club Supply Chain", "Club Lean & Excellence opérationnelle", "Club Logistique et transport", "Club S&OP"],
    bios: [
      "Ancien directeur de site dans l'agroalimentaire, j'aide les industriels à relier prévisions commerciales et capacité de production. Je mets en place des processus S&OP sobres, tenus par les équipes et pas par un logiciel.",
      "Je conduis des chantiers lean dans des usines de 50 à 800 personnes : cartographie des flux, résolution de problèmes sur le terrain, rituels de pilotage. Les résultats se mesurent en stocks et en délais, pas en classeurs.",
    ],
  },
  {
    key: "rh",
    weight: 12,
    sectors: ["services", "industry", "health", "public", "nonprofit"],
    skills: [
      "RH", "Recrutement", "Dialogue social", "Relations sociales", "SIRH", "GPEC", "Gestion des talents", "Formation", "Droit du travail",
      "Marque employeur", "Rémunération et avantages sociaux", "Qualité de vie au travail", "Restructuration", "Plan de sauvegarde de l'emploi",
      "Paie", "Onboarding", "Mobilité interne", "Diversité et inclusion", "Risques psychosociaux", "Transformation RH", "Égalité professionnelle",
      "Entretiens professionnels", "Assessment", "Outplacement", "People analytics", "Gestion des carrières",
    ],
    headlines: [
      ["DRH de transition, relations sociales", "DRH de transition, relations sociales"],
      ["Consultant en transformation RH", "Consultante en transformation RH"],
      ["Chasseur de têtes, fonctions achats et finance", "Chasseuse de têtes, fonctions achats et finance"],
      ["Expert SIRH et paie", "Experte SIRH et paie"],
      ["Conseil en dialogue social et restructurations", "Conseil en dialogue social et restructurations"],
    ],
    clubs: ["Club Transformation RH", "Club DRH de transition", "Club Recrutement & Talents", "Club Dialogue social", "Club SIRH"],
    bios: [
      "DRH pendant douze ans dans la distribution, j'accompagne aujourd'hui les directions dans leurs réorganisations et leurs négociations avec les représentants du personnel. Je privilégie les accords construits tôt, avec les élus, plutôt que les plans annoncés.",
      "Je recrute des cadres dirigeants pour des PME et des ETI familiales. Chaque mission commence par deux jours dans l'entreprise : on ne décrit bien un poste qu'après avoir vu l'équipe au travail.",
    ],
  },
  {
    key: "coaching",
    weight: 8,
    sectors: ["services", "finance", "health", "education"],
    skills: [
      "Coaching", "Leadership", "Coaching de dirigeants", "Management", "Facilitation", "Intelligence collective", "Codéveloppement",
      "Coaching d'équipe", "Gestion des conflits", "Médiation", "Prise de parole en public", "Posture managériale", "Process Com",
      "MBTI", "Analyse transactionnelle", "Design thinking", "Mentorat", "Supervision de coachs", "Gestion du stress", "Team building",
      "Feedback", "Accompagnement managérial",
    ],
    headlines: [
      ["Coach de dirigeants, ancien DRH groupe", "Coach de dirigeants, ancienne DRH groupe"],
      ["Coach d'équipes et facilitateur", "Coach d'équipes et facilitatrice"],
      ["Médiateur en entreprise", "Médiatrice en entreprise"],
      ["Coach certifié, accompagnement des managers", "Coach certifiée, accompagnement des managers"],
    ],
    clubs: ["Club Coaching & Leadership", "Club Intelligence collective", "Club Médiation"],
    bios: [
      "J'accompagne des dirigeants et des comités de direction dans les moments de bascule : prise de poste, fusion, succession. Séances individuelles et ateliers d'équipe, avec une supervision régulière de ma pratique.",
      "Ancienne manager dans l'industrie pharmaceutique, je forme et coache des managers de proximité. J'utilise le codéveloppement pour que les solutions viennent des pairs plutôt que de moi.",
    ],
  },
  {
    key: "finance",
    weight: 10,
    sectors: ["finance", "industry", "services", "retail"],
    skills: [
      "Finance", "Contrôle de gestion", "Fiscalité", "Trésorerie", "Fusions-acquisitions", "Évaluation d'entreprise", "Levée de fonds",
      "Restructuration financière", "Audit", "Consolidation", "IFRS", "Business plan", "Crédit d'impôt recherche", "Reporting financier",
      "Budget", "Gestion du BFR", "Due diligence", "Transmission d'entreprise", "Création d'entreprise", "Modélisation financière",
      "Prix de transfert", "Comptabilité", "Financement de l'innovation", "Cash management",
    ],
    headlines: [
      ["DAF de transition pour PME et ETI", "DAF de transition pour PME et ETI"],
      ["Expert-comptable, accompagnement des indépendants", "Experte-comptable, accompagnement des indépendants"],
      ["Conseil en fusions-acquisitions, small et mid caps", "Conseil en fusions-acquisitions, small et mid caps"],
      ["Contrôleur de gestion indépendant", "Contrôleuse de gestion indépendante"],
    ],
    clubs: ["Club Finance & DAF", "Club Transmission d'entreprise", "Club Fiscalité des indépendants"],
    bios: [
      "Directeur financier pendant vingt ans, dont dix dans des groupes cotés, j'interviens comme DAF de transition lors d'une levée de fonds, d'un retournement ou d'un changement d'actionnaire. Je laisse derrière moi un reporting que l'équipe sait tenir seule.",
      "J'accompagne les dirigeants de PME qui cèdent ou reprennent une entreprise : valorisation, recherche de financement, négociation du protocole. Une trentaine d'opérations conduites en Rhône-Alpes depuis 2012.",
    ],
  },
  {
    key: "strategie",
    weight: 8,
    sectors: ["services", "industry", "finance", "public"],
    skills: [
      "Stratégie", "Gouvernance", "Développement commercial", "Business development", "Innovation", "Management de transition",
      "Croissance externe", "Internationalisation", "Export", "Études de marché", "Veille concurrentielle", "Modèle d'affaires",
      "Pilotage de la performance", "Conseil d'administration", "Transformation d'entreprise", "Redressement d'entreprise", "Prospective",
      "Entrepreneuriat", "Animation de réseau", "Plan stratégique",
    ],
    headlines: [
      ["Conseil en stratégie des ETI familiales", "Conseil en stratégie des ETI familiales"],
      ["Dirigeant de transition, retournement d'entreprises", "Dirigeante de transition, retournement d'entreprises"],
      ["Administrateur indépendant, gouvernance des PME", "Administratrice indépendante, gouvernance des PME"],
      ["Consultant en développement international", "Consultante en développement international"],
    ],
    clubs: ["Club Stratégie & Gouvernance", "Club Dirigeants de transition", "Club Export & International"],
    bios: [
      "J'aide les dirigeants d'ETI familiales à écrire et tenir leur plan stratégique à cinq ans, avec le conseil d'administration et la génération suivante. Mes missions durent de trois à neuf mois, à raison de deux jours par semaine.",
      "Directeur général de transition, j'interviens dans des entreprises en difficulté, souvent sous mandat ad hoc ou en procédure de sauvegarde. Premier mois : trésorerie, clients, équipe ; le reste vient ensuite.",
    ],
  },
  {
    key: "digital",
    weight: 12,
    sectors: ["digital", "services", "retail", "finance", "industry"],
    skills: [
      "Digital", "Transformation digitale", "Data", "ERP", "Gestion de projet", "Power BI", "Agilité", "SAP", "Cybersécurité", "Cloud",
      "Intelligence artificielle", "Data science", "Scrum", "Product management", "UX design", "Architecture SI", "CRM", "Salesforce",
      "Automatisation", "RPA", "Python", "SQL", "Gouvernance des données", "RGPD", "Urbanisation SI", "ITIL", "No-code", "Tableaux de bord",
      "DSI de transition", "Infogérance",
    ],
    headlines: [
      ["Transformation digitale des PME de l'Ouest", "Transformation digitale des PME de l'Ouest"],
      ["Chef de projet ERP indépendant (SAP, Sage, Divalto)", "Cheffe de projet ERP indépendante (SAP, Sage, Divalto)"],
      ["Data et pilotage de la performance", "Data et pilotage de la performance"],
      ["DSI de transition", "DSI de transition"],
      ["Consultant cybersécurité pour les ETI", "Consultante cybersécurité pour les ETI"],
      ["Product manager freelance", "Product manager freelance"],
    ],
    clubs: ["Club Transformation digitale", "Club Data & IA", "Club ERP", "Club DSI de transition", "Club Cybersécurité"],
    bios: [
      "Je conduis des projets ERP dans des PME industrielles, du cahier des charges au démarrage. Dix-huit déploiements à ce jour, dont quatre repris en cours de route : je sais ce qui fait déraper un projet et comment le remettre sur les rails.",
      "J'aide les directions à tirer parti de leurs données : tableaux de bord utiles, qualité des référentiels, premiers usages de l'IA là où ils rapportent. Je travaille avec les équipes métier avant d'ouvrir un outil.",
    ],
  },
  {
    key: "rse",
    weight: 6,
    sectors: ["energy", "industry", "agrifood", "construction", "public"],
    skills: [
      "RSE", "Bilan carbone", "Achats responsables", "Économie circulaire", "CSRD", "Décarbonation", "Reporting extra-financier",
      "Analyse de cycle de vie", "Transition énergétique", "Biodiversité", "ISO 14001", "ISO 26000", "Stratégie climat", "Éco-conception",
      "Mobilité durable", "Taxonomie verte", "Finance durable", "Impact social",
    ],
    headlines: [
      ["Consultant RSE et achats responsables", "Consultante RSE et achats responsables"],
      ["Bilan carbone et stratégie climat des PME", "Bilan carbone et stratégie climat des PME"],
      ["Accompagnement CSRD des ETI", "Accompagnement CSRD des ETI"],
    ],
    clubs: ["Club RSE & Climat", "Club Achats responsables", "Club CSRD"],
    bios: [
      "Je réalise des bilans carbone et construis avec les équipes des plans de réduction chiffrés, poste par poste. Les achats pèsent souvent plus des deux tiers des émissions : c'est par eux que je commence.",
      "J'accompagne les ETI dans leur premier rapport de durabilité : analyse de double matérialité, collecte des données, relecture avec les commissaires aux comptes. Ancienne auditrice, je connais les deux côtés de la table.",
    ],
  },
  {
    key: "juridique",
    weight: 5,
    sectors: ["services", "public", "finance"],
    skills: [
      "Juridique", "Droit des affaires", "Droit des contrats", "Conformité", "Propriété intellectuelle", "Droit de la concurrence",
      "Commande publique", "Contentieux", "Droit social", "Sapin II", "Protection des données", "Droit des sociétés", "Arbitrage", "Droit public",
    ],
    headlines: [
      ["Juriste d'affaires indépendant", "Juriste d'affaires indépendante"],
      ["Avocat en droit des contrats et de la commande publique", "Avocate en droit des contrats et de la commande publique"],
      ["Conformité et Sapin II pour les ETI", "Conformité et Sapin II pour les ETI"],
    ],
    clubs: ["Club Juridique & Conformité", "Club Commande publique"],
    bios: [
      "Juriste pendant quinze ans dans un groupe de BTP, j'accompagne aujourd'hui les PME sur leurs contrats fournisseurs et clients. Des clauses lisibles, négociées avant la signature, évitent la plupart des contentieux.",
      "Je mets en place des programmes de conformité proportionnés à la taille de l'entreprise : cartographie des risques, code de conduite, formation des équipes exposées.",
    ],
  },
  {
    key: "commercial",
    weight: 8,
    sectors: ["retail", "services", "digital", "luxury"],
    skills: [
      "Marketing", "Stratégie commerciale", "Marketing digital", "Communication", "Prospection", "Vente", "Grands comptes",
      "Négociation commerciale", "Expérience client", "Relations presse", "SEO", "Réseaux sociaux", "Marketing B2B", "Pricing",
      "Relation client", "Key account management", "Animation commerciale", "Trade marketing", "Événementiel", "Branding", "Customer success",
    ],
    headlines: [
      ["Directeur commercial de transition", "Directrice commerciale de transition"],
      ["Consultant en stratégie commerciale B2B", "Consultante en stratégie commerciale B2B"],
      ["Marketing digital et acquisition pour les PME", "Marketing digital et acquisition pour les PME"],
      ["Formateur à la négociation commerciale", "Formatrice à la négociation commerciale"],
    ],
    clubs: ["Club Commercial & Marketing", "Club Grands comptes", "Club Communication"],
    bios: [
      "Directrice commerciale dans les biens d'équipement pendant quinze ans, je structure des équipes de vente de cinq à cinquante personnes : segmentation, plan de comptes, rituels de pilotage. Je reste jusqu'à ce que les chiffres suivent.",
      "J'aide les PME industrielles à vendre à de grands comptes : préparation des appels d'offres, négociation annuelle, relation avec les acheteurs, que je connais bien pour avoir été des leurs.",
    ],
  },
  {
    key: "qualite",
    weight: 6,
    sectors: ["industry", "health", "agrifood", "energy"],
    skills: [
      "Qualité", "ISO 9001", "HSE", "Industrie 4.0", "Méthodes industrielles", "Sécurité au travail", "Audit qualité", "AMDEC", "Six Sigma",
      "Résolution de problèmes", "Industrialisation", "Certification", "IATF 16949", "Management des risques",
    ],
    headlines: [
      ["Responsable qualité de transition", "Responsable qualité de transition"],
      ["Auditeur qualité et HSE", "Auditrice qualité et HSE"],
      ["Ingénieur méthodes, industrialisation de nouveaux produits", "Ingénieure méthodes, industrialisation de nouveaux produits"],
    ],
    clubs: ["Club Qualité & HSE", "Club Industrie du futur"],
    bios: [
      "J'accompagne les sous-traitants de l'automobile et de l'aéronautique dans leurs certifications et leurs audits clients. Je préfère un système qualité court que les équipes appliquent à un manuel que personne n'ouvre.",
      "Ingénieur méthodes de formation, j'industrialise des produits nouveaux dans des PME mécaniques : gammes, postes de travail, premières séries.",
    ],
  },
  {
    key: "public",
    weight: 4,
    sectors: ["public", "health", "nonprofit"],
    skills: [
      "Secteur public", "Collectivités territoriales", "Politiques publiques", "Santé", "Établissements de santé", "Médico-social",
      "Fonds européens", "Achats hospitaliers", "Évaluation des politiques publiques", "Économie sociale et solidaire", "Associations", "Financement public",
    ],
    headlines: [
      ["Conseil aux collectivités et établissements publics", "Conseil aux collectivités et établissements publics"],
      ["Directeur d'hôpital honoraire, conseil en organisation", "Directrice d'hôpital honoraire, conseil en organisation"],
      ["Acheteur public et marchés complexes", "Acheteuse publique et marchés complexes"],
    ],
    clubs: ["Club Secteur public", "Club Santé & Médico-social"],
    bios: [
      "Après vingt-cinq ans dans la fonction publique hospitalière, je conseille les établissements de santé sur leur organisation et leurs achats. Je connais les contraintes du code de la commande publique de l'intérieur.",
      "J'accompagne les collectivités dans l'évaluation de leurs politiques publiques et le montage de dossiers de fonds européens.",
    ],
  },
  {
    key: "formation",
    weight: 4,
    sectors: ["education", "services", "nonprofit"],
    skills: [
      "Ingénierie pédagogique", "Formation", "Digital learning", "Animation d'ateliers", "Qualiopi", "Formation de formateurs",
      "Pédagogie", "Serious games", "Formation à distance", "Certification professionnelle",
    ],
    headlines: [
      ["Ingénieur pédagogique et formateur", "Ingénieure pédagogique et formatrice"],
      ["Conseil aux organismes de formation (Qualiopi)", "Conseil aux organismes de formation (Qualiopi)"],
    ],
    clubs: ["Club Formation & Pédagogie"],
    bios: [
      "Je conçois des parcours de formation pour les entreprises industrielles, en salle et à distance, et je forme leurs formateurs internes. Un bon module tient en une demi-journée et se mesure au poste de travail.",
      "J'accompagne les organismes de formation dans leur certification Qualiopi et la refonte de leurs programmes.",
    ],
  },
  {
    key: "immobilier",
    weight: 3,
    sectors: ["construction", "energy", "public"],
    skills: ["Immobilier", "BTP", "Maîtrise d'ouvrage", "Facility management", "Efficacité énergétique des bâtiments", "BIM", "Urbanisme", "Gestion de patrimoine immobilier"],
    headlines: [
      ["Assistance à maîtrise d'ouvrage, bâtiments tertiaires", "Assistance à maîtrise d'ouvrage, bâtiments tertiaires"],
      ["Facility manager de transition", "Facility manager de transition"],
    ],
    clubs: ["Club Immobilier & Bâtiment"],
    bios: [
      "J'assiste les maîtres d'ouvrage publics et privés dans leurs projets de rénovation énergétique, du programme à la réception des travaux.",
      "Ancien directeur des services généraux, je remets à plat les contrats de maintenance et de services des sites tertiaires.",
    ],
  },
];

/** Skills any trade adds, most used first: negotiation heads the list. */
export const SHARED_SKILLS = [
  "Négociation", "Gestion de projet", "Conduite du changement", "Management d'équipe", "Management de transition", "Prise de parole en public",
  "Animation d'ateliers", "Pilotage de la performance", "Gestion de crise", "Excel avancé", "Anglais des affaires", "Négociation raisonnée",
];

/** Regions with their share of members (in thousandths) and their cities, the regional circles' towns first. */
export const REGION_SPREAD: ReadonlyArray<{ code: Region | ""; weight: number; cities: readonly string[]; circles: number }> = [
  { code: "idf", weight: 300, cities: ["Paris", "Boulogne-Billancourt", "Versailles", "Saint-Denis", "Nanterre", "Créteil", "Issy-les-Moulineaux", "Neuilly-sur-Seine", "Montreuil", "Vincennes"], circles: 12 },
  { code: "ara", weight: 130, cities: ["Lyon", "Grenoble", "Saint-Étienne", "Clermont-Ferrand", "Annecy", "Villeurbanne", "Chambéry", "Valence"], circles: 8 },
  { code: "pac", weight: 80, cities: ["Marseille", "Nice", "Aix-en-Provence", "Toulon", "Avignon", "Cannes"], circles: 6 },
  { code: "occ", weight: 75, cities: ["Toulouse", "Montpellier", "Nîmes", "Perpignan", "Béziers"], circles: 6 },
  { code: "naq", weight: 75, cities: ["Bordeaux", "Limoges", "Poitiers", "Pau", "La Rochelle", "Bayonne"], circles: 6 },
  { code: "hdf", weight: 60, cities: ["Lille", "Amiens", "Roubaix", "Tourcoing", "Dunkerque"], circles: 5 },
  { code: "ges", weight: 55, cities: ["Strasbourg", "Reims", "Metz", "Nancy", "Mulhouse"], circles: 5 },
  { code: "pdl", weight: 50, cities: ["Nantes", "Angers", "Le Mans", "Saint-Nazaire", "La Roche-sur-Yon"], circles: 4 },
  { code: "bre", weight: 40, cities: ["Rennes", "Brest", "Quimper", "Lorient", "Vannes", "Saint-Malo"], circles: 4 },
  { code: "nor", weight: 30, cities: ["Rouen", "Caen", "Le Havre", "Cherbourg-en-Cotentin"], circles: 3 },
  { code: "bfc", weight: 22, cities: ["Dijon", "Besançon", "Belfort", "Chalon-sur-Saône"], circles: 3 },
  { code: "cvl", weight: 20, cities: ["Tours", "Orléans", "Bourges", "Chartres"], circles: 3 },
  { code: "cor", weight: 4, cities: ["Ajaccio", "Bastia"], circles: 1 },
  { code: "reu", weight: 7, cities: ["Saint-Pierre", "Saint-Denis"], circles: 1 },
  { code: "gua", weight: 3, cities: ["Pointe-à-Pitre", "Baie-Mahault"], circles: 1 },
  { code: "mtq", weight: 3, cities: ["Fort-de-France"], circles: 1 },
  { code: "guf", weight: 1, cities: ["Cayenne"], circles: 0 },
  { code: "myt", weight: 1, cities: ["Mamoudzou"], circles: 0 },
  { code: "abroad", weight: 24, cities: ["Bruxelles", "Genève", "Montréal", "Luxembourg", "Londres", "Casablanca"], circles: 1 },
  { code: "", weight: 20, cities: [""], circles: 0 },
];
