import type { Executor } from "../client.ts";
import { newId } from "../ids.ts";
import type { Locale, ProfessionalStatus, User } from "../schema.ts";

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export function findById(db: Executor, id: string) {
  return db.selectFrom("user").selectAll().where("id", "=", id).executeTakeFirst();
}

export function findByEmail(db: Executor, email: string) {
  return db.selectFrom("user").selectAll().where("email", "=", normalizeEmail(email)).executeTakeFirst();
}

/** Where the network meets; a person changes theirs in their settings. */
export const DEFAULT_TIME_ZONE = "Europe/Paris";

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
    headline: "",
    bio: "",
    skills: "[]",
    region: "",
    professional_status: null,
    locale: input.locale ?? null,
    sponsor_id: input.sponsorId ?? null,
    created_at: input.now,
    updated_at: input.now,
    time_zone: DEFAULT_TIME_ZONE,
    mail_on_mention: 1,
    mail_on_reply: 1,
    feed_token: null,
  };
  await db.insertInto("user").values(user).execute();
  return user;
}

export interface ProfileInput {
  displayName: string;
  headline: string;
  bio: string;
  skills: string[];
  region: string;
  professionalStatus: ProfessionalStatus | null;
  locale: Locale | null;
}

export async function updateProfile(db: Executor, userId: string, input: ProfileInput, now: number) {
  await db
    .updateTable("user")
    .set({
      display_name: input.displayName,
      headline: input.headline,
      bio: input.bio,
      skills: JSON.stringify(input.skills),
      region: input.region,
      professional_status: input.professionalStatus,
      locale: input.locale,
      updated_at: now,
    })
    .where("id", "=", userId)
    .execute();
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
