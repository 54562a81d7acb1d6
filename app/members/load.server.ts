import type { Executor } from "#db/client.ts";
import type { Invitation } from "#db/schema.ts";
import * as invitations from "#db/queries/invitations.ts";
import * as joinRequests from "#db/queries/join-requests.ts";
import * as workshops from "#db/queries/workshops.ts";
import { invitationMailStates } from "#db/queries/mail-outbox.ts";
import { countAdmins, listMembers } from "#db/queries/members.ts";
import { canLeave } from "#app/policies/membership.ts";
import {
  canChangeRole,
  canCooptMember,
  canLeaveSpace,
  canManageMembers,
  canRemoveMember,
  canRevokeInvitation,
  canSeeInvitationLink,
} from "#app/policies/space.ts";
import type { ActingInSpace } from "#app/utils/acting.server.ts";
import { cardsFor, loadDirectory } from "#app/people/directory.server.ts";
import type { Actor } from "#app/policies/actor.ts";
import type { DirectoryParams } from "#app/people/params.ts";

/** What the membership pages show, with what the viewer may do there ("can" flags): the UI re-derives nothing. */

type Viewing = Pick<ActingInSpace, "actor" | "user" | "space" | "membership" | "now">;

/** A club's member list is not paged: a club is a few hundred people at most; past this, the search narrows it. */
const MAX_LISTED = 1000;

/**
 * The members page: members with what the viewer may do to each, open
 * invitations, and leaving. The directory's search and filters narrow the
 * list, and what it shows of each member (photo, headline) is what the
 * directory lets this viewer see.
 */
export async function loadMembersPage(db: Executor, ctx: Viewing, options: { mailConfigured: boolean; search: DirectoryParams }) {
  const { space, membership, actor, user, now } = ctx;
  const manage = canManageMembers(actor, membership, space);
  const [all, adminCount, directory] = await Promise.all([
    listMembers(db, space.id),
    countAdmins(db, space.id),
    loadDirectory(db, actor, { ...options.search, club: null, page: 1 }, { withinClub: space, pageSize: MAX_LISTED }),
  ]);
  const cards = new Map(directory.people.map((p) => [p.id, p]));
  const members = all.filter((m) => cards.has(m.id));
  // Admins see every open invitation; a member sees the ones they sent.
  const open = manage
    ? await invitations.listOpen(db, space.id, now)
    : canCooptMember(actor, membership, space)
      ? await invitations.listOpen(db, space.id, now, user.id)
      : [];
  // Which of them the mail could not carry: those offer their link to whoever may see it.
  const mailStates = await invitationMailStates(db, open.map((i) => i.id));
  return {
    me: user.id,
    spaceName: space.name,
    spaceSlug: space.slug,
    search: { params: directory.params, facets: directory.facets, filtered: members.length < all.length, total: all.length },
    members: members.map((m) => ({
      id: m.id,
      name: m.display_name,
      headline: cards.get(m.id)!.headline,
      photoUrl: cards.get(m.id)!.photoUrl,
      profileUrl: cards.get(m.id)!.url,
      role: m.role,
      sponsor: m.sponsor_name,
      joinedAt: m.joined_at,
      can: {
        // Whether the role can change at all: the last admin's cannot.
        changeRole: canChangeRole(actor, membership, space, m, "member", adminCount),
        remove: m.id !== user.id && canRemoveMember(actor, membership, space, m, adminCount),
      },
    })),
    invitations: open.map((i) => ({
      id: i.id,
      email: i.email,
      role: i.role,
      sponsor: i.sponsor_name,
      status: i.status,
      expiresAt: i.expires_at,
      canRevoke: canRevokeInvitation(actor, membership, space, i),
      mail: mailNote(i.status, mailStates.get(i.id), options.mailConfigured),
      canShowLink:
        i.status === "sent" &&
        canSeeInvitationLink(actor, membership, space, i) &&
        mailNote(i.status, mailStates.get(i.id), options.mailConfigured) !== null &&
        mailStates.get(i.id)?.hasLink === true,
    })),
    can: {
      manage,
      leave: canLeave(actor, membership, space),
      leaveAllowed: canLeaveSpace(membership, adminCount),
      seeInvitations: manage || canCooptMember(actor, membership, space),
    },
  };
}

/** What the members page says of an invitation's mail: nothing while it is on its way or delivered. */
function mailNote(status: string, mail: { state: string; failedOnce: boolean } | undefined, configured: boolean): "failed" | "none" | null {
  if (status !== "sent" || !mail) return null;
  if (!configured) return "none";
  return mail.state !== "sent" && (mail.failedOnce || mail.state === "failed") ? "failed" : null;
}

/**
 * The approvals page: co-optations and join requests waiting for a decision.
 * A requester is shown as the admin may see them: their headline only if
 * they show it to this admin, a link to their profile only if it is findable.
 */
export async function loadApprovals(db: Executor, spaceId: string, viewer: Actor) {
  const [pendingInvitations, pendingRequests, proposals] = await Promise.all([
    invitations.listPendingApproval(db, spaceId),
    joinRequests.listPending(db, spaceId),
    workshops.listProposals(db, spaceId, null),
  ]);
  const cards = await cardsFor(db, viewer, pendingRequests.map((r) => r.user_id));
  const proposers = await workshops.facilitatorNames(
    db,
    proposals.map((w) => w.id),
  );
  return {
    // Decided on the workshop's own page, where the whole proposal is read.
    workshops: proposals.map((w) => ({ id: w.id, title: w.title, startsAt: w.starts_at, endsAt: w.ends_at, timeZone: w.time_zone, by: proposers.get(w.id)?.join(", ") ?? null, createdAt: w.created_at })),
    invitations: pendingInvitations.map((i) => ({
      id: i.id,
      email: i.email,
      role: i.role,
      message: i.message,
      sponsor: i.sponsor_name,
      createdAt: i.created_at,
    })),
    requests: pendingRequests.map((r) => ({
      id: r.id,
      name: r.display_name,
      headline: cards.get(r.user_id)?.headline ?? null,
      profileUrl: cards.get(r.user_id)?.url ?? null,
      message: r.message,
      createdAt: r.created_at,
    })),
  };
}

/**
 * The link of an open invitation the sender may pass on by hand, or null.
 * Only when its mail could not carry it: no mail server at all, or its latest
 * mail failed (and has not gone out since). The link is read from that mail's
 * outbox row, the only place the secret is kept until delivery — invitations
 * themselves store its hash only.
 */
export function undeliveredLink(
  invitation: Pick<Invitation, "status" | "expires_at">,
  mail: { state: string; last_error: string | null; payload: string | null } | undefined,
  mailConfigured: boolean,
  now: number,
): string | null {
  if (invitation.status !== "sent" || invitation.expires_at === null || invitation.expires_at <= now) return null;
  if (!mail || mail.payload === null || mail.state === "cancelled") return null;
  if (mailConfigured && (mail.state === "sent" || mail.last_error === null)) return null;
  const link = (JSON.parse(mail.payload) as { link?: unknown }).link;
  return typeof link === "string" ? link : null;
}
