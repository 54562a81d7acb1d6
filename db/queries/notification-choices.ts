import type { ExpressionBuilder, Expression, SqlBool } from "kysely";
import type { Executor } from "../client.ts";
import type { ClubLevel, Database, Delivery, NotificationKind } from "../schema.ts";

/**
 * Each member's notification choices: per kind a delivery, per club a level
 * (db/schema.ts). Only choices away from the default are meaningful, but a
 * saved form stores every kind it shows, so a later change of default
 * leaves what a member chose alone. The defaults and what the choices mean
 * are app/notifications/choices.ts's; queries that pick mail recipients in
 * SQL take the default as a parameter.
 */

export async function choicesOf(db: Executor, userId: string): Promise<Map<NotificationKind, Delivery>> {
  const rows = await db.selectFrom("notification_choice").select(["kind", "delivery"]).where("user_id", "=", userId).execute();
  return new Map(rows.map((r) => [r.kind, r.delivery]));
}

/** The choice of each of these people for one kind, where they made one. */
export async function choicesFor(db: Executor, userIds: readonly string[], kind: NotificationKind): Promise<Map<string, Delivery>> {
  if (userIds.length === 0) return new Map();
  const rows = await db.selectFrom("notification_choice").select(["user_id", "delivery"]).where("kind", "=", kind).where("user_id", "in", [...userIds]).execute();
  return new Map(rows.map((r) => [r.user_id, r.delivery]));
}

export async function saveChoices(db: Executor, userId: string, choices: ReadonlyArray<{ kind: NotificationKind; delivery: Delivery }>, now: number) {
  for (const c of choices) {
    await db
      .insertInto("notification_choice")
      .values({ user_id: userId, kind: c.kind, delivery: c.delivery, updated_at: now })
      .onConflict((oc) => oc.columns(["user_id", "kind"]).doUpdateSet({ delivery: c.delivery, updated_at: now }))
      .execute();
  }
}

export async function levelsOf(db: Executor, userId: string): Promise<Map<string, ClubLevel>> {
  const rows = await db.selectFrom("club_notification_level").select(["space_id", "level"]).where("user_id", "=", userId).execute();
  return new Map(rows.map((r) => [r.space_id, r.level]));
}

/** The level each of these people chose for one club, where they chose one. */
export async function levelsFor(db: Executor, userIds: readonly string[], spaceId: string): Promise<Map<string, ClubLevel>> {
  if (userIds.length === 0) return new Map();
  const rows = await db.selectFrom("club_notification_level").select(["user_id", "level"]).where("space_id", "=", spaceId).where("user_id", "in", [...userIds]).execute();
  return new Map(rows.map((r) => [r.user_id, r.level]));
}

/** "all" is the absence of a row: choosing it again removes the row. */
export async function saveLevel(db: Executor, userId: string, spaceId: string, level: ClubLevel, now: number) {
  if (level === "all") {
    await db.deleteFrom("club_notification_level").where("user_id", "=", userId).where("space_id", "=", spaceId).execute();
    return;
  }
  await db
    .insertInto("club_notification_level")
    .values({ user_id: userId, space_id: spaceId, level, updated_at: now })
    .onConflict((oc) => oc.columns(["user_id", "space_id"]).doUpdateSet({ level, updated_at: now }))
    .execute();
}

/**
 * Who takes a kind by mail, as a query over people can ask it: the kind,
 * its default, and the club levels under which it is still heard (built
 * by app/notifications/choices.ts, mailRule).
 */
export interface MailRule {
  kind: NotificationKind;
  byDefault: Delivery;
  /** What may be chosen: a stored choice outside these reads as the default, as deliveryOf reads it. */
  offers: readonly Delivery[];
  levels: readonly ClubLevel[];
}

/** For a query over people (`userRef`) in a club (`spaceRef`, or null when the kind is not about one): they take it by mail. */
export function takesByMail<DB extends Database, TB extends keyof DB>(eb: ExpressionBuilder<DB, TB>, rule: MailRule, userRef: Expression<string>, spaceRef: Expression<string> | null): Expression<SqlBool> {
  const db = eb as unknown as ExpressionBuilder<Database, never>;
  const delivery = db(
    db.fn.coalesce(
      db.selectFrom("notification_choice as nc").select("nc.delivery").whereRef("nc.user_id", "=", userRef as never).where("nc.kind", "=", rule.kind).where("nc.delivery", "in", [...rule.offers]),
      db.val(rule.byDefault),
    ),
    "=",
    "mail",
  );
  if (spaceRef === null) return delivery;
  const level = db(
    db.fn.coalesce(db.selectFrom("club_notification_level as cl").select("cl.level").whereRef("cl.user_id", "=", userRef as never).whereRef("cl.space_id", "=", spaceRef as never), db.val<ClubLevel>("all")),
    "in",
    [...rule.levels],
  );
  return db.and([delivery, level]);
}

/** Of these people, those who take a kind that is about no club by mail. */
export async function takingMail(db: Executor, userIds: readonly string[], rule: MailRule): Promise<Set<string>> {
  if (userIds.length === 0) return new Set();
  const rows = await db
    .selectFrom("user as u")
    .select("u.id")
    .where("u.id", "in", [...userIds])
    .where((eb) => takesByMail(eb, rule, eb.ref("u.id"), null))
    .execute();
  return new Set(rows.map((r) => r.id));
}
