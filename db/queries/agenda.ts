import type { Executor } from "../client.ts";
import type { Visibility } from "../schema.ts";

/**
 * The network agenda's candidates (app/routes/agenda.tsx): workshops
 * overlapping [from, to) of the viewer's spaces, and the network-open ones of
 * spaces of the visibilities given, with the viewer's role and registration.
 * The filter restates app/policies/agenda.ts (agendaFilter) so a large
 * network is not read whole; the policy has the last word on every row.
 */
export function agendaWorkshops(
  db: Executor,
  input: { viewerId: string; networkSpaceVisibilities: readonly Visibility[]; from: number; to: number; spaceId?: string; limit: number },
) {
  let query = db
    .selectFrom("workshop as w")
    .innerJoin("space as s", "s.id", "w.space_id")
    .leftJoin("space_member as m", (join) => join.onRef("m.space_id", "=", "w.space_id").on("m.user_id", "=", input.viewerId))
    .leftJoin("workshop_registration as r", (join) => join.onRef("r.workshop_id", "=", "w.id").on("r.user_id", "=", input.viewerId))
    .select([
      "w.id",
      "w.title",
      "w.state",
      "w.visibility",
      "w.deleted_at",
      "w.starts_at",
      "w.ends_at",
      "w.time_zone",
      "w.place",
      "w.video_url",
      "s.id as space_id",
      "s.slug as space_slug",
      "s.name as space_name",
      "s.kind as space_kind",
      "s.visibility as space_visibility",
      "s.join_policy as space_join_policy",
      "s.archived_at as space_archived_at",
      "m.role",
      "r.status as registration",
    ])
    .where("w.deleted_at", "is", null)
    .where("w.state", "in", ["scheduled", "cancelled"])
    .where("s.archived_at", "is", null)
    .where("w.starts_at", "<", input.to)
    .where("w.ends_at", ">", input.from)
    .where((eb) =>
      eb.or([
        eb("m.user_id", "is not", null),
        eb.and([eb("w.visibility", "=", "network"), eb("s.visibility", "in", [...input.networkSpaceVisibilities])]),
      ]),
    );
  if (input.spaceId) query = query.where("w.space_id", "=", input.spaceId);
  return query.orderBy("w.starts_at").orderBy("w.id").limit(input.limit).execute();
}

/** The spaces a viewer may filter their agenda by: their own live ones, by kind and name. */
export function agendaSpaces(db: Executor, viewerId: string) {
  return db
    .selectFrom("space_member as m")
    .innerJoin("space as s", "s.id", "m.space_id")
    .select(["s.id", "s.slug", "s.name", "s.kind"])
    .where("m.user_id", "=", viewerId)
    .where("s.archived_at", "is", null)
    .orderBy("s.name")
    .execute();
}
