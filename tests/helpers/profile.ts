import { defaultAudiences } from "#db/profile-fields.ts";

/**
 * The fields the profile form posts (/settings/profile), as a browser sends
 * them for a profile with nothing but a name: the defaults' audiences, the
 * network listing. Tests override what they are about.
 */
export function profileFields(overrides: Record<string, string> = {}): Record<string, string> {
  const fields: Record<string, string> = {
    displayName: "Claire",
    headline: "",
    bio: "",
    skillsText: "",
    region: "",
    city: "",
    professionalStatus: "",
    website: "",
    linkedin: "",
    availableFrom: "",
    listing: "network",
    locale: "fr",
    timeZone: "Europe/Paris",
  };
  for (const [field, audience] of Object.entries(defaultAudiences())) fields[`vis.${field}`] = audience;
  return { ...fields, ...overrides };
}

/** A bio as the comment editor posts it: one paragraph per string. */
export function bioJson(...paragraphs: string[]): string {
  const format = { direction: null, format: "", indent: 0, version: 1 };
  const children = paragraphs.map((text) => ({
    type: "paragraph",
    ...format,
    textFormat: 0,
    textStyle: "",
    children: [{ type: "text", text, format: 0, style: "", mode: "normal", detail: 0, version: 1 }],
  }));
  return JSON.stringify({ root: { type: "root", ...format, children } });
}
