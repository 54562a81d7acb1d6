import type { Executor } from "../client.ts";
import { preparedFirst } from "../prepared.ts";
import type { Role } from "../schema.ts";

/** Compiled once (db/prepared.ts): every page of a space runs it. */
export const findMembership = preparedFirst((db, spaceId: string, userId: string) =>
  db.selectFrom("space_member").selectAll().where("space_id", "=", spaceId).where("user_id", "=", userId),
);

export async function addMember(
  db: Executor,
  input: { spaceId: string; userId: string; role: Role; sponsorId: string | null; now: number },
) {
  await db
    .insertInto("space_member")
    .values({
      space_id: input.spaceId,
      user_id: input.userId,
      role: input.role,
      sponsor_id: input.sponsorId,
      joined_at: input.now,
    })
    // Joining twice (two invitations) keeps the first membership as it is.
    .onConflict((oc) => oc.columns(["space_id", "user_id"]).doNothing())
    .execute();
}

export async function setRole(db: Executor, spaceId: string, userId: string, role: Role) {
  await db
    .updateTable("space_member")
    .set({ role })
    .where("space_id", "=", spaceId)
    .where("user_id", "=", userId)
    .execute();
}

export async function removeMember(db: Executor, spaceId: string, userId: string) {
  await db.deleteFrom("space_member").where("space_id", "=", spaceId).where("user_id", "=", userId).execute();
}

/**
 * The admins who keep the space run: an admin whose account is to be deleted
 * (issue 19) is leaving and no longer counts, so the last admin who stays
 * cannot step down behind them. `counting`: an admin the question is about
 * (the one being demoted or removed), counted whatever their account's state.
 */
export async function countAdmins(db: Executor, spaceId: string, counting?: string): Promise<number> {
  const row = await db
    .selectFrom("space_member as m")
    .innerJoin("user as u", "u.id", "m.user_id")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("m.space_id", "=", spaceId)
    .where("m.role", "=", "admin")
    .where((eb) => eb.or([eb("u.deletion_due_at", "is", null), ...(counting ? [eb("m.user_id", "=", counting)] : [])]))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Members with their sponsor's name, admins first. */
export function listMembers(db: Executor, spaceId: string) {
  return db
    .selectFrom("space_member as m")
    .innerJoin("user as u", "u.id", "m.user_id")
    .leftJoin("user as s", "s.id", "m.sponsor_id")
    .select([
      "u.id",
      "u.display_name",
      "u.headline",
      "u.region",
      "m.role",
      "m.joined_at",
      "m.sponsor_id",
      "s.display_name as sponsor_name",
    ])
    .where("m.space_id", "=", spaceId)
    .orderBy((eb) =>
      eb
        .case()
        .when("m.role", "=", "admin")
        .then(0)
        .when("m.role", "=", "editor")
        .then(1)
        .when("m.role", "=", "member")
        .then(2)
        .else(3)
        .end(),
    )
    .orderBy("u.display_name")
    .execute();
}

/** Who to tell about approvals waiting: the space's admins. */
export function listAdmins(db: Executor, spaceId: string) {
  return db
    .selectFrom("space_member as m")
    .innerJoin("user as u", "u.id", "m.user_id")
    .select(["u.id", "u.email", "u.display_name", "u.locale"])
    .where("m.space_id", "=", spaceId)
    .where("m.role", "=", "admin")
    .execute();
}

/** The members of a space holding one of these roles, by name: who an item's audience line names (app/audience). */
export function membersWithRoles(db: Executor, spaceId: string, roles: readonly Role[]) {
  return db
    .selectFrom("space_member as m")
    .innerJoin("user as u", "u.id", "m.user_id")
    .select(["u.id", "u.display_name", "m.role"])
    .where("m.space_id", "=", spaceId)
    .where("m.role", "in", roles)
    .orderBy("u.display_name")
    .orderBy("u.id")
    .execute();
}

/** The user's role in each of their spaces, by space id. */
export async function rolesForUser(db: Executor, userId: string): Promise<Map<string, Role>> {
  const rows = await db.selectFrom("space_member").select(["space_id", "role"]).where("user_id", "=", userId).execute();
  return new Map(rows.map((r) => [r.space_id, r.role]));
}
