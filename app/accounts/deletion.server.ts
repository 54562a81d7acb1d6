import type { Executor } from "#db/client.ts";
import type { DeletionMode, Locale, User } from "#db/schema.ts";
import { audit } from "#db/queries/audit.ts";
import { endCredentials } from "#db/queries/credentials.ts";
import type { PurgedObjects } from "#db/queries/files.ts";
import {
  anonymiseAccount,
  claimDeletion,
  DELETION_GRACE_DAYS,
  exportObjectsOf,
  otherNetworkAdmins,
  removeOwnWriting,
  scheduleDeletion,
  spacesLastAdminOf,
  unscheduleDeletion,
} from "#db/queries/account-deletion.ts";
import { isLocale } from "#app/i18n/index.ts";
import { queueMails } from "#app/mail/outbox.server.ts";
import type { Actor } from "#app/policies/actor.ts";
import type { Acting, Letterhead, Moment } from "#app/utils/acting.server.ts";
import { promoteWaiting, tellPromoted } from "#app/workshops/registration.server.ts";
import { deletionCancelledMail, deletionRequestedMail } from "./deletion-mail.server.ts";

/**
 * Leaving the network (issue 19): a member asks for their account's
 * deletion, choosing what becomes of what they wrote; 14 days later a job
 * carries it out (deletion-job.server.ts), unless they signed in meanwhile
 * (recordSignIn cancels it). Commands as elsewhere: (executor, context,
 * input) → result or typed refusal, in the caller's transaction; mails are
 * queued in it and sent after commit. The audit names the account by id only.
 */

export const GRACE_MS = DELETION_GRACE_DAYS * 24 * 60 * 60 * 1000;

export type DeletionRefusal =
  | { ok: false; error: "last-admin"; spaces: Array<{ id: string; slug: string; name: string }> }
  | { ok: false; error: "last-network-admin" };

/**
 * Why a member cannot leave now: the only admin of a space must hand it over
 * first (its members would be left with nobody to approve, settle or tidy),
 * and the network keeps at least one admin. Null when nothing holds them.
 */
export async function whatHoldsBack(trx: Executor, actor: Actor): Promise<DeletionRefusal | null> {
  const spaces = await spacesLastAdminOf(trx, actor.id);
  if (spaces.length > 0) return { ok: false, error: "last-admin", spaces };
  if (actor.isNetworkAdmin && (await otherNetworkAdmins(trx, actor.id)) === 0) return { ok: false, error: "last-network-admin" };
  return null;
}

const localeOf = (user: Pick<User, "locale">, letterhead: Letterhead): Locale => (isLocale(user.locale) ? user.locale : letterhead.network.locale);

/**
 * The request (the password was checked by the caller): every session and
 * credential ends now, the profile leaves the directory now (its listing is
 * read as hidden while a deletion is due: listingShown), and the deletion is
 * due in 14 days. A mail says so, and that signing in before then cancels it.
 */
export async function requestAccountDeletion(
  trx: Executor,
  ctx: Acting & { letterhead: Letterhead },
  input: { mode: DeletionMode },
): Promise<{ ok: true; dueAt: number; mailIds: string[] } | DeletionRefusal> {
  const { user, now } = ctx;
  const held = await whatHoldsBack(trx, ctx.actor);
  if (held) return held;
  const dueAt = now + GRACE_MS;
  await scheduleDeletion(trx, user.id, { mode: input.mode, now, dueAt });
  await endCredentials(trx, user.id, { sessionId: null, deviceToken: null }, now);
  await audit(trx, { event: "account_deletion_requested", actorId: user.id, targetUserId: user.id, ip: ctx.ip, data: { mode: input.mode, dueAt }, now });
  const locale = localeOf(user, ctx.letterhead);
  const mail = deletionRequestedMail({
    to: user.email,
    locale,
    network: ctx.letterhead.network.name,
    mode: input.mode,
    dueAt,
    url: new URL("/login", ctx.letterhead.baseUrl).toString(),
  });
  return { ok: true, dueAt, mailIds: await queueMails(trx, [{ mail }], now) };
}

/**
 * Signing in during the grace period: the deletion is off, audited and
 * confirmed by mail. `cancelled: false` when none was due.
 */
export async function cancelAccountDeletion(
  trx: Executor,
  ctx: Moment & { letterhead: Letterhead },
  input: { user: Pick<User, "id" | "email" | "locale"> },
): Promise<{ ok: true; cancelled: boolean; mailIds: string[] }> {
  const { user } = input;
  if (!(await unscheduleDeletion(trx, user.id, ctx.now))) return { ok: true, cancelled: false, mailIds: [] };
  await audit(trx, { event: "account_deletion_cancelled", actorId: user.id, targetUserId: user.id, ip: ctx.ip, now: ctx.now });
  const mail = deletionCancelledMail({ to: user.email, locale: localeOf(user, ctx.letterhead), network: ctx.letterhead.network.name });
  return { ok: true, cancelled: true, mailIds: await queueMails(trx, [{ mail }], ctx.now) };
}

/**
 * Carries out one due deletion, whole, in the caller's one transaction: the
 * claim first (claimDeletion: a second process or a rerun finds it done),
 * then, for "remove", what is theirs alone, then the anonymisation both
 * choices end with. Answers the storage objects to delete once committed
 * (their photo, purged files, their data exports); "not-due" when it was
 * cancelled, done already, or not due yet.
 */
export async function carryOutDeletion(
  trx: Executor,
  ctx: Moment,
  input: { userId: string },
): Promise<{ ok: true; mode: DeletionMode; photo: { userId: string; photoId: string } | null; objects: PurgedObjects } | { ok: false; error: "not-due" }> {
  const { now } = ctx;
  const user = await claimDeletion(trx, input.userId, now);
  if (!user) return { ok: false, error: "not-due" };
  const mode: DeletionMode = user.deletion_mode === "remove" ? "remove" : "anonymise";
  const objects: PurgedObjects = mode === "remove" ? await removeOwnWriting(trx, user.id, now) : { keys: [], uploadIds: [], files: 0, bytes: 0 };
  objects.keys.push(...(await exportObjectsOf(trx, user.id)));
  // The seats they held in workshops still to come: freed with their registrations, so those waiting come in.
  const seats = await trx
    .selectFrom("workshop_registration as r")
    .innerJoin("workshop as w", "w.id", "r.workshop_id")
    .innerJoin("space as s", "s.id", "w.space_id")
    .select(["w.id", "w.title", "w.starts_at", "w.ends_at", "w.time_zone", "w.place", "w.video_url", "s.id as space_id", "s.name as space_name", "s.slug as space_slug"])
    .where("r.user_id", "=", user.id)
    .where("r.status", "=", "going")
    .where("w.state", "=", "scheduled")
    .where("w.ends_at", ">", now)
    .execute();
  await anonymiseAccount(trx, user, now);
  for (const w of seats) {
    const promoted = await promoteWaiting(trx, w.id, now);
    // Told as any promotion is; their mails go with the outbox's next round.
    await tellPromoted(trx, { workshop: w, space: { id: w.space_id, name: w.space_name, slug: w.space_slug }, promoted, actorId: null, now });
  }
  // Automatic: nobody acts; the line names the account by id, and says what was chosen.
  await audit(trx, { event: "account_deleted", actorId: null, targetUserId: user.id, ip: "", data: { mode, files: objects.files }, now });
  return { ok: true, mode, photo: user.photo_id ? { userId: user.id, photoId: user.photo_id } : null, objects };
}
