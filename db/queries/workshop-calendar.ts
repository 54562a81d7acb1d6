import type { Executor } from "../client.ts";
import type { JoinPolicy, RegistrationStatus, Role, Visibility, Workshop, WorkshopState } from "../schema.ts";
import { hashSecret, newSecret } from "../tokens.ts";

/**
 * What the calendars read: a workshop's calendar file, and a member's personal
 * subscription, reached by a token of their own (only its hash is kept, as
 * for the private Atom feeds: db/queries/users.ts).
 */

/** The states a calendar shows: a proposal is no event yet; a cancelled workshop stays, marked cancelled. */
export const CALENDAR_STATES: readonly WorkshopState[] = ["scheduled", "cancelled"];

/** Registrations that put a workshop in a member's calendar (not_going does not). */
export const CALENDAR_REGISTRATIONS: readonly RegistrationStatus[] = ["going", "waiting", "maybe"];

const WORKSHOP_COLUMNS = [
  "w.id",
  "w.space_id",
  "w.title",
  "w.state",
  "w.starts_at",
  "w.ends_at",
  "w.time_zone",
  "w.place",
  "w.video_url",
  "w.description_text",
  "w.visibility",
  "w.sequence",
  "w.created_at",
  "w.updated_at",
  "w.cancel_reason",
  "w.proposed_by",
  "w.deleted_at",
] as const;

/** The workshop's columns the calendar reads (CALENDAR_COLUMNS), as the table types them. */
export type CalendarRow = Pick<
  Workshop,
  "id" | "space_id" | "title" | "state" | "starts_at" | "ends_at" | "time_zone" | "place" | "video_url" | "description_text" | "visibility" | "sequence" | "created_at" | "updated_at" | "cancel_reason" | "proposed_by" | "deleted_at"
>;

/** A workshop of this space a calendar may show (not deleted, scheduled or cancelled); another space's id finds nothing. */
export function findCalendarWorkshop(db: Executor, spaceId: string, workshopId: string): Promise<CalendarRow | undefined> {
  return db
    .selectFrom("workshop as w")
    .select(WORKSHOP_COLUMNS)
    .where("w.id", "=", workshopId)
    .where("w.space_id", "=", spaceId)
    .where("w.deleted_at", "is", null)
    .where("w.state", "in", CALENDAR_STATES)
    .executeTakeFirst();
}

/** The reader's own registration to a workshop, if any. */
export async function registrationStatus(db: Executor, workshopId: string, userId: string): Promise<RegistrationStatus | null> {
  const row = await db
    .selectFrom("workshop_registration")
    .select("status")
    .where("workshop_id", "=", workshopId)
    .where("user_id", "=", userId)
    .executeTakeFirst();
  return row?.status ?? null;
}

export interface PersonalCalendarRow extends CalendarRow {
  space_slug: string;
  space_visibility: Visibility;
  space_join_policy: JoinPolicy;
  space_archived_at: number | null;
  /** The member's role in the workshop's space; null: not a member (a network-open workshop they registered for). */
  role: Role | null;
  registration: RegistrationStatus | null;
}

/**
 * The workshops of a member's subscription, starting from `since`: every
 * workshop of the spaces they belong to now, and the network-open workshops
 * of other clubs they registered for (going, waiting, maybe) while those are
 * still open to the network. A space they left takes its workshops with it
 * (the registration alone keeps only a network-open one); a deleted workshop
 * or a proposal never shows. Whether each may be read and attended is the
 * policies' to say (app/workshops/calendar-feed.server.ts); this only gathers.
 */
export function listPersonalCalendar(db: Executor, userId: string, since: number, limit: number): Promise<PersonalCalendarRow[]> {
  return db
    .selectFrom("workshop as w")
    .innerJoin("space as s", "s.id", "w.space_id")
    .leftJoin("space_member as m", (join) => join.onRef("m.space_id", "=", "w.space_id").on("m.user_id", "=", userId))
    .leftJoin("workshop_registration as r", (join) => join.onRef("r.workshop_id", "=", "w.id").on("r.user_id", "=", userId))
    .select(WORKSHOP_COLUMNS)
    .select([
      "s.slug as space_slug",
      "s.visibility as space_visibility",
      "s.join_policy as space_join_policy",
      "s.archived_at as space_archived_at",
      "m.role as role",
      "r.status as registration",
    ])
    .where("w.deleted_at", "is", null)
    .where("w.state", "in", CALENDAR_STATES)
    .where("w.starts_at", ">=", since)
    .where((eb) =>
      eb.or([
        eb("m.user_id", "is not", null),
        eb.and([eb("r.status", "in", CALENDAR_REGISTRATIONS), eb("w.visibility", "=", "network"), eb("s.visibility", "!=", "secret"), eb("s.archived_at", "is", null)]),
      ]),
    )
    .orderBy("w.starts_at")
    .orderBy("w.id")
    .limit(limit)
    .execute();
}

/** A new calendar token: only its hash is kept, so the old address stops working at once. Returns the token, once. */
export async function resetCalendarToken(db: Executor, userId: string, now: number): Promise<string> {
  const token = newSecret();
  await db.updateTable("user").set({ calendar_token_hash: hashSecret(token), updated_at: now }).where("id", "=", userId).execute();
  return token;
}

/** The person a calendar token belongs to, if it is their current one. */
export function findByCalendarToken(db: Executor, token: string) {
  if (!/^[a-z2-7]{16,64}$/.test(token)) return Promise.resolve(undefined);
  return db.selectFrom("user").selectAll().where("calendar_token_hash", "=", hashSecret(token)).executeTakeFirst();
}
