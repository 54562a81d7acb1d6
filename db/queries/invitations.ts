import type { Executor } from "../client.ts";
import { newId } from "../ids.ts";
import type { Invitation, Role } from "../schema.ts";
import { hashSecret, newSecret } from "../tokens.ts";

export const INVITATION_LIFETIME_MS = 7 * 24 * 60 * 60 * 1000;

/**
 * Creates an invitation. When it needs an admin's approval it waits without a
 * link; otherwise its link secret is returned (and only its hash is kept).
 */
export async function createInvitation(
  db: Executor,
  input: { spaceId: string; email: string; role: Role; message: string; sponsorId: string; needsApproval: boolean; now: number },
): Promise<{ invitation: Invitation; secret: string | null }> {
  const secret = input.needsApproval ? null : newSecret();
  const invitation: Invitation = {
    id: newId(),
    space_id: input.spaceId,
    email: input.email,
    role: input.role,
    message: input.message,
    sponsor_id: input.sponsorId,
    token_hash: secret ? hashSecret(secret) : null,
    status: input.needsApproval ? "pending_approval" : "sent",
    created_at: input.now,
    expires_at: secret ? input.now + INVITATION_LIFETIME_MS : null,
    decided_by: null,
    decided_at: null,
    refusal_reason: null,
    accepted_by: null,
    accepted_at: null,
    link_revealed_at: null,
  };
  await db.insertInto("invitation").values(invitation).execute();
  return { invitation, secret };
}

/** An invitation of this space, or undefined: ids from a request never reach another space. */
export function findInSpace(db: Executor, spaceId: string, invitationId: string) {
  return db
    .selectFrom("invitation")
    .selectAll()
    .where("id", "=", invitationId)
    .where("space_id", "=", spaceId)
    .executeTakeFirst();
}

/** Approves a waiting invitation and gives it its link (valid from now). */
export async function approve(db: Executor, invitationId: string, adminId: string, now: number): Promise<string | null> {
  const secret = newSecret();
  const result = await db
    .updateTable("invitation")
    .set({
      status: "sent",
      token_hash: hashSecret(secret),
      expires_at: now + INVITATION_LIFETIME_MS,
      decided_by: adminId,
      decided_at: now,
    })
    .where("id", "=", invitationId)
    .where("status", "=", "pending_approval")
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1 ? secret : null;
}

export async function refuse(db: Executor, invitationId: string, adminId: string, reason: string, now: number) {
  const result = await db
    .updateTable("invitation")
    .set({ status: "refused", decided_by: adminId, decided_at: now, refusal_reason: reason })
    .where("id", "=", invitationId)
    .where("status", "=", "pending_approval")
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function revoke(db: Executor, invitationId: string, byId: string, now: number) {
  const result = await db
    .updateTable("invitation")
    .set({ status: "revoked", decided_by: byId, decided_at: now })
    .where("id", "=", invitationId)
    .where("status", "in", ["pending_approval", "sent"])
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export type InvitationLookup =
  | { state: "valid"; invitation: Invitation }
  | { state: "expired" | "accepted" | "revoked" | "refused" | "unknown"; invitation?: Invitation };

export async function findBySecret(db: Executor, secret: string, now: number): Promise<InvitationLookup> {
  const invitation = await db
    .selectFrom("invitation")
    .selectAll()
    .where("token_hash", "=", hashSecret(secret))
    .executeTakeFirst();
  if (!invitation) return { state: "unknown" };
  if (invitation.status === "accepted") return { state: "accepted", invitation };
  if (invitation.status === "revoked") return { state: "revoked", invitation };
  if (invitation.status === "refused") return { state: "refused", invitation };
  if (invitation.status !== "sent" || invitation.expires_at === null || invitation.expires_at <= now) {
    return { state: "expired", invitation };
  }
  return { state: "valid", invitation };
}

/** Marks the invitation used; false if it was used or revoked in the meantime. */
export async function markAccepted(db: Executor, invitationId: string, userId: string, now: number) {
  const result = await db
    .updateTable("invitation")
    .set({ status: "accepted", accepted_by: userId, accepted_at: now })
    .where("id", "=", invitationId)
    .where("status", "=", "sent")
    .where("expires_at", ">", now)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

const withSponsor = (db: Executor) =>
  db
    .selectFrom("invitation as i")
    .innerJoin("user as s", "s.id", "i.sponsor_id")
    .selectAll("i")
    .select(["s.display_name as sponsor_name"]);

export function listPendingApproval(db: Executor, spaceId: string) {
  return withSponsor(db)
    .where("i.space_id", "=", spaceId)
    .where("i.status", "=", "pending_approval")
    .orderBy("i.created_at")
    .execute();
}

/** Invitations still open (waiting or sent, not yet used), newest first. */
export function listOpen(db: Executor, spaceId: string, now: number, sponsorId?: string) {
  let query = withSponsor(db)
    .where("i.space_id", "=", spaceId)
    .where((eb) =>
      eb.or([
        eb("i.status", "=", "pending_approval"),
        eb.and([eb("i.status", "=", "sent"), eb("i.expires_at", ">", now)]),
      ]),
    );
  if (sponsorId) query = query.where("i.sponsor_id", "=", sponsorId);
  return query.orderBy("i.created_at", "desc").execute();
}

/** Invitations and join requests waiting for the space's admins. */
export async function countAwaitingDecision(db: Executor, spaceId: string): Promise<number> {
  const [a, b, c] = await Promise.all([
    db
      .selectFrom("invitation")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("space_id", "=", spaceId)
      .where("status", "=", "pending_approval")
      .executeTakeFirstOrThrow(),
    db
      .selectFrom("join_request")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("space_id", "=", spaceId)
      .where("status", "=", "pending")
      .executeTakeFirstOrThrow(),
    // Workshops members proposed wait in the same queue.
    db
      .selectFrom("workshop")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("space_id", "=", spaceId)
      .where("state", "=", "proposed")
      .where("deleted_at", "is", null)
      .executeTakeFirstOrThrow(),
  ]);
  return Number(a.n) + Number(b.n) + Number(c.n);
}

/** Whether an invitation to this address is still open in the space. */
export async function hasOpenInvitation(db: Executor, spaceId: string, email: string, now: number) {
  const row = await db
    .selectFrom("invitation")
    .select("id")
    .where("space_id", "=", spaceId)
    .where("email", "=", email)
    .where((eb) =>
      eb.or([
        eb("status", "=", "pending_approval"),
        eb.and([eb("status", "=", "sent"), eb("expires_at", ">", now)]),
      ]),
    )
    .executeTakeFirst();
  return row !== undefined;
}

/** The sender was shown the link (mail failed or not configured): whoever opens it must then prove the mailbox. */
export async function markLinkRevealed(db: Executor, invitationId: string, now: number) {
  await db.updateTable("invitation").set({ link_revealed_at: now }).where("id", "=", invitationId).where("link_revealed_at", "is", null).execute();
}

/**
 * Gives an open invitation a new link, to be mailed to its address: the old
 * one (passed on by hand) stops working. Null if the invitation was used,
 * revoked or given a new link meanwhile (its hash is no longer `tokenHash`).
 */
export async function renewSecret(db: Executor, invitationId: string, tokenHash: string, now: number): Promise<string | null> {
  const secret = newSecret();
  const result = await db
    .updateTable("invitation")
    .set({ token_hash: hashSecret(secret), link_revealed_at: null })
    .where("id", "=", invitationId)
    .where("token_hash", "=", tokenHash)
    .where("status", "=", "sent")
    .where("expires_at", ">", now)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1 ? secret : null;
}
