import type { ShareLink, Space } from "#db/schema.ts";
import { can, type Actor, type MembershipFacts, type SpaceFacts } from "./space.ts";

/**
 * Links that show one file or one wiki page to someone outside the network
 * (a client) until they expire (issue 19). A space's admins allow them (off
 * by default, in every kind of space: a secret one only opens this door
 * when its own admins say so). Then whoever contributes to the space —
 * members up, not guests — may share what they can read there; the sharer
 * and the admins see the links, how often each was opened, and revoke them.
 */

type SharingFacts = SpaceFacts & Pick<Space, "share_links">;

/** The switch on the space's settings page: its admins (canConfigureSpace). */
export const canAllowShareLinks = (a: Actor | null, m: MembershipFacts, s: SpaceFacts) => can(a, m, s, "configure");

/** Make a link for an item the actor has just been found to read. */
export function canShareOutside(actor: Actor | null, membership: MembershipFacts, space: SharingFacts): boolean {
  return space.share_links === 1 && can(actor, membership, space, "contribute");
}

/** Every link of the space, whoever made it: its admins. */
export const canManageShareLinks = (a: Actor | null, m: MembershipFacts, s: SpaceFacts) => can(a, m, s, "configure");

/** See and revoke one link: its sharer (while still in the space), the space's admins. Revoking stays possible in an archived space. */
export function canRevokeShareLink(actor: Actor | null, membership: MembershipFacts, space: SpaceFacts, link: Pick<ShareLink, "created_by">): boolean {
  if (!actor) return false;
  const live = { ...space, archived_at: null };
  if (can(actor, membership, live, "configure")) return true;
  return link.created_by === actor.id && can(actor, membership, live, "read");
}

/** What an outsider's link still opens: on, not revoked, not past its time, in a space that still allows links and is not archived. */
export function shareLinkWorks(link: Pick<ShareLink, "revoked_at" | "expires_at">, space: SharingFacts, now: number): boolean {
  return link.revoked_at === null && link.expires_at > now && space.share_links === 1 && space.archived_at === null;
}

/** The lengths a sharer picks from, in ms: one hour to thirty days. */
export const SHARE_DURATIONS = {
  "1h": 3_600_000,
  "1d": 86_400_000,
  "2d": 2 * 86_400_000,
  "7d": 7 * 86_400_000,
  "30d": 30 * 86_400_000,
} as const;
export type ShareDuration = keyof typeof SHARE_DURATIONS;
