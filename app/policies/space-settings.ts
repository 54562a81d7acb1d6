import type { Actor } from "./actor.ts";
import { canArchiveSpace, canConfigureSpace, type MembershipFacts, type SpaceFacts } from "./space.ts";

/**
 * The quota rule. Storage is the network's resource: a space's quota is set by
 * the network admin alone, on creation or in the settings. A space admin sees
 * the quota and saves the rest of the form; a quota sent by anyone else is
 * ignored, not refused, so a stale form still saves.
 */
export function canSetSpaceQuota(actor: Actor | null): boolean {
  return actor?.isNetworkAdmin === true;
}

/**
 * Who opens a space's settings page: its admins, to configure it, and the
 * network admin, who also archives it (an archived space is configured by
 * nobody, but the network admin still opens the page to bring it back).
 * The space's navigation shows the link on the same answer.
 */
export function canOpenSpaceSettings(actor: Actor | null, membership: MembershipFacts, space: SpaceFacts): boolean {
  return canConfigureSpace(actor, membership, space) || canArchiveSpace(actor);
}
