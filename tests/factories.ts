import type { Executor } from "#db/client.ts";
import * as members from "#db/queries/members.ts";
import * as network from "#db/queries/network.ts";
import * as spaces from "#db/queries/spaces.ts";
import * as users from "#db/queries/users.ts";
import type { JoinPolicy, Locale, Role, Space, SpaceKind, User, Visibility } from "#db/schema.ts";
import { hashPassword } from "#app/utils/password.server.ts";
import type { Client, HttpResponse } from "./helpers/http.ts";

/**
 * Arranges facts straight in the database, through the same query modules
 * the app uses. Everything the test then checks goes through HTTP.
 */

export const DEFAULT_PASSWORD = "correct horse battery staple";

let counter = 0;
const unique = () => `${Date.now().toString(36)}${(counter++).toString(36)}`;

// argon2id costs ~50 ms a hash: one per distinct password per test file is enough.
const hashes = new Map<string, Promise<string>>();
function hashOf(password: string) {
  let h = hashes.get(password);
  if (!h) {
    h = hashPassword(password);
    hashes.set(password, h);
  }
  return h;
}

export async function createNetwork(db: Executor, input: { name?: string; defaultLocale?: Locale } = {}) {
  await network.createNetwork(db, { name: input.name ?? "Réseau de test", defaultLocale: input.defaultLocale ?? "fr", now: Date.now() });
  return network.getNetwork(db);
}

export interface TestUser extends User {
  /** The clear password, to sign in with. */
  password: string;
}

export interface UserInput {
  email?: string;
  displayName?: string;
  password?: string;
  isNetworkAdmin?: boolean;
  locale?: Locale | null;
  sponsorId?: string | null;
}

export async function createUser(db: Executor, input: UserInput = {}): Promise<TestUser> {
  const id = unique();
  const password = input.password ?? DEFAULT_PASSWORD;
  const user = await users.createUser(db, {
    email: input.email ?? `user-${id}@example.test`,
    displayName: input.displayName ?? `User ${id}`,
    passwordHash: await hashOf(password),
    isNetworkAdmin: input.isNetworkAdmin ?? false,
    locale: input.locale ?? null,
    sponsorId: input.sponsorId ?? null,
    now: Date.now(),
  });
  return { ...user, password };
}

export async function createSpace(
  db: Executor,
  input: {
    createdBy: string;
    slug?: string;
    name?: string;
    kind?: SpaceKind;
    description?: string;
    visibility?: Visibility;
    joinPolicy?: JoinPolicy;
    storageQuotaBytes?: number;
    /** Adds the creator as the space's admin, as the app does (default true). */
    creatorIsAdmin?: boolean;
  },
): Promise<Space> {
  const id = unique();
  const space = await spaces.createSpace(db, {
    slug: input.slug ?? `space-${id}`,
    name: input.name ?? `Space ${id}`,
    kind: input.kind ?? "trade_club",
    description: input.description ?? "",
    visibility: input.visibility ?? "listed",
    joinPolicy: input.joinPolicy ?? "admins_invite",
    storageQuotaBytes: input.storageQuotaBytes,
    createdBy: input.createdBy,
    now: Date.now(),
  });
  if (input.creatorIsAdmin ?? true) {
    await members.addMember(db, { spaceId: space.id, userId: input.createdBy, role: "admin", sponsorId: null, now: Date.now() });
  }
  return space;
}

export async function addMember(
  db: Executor,
  input: { space: Pick<Space, "id">; user: Pick<User, "id">; role?: Role; sponsor?: Pick<User, "id"> | null },
) {
  await members.addMember(db, {
    spaceId: input.space.id,
    userId: input.user.id,
    role: input.role ?? "member",
    sponsorId: input.sponsor?.id ?? null,
    now: Date.now(),
  });
}

/**
 * Signs in through the real form (POST /login) and checks that it worked: a
 * redirect that sets the session cookie. Throws with what came back otherwise.
 */
export async function signIn(client: Client, email: string, password: string, redirectTo = ""): Promise<HttpResponse> {
  const response = await client.post("/login", { email, password, redirectTo });
  const cookie = response.setCookies.find((c) => /^(__Host-)?cercle_session=[^;]+/.test(c));
  if (response.status !== 302 || !cookie) {
    throw new Error(`Sign-in of ${email} failed: status ${response.status}, Set-Cookie ${JSON.stringify(response.setCookies)}`);
  }
  return response;
}
