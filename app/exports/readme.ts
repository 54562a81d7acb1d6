/**
 * README.txt at the top of every export: what each file holds, in French
 * then English (the zip may be opened years later, by someone else, on a
 * machine in another language). Kept beside the code that writes the files
 * (content.server.ts): a new document is a new line here.
 */

export interface ReadmeFacts {
  network: string;
  member: string;
  madeAt: Date;
  files: number;
  missing: number;
}

const DOCUMENTS: Array<{ name: string; fr: string; en: string }> = [
  { name: "export.json", fr: "quand et pour qui cet export a été fait.", en: "when and for whom this export was made." },
  {
    name: "profile.json",
    fr: "votre profil : nom, e-mail, titre, présentation, compétences, secteurs, langues, région, ville, statut, liens, disponibilités.",
    en: "your profile: name, email, headline, bio, skills, sectors, languages, region, city, status, links, availability.",
  },
  {
    name: "memberships.json",
    fr: "vos clubs et votre rôle dans chacun (et qui vous a coopté·e), vos demandes d’adhésion, les cooptations que vous avez faites (sans l’adresse de la personne cooptée).",
    en: "your clubs and your role in each (and who co-opted you), your requests to join, the co-optations you made (without the co-opted person’s address).",
  },
  {
    name: "wiki.json",
    fr: "les pages de wiki que vous avez créées, et chaque révision que vous avez écrite, avec son texte.",
    en: "the wiki pages you created, and every revision you wrote, with its text.",
  },
  { name: "articles.json", fr: "vos articles (brouillons compris) et les révisions que vous en avez écrites.", en: "your articles (drafts included) and the revisions you wrote of them." },
  {
    name: "comments.json",
    fr: "vos commentaires, avec le titre et l’adresse de ce qu’ils commentent ; pas ceux des autres.",
    en: "your comments, with the title and address of what they comment on; not other people’s.",
  },
  { name: "asks.json", fr: "vos demandes d’entraide, et qui vous avez remercié.", en: "your asks, and whom you thanked." },
  {
    name: "workshops.json",
    fr: "vos inscriptions aux ateliers (votre réponse, votre note, si vous êtes venu·e) et les ateliers que vous avez proposés ou programmés.",
    en: "your workshop registrations (your answer, your note, whether you came) and the workshops you proposed or scheduled.",
  },
  {
    name: "conversations.json",
    fr: "vos conversations privées : les messages échangés pendant que vous y étiez ; les autres personnes n’y figurent que par leur nom affiché. Vos demandes de contact.",
    en: "your private conversations: the messages exchanged while you were in them; other people appear by their display name only. Your contact requests.",
  },
  {
    name: "settings.json",
    fr: "vos réglages : langue, fuseau horaire, qui voit chaque champ du profil, qui peut vous écrire, notifications, résumé, personnes bloquées.",
    en: "your settings: language, time zone, who sees each profile field, who may write to you, notifications, digest, people blocked.",
  },
  { name: "notifications.json", fr: "l’historique de vos notifications.", en: "your notification history." },
  { name: "files.json", fr: "la liste des fichiers ci-dessous, avec leur club, dossier, version, taille et empreinte SHA-256.", en: "the list of the files below, with their club, folder, version, size and SHA-256 hash." },
];

export function readmeText(facts: ReadmeFacts): string {
  const when = facts.madeAt.toISOString().replace("T", " ").slice(0, 16);
  const fr = [
    `Vos données sur ${facts.network} — ${facts.member}`,
    `Export fait le ${when} (UTC).`,
    "",
    "Les fichiers JSON (UTF-8, dates au format ISO 8601, en UTC) :",
    ...DOCUMENTS.map((d) => `  ${d.name} : ${d.fr}`),
    "",
    "Les dossiers :",
    "  files/<club>/<dossiers>/ : chaque fichier que vous avez déposé, rangé comme dans le club ; une version plus ancienne que vous avez déposée s’appelle « nom (version N) ».",
    "  files-in-trash/<club>/ : vos fichiers qui sont dans la corbeille d’un club (ils y restent 30 jours avant d’être effacés) : ils sont encore à vous.",
    "  wiki-images/<club>/ : les images que vous avez mises dans des pages de wiki.",
    "  photo/ : votre photo de profil, si vous en avez une.",
    "",
    `${facts.files} fichier(s) joint(s).${facts.missing > 0 ? ` ${facts.missing} fichier(s) introuvable(s) dans le stockage au moment de l’export : files.json les marque « missing ».` : ""}`,
    "Les autres membres n’apparaissent ici que par leur nom affiché : ni leur profil, ni leur adresse, ni leurs commentaires.",
    `Sur ${facts.network}, cet export reste téléchargeable 7 jours après sa préparation, puis il est effacé ; ce zip, lui, est à vous.`,
  ];
  const en = [
    `Your data on ${facts.network} — ${facts.member}`,
    `Export made on ${when} (UTC).`,
    "",
    "The JSON files (UTF-8, dates in ISO 8601, UTC):",
    ...DOCUMENTS.map((d) => `  ${d.name}: ${d.en}`),
    "",
    "The folders:",
    "  files/<club>/<folders>/: every file you uploaded, placed as in the club; an older version you uploaded is named “name (version N)”.",
    "  files-in-trash/<club>/: your files in a club’s trash (kept there 30 days before they are erased): still yours.",
    "  wiki-images/<club>/: the images you put in wiki pages.",
    "  photo/: your profile photo, if you have one.",
    "",
    `${facts.files} file(s) included.${facts.missing > 0 ? ` ${facts.missing} file(s) could not be found in storage when the export was made: files.json marks them “missing”.` : ""}`,
    "Other members appear here by their display name only: not their profile, their address or their comments.",
    `On ${facts.network}, this export stays downloadable for 7 days after it was made, then it is erased; this zip is yours to keep.`,
  ];
  return [...fr, "", "----------------------------------------------------------------", "", ...en, ""].join("\r\n");
}

/** The documents the README describes, for a test to hold the two together. */
export const DOCUMENTED = DOCUMENTS.map((d) => d.name);
