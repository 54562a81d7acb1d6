import { supportsTimeZone } from "./time-zones.ts";

/**
 * The zones the workshop form offers: where the network's members work
 * (France and its overseas regions, its neighbours, Québec and the
 * francophone world's main hubs), plus the member's own, each only if its
 * calendar data reads back exactly (supportsTimeZone).
 */
const OFFERED = [
  "Europe/Paris",
  "Europe/Brussels",
  "Europe/Luxembourg",
  "Europe/Zurich",
  "Europe/London",
  "Europe/Lisbon",
  "Europe/Berlin",
  "Europe/Madrid",
  "America/Guadeloupe",
  "America/Martinique",
  "America/Cayenne",
  "Indian/Reunion",
  "Indian/Mayotte",
  "Pacific/Noumea",
  "Pacific/Tahiti",
  "America/Toronto",
  "America/New_York",
  "Africa/Abidjan",
  "Africa/Dakar",
  "Africa/Tunis",
  "Africa/Algiers",
  "Etc/UTC",
] as const;

export function offeredZones(own: string): Array<{ value: string; label: string }> {
  const zones = [...new Set([own, ...OFFERED])].filter((z) => supportsTimeZone(z));
  return zones.map((z) => ({ value: z, label: z.replace(/_/g, " ") }));
}
