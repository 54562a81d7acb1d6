import type { Executor } from "../client.ts";
import { preparedFirst } from "../prepared.ts";
import { newId } from "../ids.ts";
import { hashSecret, newSecret } from "../tokens.ts";
import type { Locale, User } from "../schema.ts";
import { searchable } from "../text.ts";
import { defaultVisibility } from "./people.ts";

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** Compiled once (db/prepared.ts): a page view runs it for the page's last editor. */
export const findById = preparedFirst((db, id: string) => db.selectFrom("user").selectAll().where("id", "=", id));

export function findByEmail(db: Executor, email: string) {
  return db.selectFrom("user").selectAll().where("email", "=", normalizeEmail(email)).executeTakeFirst();
}

/** Where the network meets; a person changes theirs in their settings. */
export const DEFAULT_TIME_ZONE = "Europe/Paris";

/** A profile with nothing in it: what a new account starts with, and what a deleted one is left with (db/queries/account-deletion.ts). */
export const EMPTY_PROFILE = {
  headline: "",
  bio: "",
  bio_html: "",
  skills: "[]",
  region: "",
  city: "",
  sectors: "[]",
  languages: "[]",
  website: "",
  linkedin: "",
  open_to: 0,
  available_from: null,
  professional_status: null,
  photo_id: null,
  headline_search: "",
  skills_search: "",
} as const satisfies Partial<User>;

export async function createUser(
  db: Executor,
  input: {
    email: string;
    displayName: string;
    passwordHash: string;
    isNetworkAdmin?: boolean;
    sponsorId?: string | null;
    locale?: Locale | null;
    now: number;
  },
): Promise<User> {
  const user: User = {
    id: newId(),
    email: normalizeEmail(input.email),
    display_name: input.displayName,
    password_hash: input.passwordHash,
    is_network_admin: input.isNetworkAdmin ? 1 : 0,
    ...EMPTY_PROFILE,
    locale: input.locale ?? null,
    sponsor_id: input.sponsorId ?? null,
    created_at: input.now,
    updated_at: input.now,
    time_zone: DEFAULT_TIME_ZONE,
    feed_token_hash: null,
    calendar_token_hash: null,
    name_search: searchable(input.displayName),
    listing: "network",
    ...defaultVisibility(),
    contact_policy: "network",
    home_visit_at: null,
    home_seen_at: null,
    digest_frequency: "weekly",
    digest_until: null,
    deletion_requested_at: null,
    deletion_due_at: null,
    deletion_mode: null,
    deleted_at: null,
    deactivated_at: null,
    deactivated_by: null,
    last_sign_in_at: null,
  };
  await db.insertInto("user").values(user).execute();
  return user;
}


/** A new private feed token: only its hash is kept, so the old one stops working at once. Returns the token, once. */
export async function resetFeedToken(db: Executor, userId: string, now: number): Promise<string> {
  const token = newSecret();
  await db.updateTable("user").set({ feed_token_hash: hashSecret(token), updated_at: now }).where("id", "=", userId).execute();
  return token;
}

/** The person a feed token belongs to, if it is their current one. */
export function findByFeedToken(db: Executor, token: string) {
  if (!/^[a-z2-7]{16,64}$/.test(token)) return Promise.resolve(undefined);
  return db.selectFrom("user").selectAll().where("feed_token_hash", "=", hashSecret(token)).executeTakeFirst();
}

export async function setLocale(db: Executor, userId: string, locale: Locale) {
  await db.updateTable("user").set({ locale }).where("id", "=", userId).execute();
}

export async function setPasswordHash(db: Executor, userId: string, passwordHash: string, now: number) {
  await db.updateTable("user").set({ password_hash: passwordHash, updated_at: now }).where("id", "=", userId).execute();
}

export function parseSkills(json: string): string[] {
  try {
    const value: unknown = JSON.parse(json);
    return Array.isArray(value) ? value.filter((s): s is string => typeof s === "string") : [];
  } catch {
    return [];
  }
}

/**
 * A visit of the home: past a pause of `pauseMs` since the latest, that
 * latest visit becomes the line before which everything counts as seen.
 * Answers the line (null until a second visit).
 */
export async function recordHomeVisit(db: Executor, userId: string, now: number, pauseMs: number): Promise<number | null> {
  const row = await db.selectFrom("user").select(["home_visit_at", "home_seen_at"]).where("id", "=", userId).executeTakeFirst();
  if (!row) return null;
  const seenAt = row.home_visit_at !== null && now - row.home_visit_at >= pauseMs ? row.home_visit_at : row.home_seen_at;
  await db.updateTable("user").set({ home_visit_at: now, home_seen_at: seenAt }).where("id", "=", userId).execute();
  return seenAt;
}
