import type { Actor } from "./actor.ts";

/**
 * The quota rule. Storage is the network's resource: a space's quota is set by
 * the network admin alone, on creation or in the settings. A space admin sees
 * the quota and saves the rest of the form; a quota sent by anyone else is
 * ignored, not refused, so a stale form still saves.
 */
export function canSetSpaceQuota(actor: Actor | null): boolean {
  return actor?.isNetworkAdmin === true;
}
