import type { OpenedDatabase } from "#db/client.ts";
import type { JoinPolicy, Locale, Role, Space, SpaceKind, Visibility } from "#db/schema.ts";
import { addMember, createNetwork, createSpace, createUser, signIn, type TestUser, type UserInput } from "../factories.ts";
import { openTestDb } from "./db.ts";
import { client, type Client } from "./http.ts";
import { startServer, type TestServer } from "./server.ts";
import { startSmtp, type TestSmtp } from "./smtp.ts";
import { Tus } from "./tus.ts";

/**
 * One test world in one call: the built server (or one already running), a
 * network, people, spaces, memberships and an HTTP client per person, signed
 * in through the real sign-in form so each holds a real session cookie.
 *
 *   const w = await world();                 // the standard cast, below
 *   const w = await world({ people, spaces, … });   // a file's own cast
 *
 * Everything is made in the order given (people, then spaces, then their
 * members space by space, then sign-ins), as the suites did by hand before,
 * so what they see — join order, audit rows, sign-in attempts — is unchanged.
 * A file keeps its own names, addresses and slugs: its assertions name them.
 */

/** A person's account; without email or displayName, the world's defaults (domain, displayName) or unique ones. */
export type PersonSpec = Omit<UserInput, "sponsorId">;

export interface SpaceSpec<P extends string> {
  /** Who creates it; the creator becomes its admin (as the app does) unless creatorIsAdmin is false. */
  createdBy: P;
  slug?: string;
  name?: string;
  kind?: SpaceKind;
  description?: string;
  visibility?: Visibility;
  joinPolicy?: JoinPolicy;
  storageQuotaBytes?: number;
  creatorIsAdmin?: boolean;
  /** Who else joins, with which role (and sponsor), in this order, once every space exists. */
  members?: Partial<Record<P, Role | { role: Role; sponsor: P }>>;
}

export interface WorldSpec<P extends string, S extends string> {
  /** Start the built server with these variables (default: none). Ignored with `attach`. */
  env?: Record<string, string>;
  /** A server started by the test itself (a child process): the world only fills its database. */
  attach?: { url: string; dbFile: string };
  /** Start a test SMTP server on loopback first and give its address as SMTP_URL. */
  smtp?: boolean;
  /** The network row; false: none (pages that work before setup). Default: createNetwork's. */
  network?: { name?: string; defaultLocale?: Locale } | false;
  /** Domain of the default e-mail addresses. */
  domain?: string;
  /** Default display name of a person. */
  displayName?: (name: NoInfer<P>) => string;
  people: Record<P, PersonSpec>;
  spaces?: Record<S, SpaceSpec<NoInfer<P>>>;
  /** Who gets a signed-in client, in this order (default: everyone, in the order of `people`). */
  signIn?: readonly NoInfer<P>[];
}

export interface World<P extends string, S extends string> {
  server: TestServer;
  /** A second connection to the server's database file (see openTestDb). */
  store: OpenedDatabase;
  /** With `smtp: true`. */
  smtp: TestSmtp;
  people: Record<P, TestUser>;
  spaces: Record<S, Space>;
  /** A signed-in client per person in `signIn`. */
  c: Record<P, Client>;
  /** A tus client per signed-in person, sending their cookie. */
  tus: Record<P, Tus>;
  /** A client with no session. */
  anonymous: Client;
  /** A client signed in as this user (one made later too), signed in on first use and kept for the file. */
  as(user: TestUser): Promise<Client>;
  /** Closes the database connection, then the server and the SMTP server the world started. */
  close(): Promise<void>;
}

/** People known by name only: default address and display name for each. */
export function named<P extends string>(names: readonly P[]): Record<P, PersonSpec> {
  return Object.fromEntries(names.map((name) => [name, {}])) as Record<P, PersonSpec>;
}

/** The standard cast: one person of every kind the authorization rules know. */
export const STANDARD_PEOPLE = {
  admin: {},
  editor: {},
  member: {},
  guest: {},
  outsider: {},
  netAdmin: { isNetworkAdmin: true },
} satisfies Record<string, PersonSpec>;

