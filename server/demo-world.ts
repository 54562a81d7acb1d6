import type { DB } from "#db/client.ts";
import { findMembership } from "#db/queries/members.ts";
import { findBySlug } from "#db/queries/spaces.ts";
import { findByEmail } from "#db/queries/users.ts";
import type { Space, User } from "#db/schema.ts";
import { DEMO_PEOPLE, DEMO_SPACES } from "#db/seed.ts";
import { actorOf } from "#app/policies/actor.ts";

/**
 * What the demo's scripts share once the base network is loaded (db/seed.ts):
 * its people and spaces by key, and one clock. Every command takes its moment
 * in its acting context (`now`), so the demo stamps each act with a plausible
 * time in the past weeks (`at`) rather than the second it was loaded.
 */

export const MINUTE = 60 * 1000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

export type PersonKey = string;
export type SpaceKey = string;

export interface DemoWorld {
  db: DB;
  now: number;
  people: Record<PersonKey, User>;
  spaces: Record<SpaceKey, Space>;
  /** The demo loads with the command line's address, as a route's acts carry the visitor's. */
  ip: string;
}

export async function loadWorld(db: DB, now: number): Promise<DemoWorld> {
  const people = {} as Record<PersonKey, User>;
  for (const p of DEMO_PEOPLE) {
    const user = await findByEmail(db, p.email);
    if (!user) throw new Error(`demo: ${p.email} is missing`);
    people[p.key] = user;
  }
  const spaces = {} as Record<SpaceKey, Space>;
  for (const s of DEMO_SPACES) {
    const space = await findBySlug(db, s.slug);
    if (!space) throw new Error(`demo: space ${s.slug} is missing`);
    spaces[s.key] = space;
  }
  return { db, now, people, spaces, ip: "127.0.0.1" };
}

/**
 * `daysAgo` days before now at `hour`:`minute`, Paris time in winter (UTC+1),
 * never later than a minute ago: the demo's history never lies in the future.
 */
export function at(world: Pick<DemoWorld, "now">, daysAgo: number, hour = 10, minute = 0): number {
  const today = new Date(world.now);
  const midnight = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate());
  const moment = midnight - daysAgo * DAY + (hour - 1) * HOUR + minute * MINUTE;
  return Math.min(moment, world.now - MINUTE);
}

/** A person acting in a space, as a route builds it from loadSpace: the actor and their membership there. */
export async function actingIn(world: DemoWorld, person: PersonKey, space: SpaceKey, now: number) {
  const user = world.people[person];
  const where = world.spaces[space];
  const membership = await findMembership(world.db, where.id, user.id);
  if (!membership) throw new Error(`demo: ${person} is not a member of ${where.slug}`);
  return { user, actor: actorOf(user), membership, space: where, ip: world.ip, now };
}

/** A command's result, or the demo stops there saying which act was refused and why. */
export function must<R extends { ok: boolean }>(what: string, result: R): Extract<R, { ok: true }> {
  if (!result.ok) throw new Error(`demo: ${what} refused: ${JSON.stringify(result)}`);
  return result as Extract<R, { ok: true }>;
}

/**
 * The club's two workshops, a few weeks back: the files, pages and articles
 * about them name their month from these, so the story holds whenever the
 * demo is loaded.
 */
export function workshopDays(world: Pick<DemoWorld, "now">) {
  return { negotiation: at(world, 39, 9, 0), sop: at(world, 25, 9, 0) };
}

const inParis = (t: number, options: Intl.DateTimeFormatOptions) => new Intl.DateTimeFormat("fr-FR", { timeZone: "Europe/Paris", ...options }).format(t);
/** "octobre 2026" */
export const monthYear = (t: number) => inParis(t, { month: "long", year: "numeric" });
/** "octobre" */
export const monthName = (t: number) => inParis(t, { month: "long" });
/** "27 octobre" */
export const dayMonth = (t: number) => inParis(t, { day: "numeric", month: "long" });
/** "2026-10", as folders of the club's workshops are named */
export const isoMonth = (t: number) => {
  const [{ value: year }, , { value: month }] = new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Paris", year: "numeric", month: "2-digit" }).formatToParts(t);
  return `${year}-${month}`;
};

/**
 * French spacing, as a careful writer types it: a no-break space before
 * % € : ; ? ! » and after «, so "2,5 %" never ends a line on a lone "%".
 */
export function frenchSpacing(text: string): string {
  return text.replace(/ ([%€:;?!»])/g, "\u00a0$1").replace(/« /g, "«\u00a0");
}