const ROLES = { editor: "editor", member: "member", guest: "guest" } as const;

/** One space of each visibility, created by the admin, with an editor, a member and a guest; the outsider and the network admin belong to none. */
export const STANDARD_SPACES = {
  open: { createdBy: "admin", slug: "ouvert", name: "Cercle Ouvert", visibility: "open", members: ROLES },
  listed: { createdBy: "admin", slug: "club", name: "Club Achats", visibility: "listed", members: ROLES },
  secret: { createdBy: "admin", slug: "secret", name: "Club Secret", visibility: "secret", members: ROLES },
} satisfies Record<string, SpaceSpec<keyof typeof STANDARD_PEOPLE>>;

type StandardPerson = keyof typeof STANDARD_PEOPLE;
type StandardSpace = keyof typeof STANDARD_SPACES;

export function world(): Promise<World<StandardPerson, StandardSpace>>;
export function world<P extends string, S extends string = never>(spec: WorldSpec<P, S>): Promise<World<P, S>>;
export async function world(spec?: WorldSpec<string, string>): Promise<World<string, string>> {
  const s: WorldSpec<string, string> = spec ?? {
    domain: "world.test",
    displayName: (name) => `${name[0].toUpperCase()}${name.slice(1)} Monde`,
    people: STANDARD_PEOPLE,
    spaces: STANDARD_SPACES,
  };
  const smtp = s.smtp ? await startSmtp() : undefined;
  const env = { ...(smtp ? { SMTP_URL: smtp.url } : {}), ...s.env };
  const server: TestServer = s.attach
    ? { url: s.attach.url, dbFile: s.attach.dbFile, dataDir: "", setupLink: null, close: async () => {} }
    : await startServer({ env }).catch(async (error: unknown) => {
        await smtp?.close();
        throw error;
      });
  const store = openTestDb(server.dbFile);
  const close = async () => {
    await store.close();
    await server.close();
    await smtp?.close();
  };
  try {
    if (s.network !== false) await createNetwork(store.db, s.network);

    const people: Record<string, TestUser> = {};
    for (const [name, p] of Object.entries(s.people)) {
      people[name] = await createUser(store.db, {
        email: p.email ?? (s.domain ? `${name.toLowerCase()}@${s.domain}` : undefined),
        displayName: p.displayName ?? s.displayName?.(name),
        password: p.password,
        locale: p.locale,
        isNetworkAdmin: p.isNetworkAdmin,
      });
    }

    const spaces: Record<string, Space> = {};
    for (const [key, { createdBy, members: _, ...rest }] of Object.entries(s.spaces ?? {})) {
      spaces[key] = await createSpace(store.db, { ...rest, createdBy: person(people, createdBy).id });
    }
    for (const [key, { members = {} }] of Object.entries(s.spaces ?? {})) {
      for (const [who, as] of Object.entries(members)) {
        const { role, sponsor } = typeof as === "string" ? { role: as, sponsor: undefined } : as!;
        await addMember(store.db, { space: spaces[key], user: person(people, who), role, sponsor: sponsor === undefined ? undefined : person(people, sponsor) });
      }
    }

    const c: Record<string, Client> = {};
    const tus: Record<string, Tus> = {};
    for (const name of s.signIn ?? Object.keys(s.people)) {
      const u = person(people, name);
      c[name] = client(server.url);
      await signIn(c[name], u.email, u.password);
      tus[name] = new Tus(server.url, c[name]);
    }
    const browsers = new Map<string, Client>(Object.entries(c).map(([name, cl]) => [people[name].id, cl]));
    const as = async (user: TestUser) => {
      let cl = browsers.get(user.id);
      if (!cl) {
        cl = client(server.url);
        await signIn(cl, user.email, user.password);
        browsers.set(user.id, cl);
      }
      return cl;
    };
    return { server, store, smtp: smtp!, people, spaces, c, tus, anonymous: client(server.url), as, close };
  } catch (error) {
    await close();
    throw error;
  }
}

function person(people: Record<string, TestUser>, name: string): TestUser {
  const u = people[name];
  if (!u) throw new Error(`world: no person "${name}"`);
  return u;
}
