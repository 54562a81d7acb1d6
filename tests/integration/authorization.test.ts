import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { OpenedDatabase } from "#db/client.ts";
import { recordActivity } from "#db/queries/activity.ts";
import { createUpload } from "#db/queries/files.ts";
import { createInvitation } from "#db/queries/invitations.ts";
import { createJoinRequest } from "#db/queries/join-requests.ts";
import { addMember as addMembership } from "#db/queries/members.ts";
import { setArchived, updateSpace } from "#db/queries/spaces.ts";
import type { JoinPolicy, Role, Space, Visibility } from "#db/schema.ts";
import { addMember, createUser, type TestUser } from "#tests/factories.ts";
import { pageText, type Client, type HttpResponse } from "#tests/helpers/http.ts";
import type { TestServer } from "#tests/helpers/server.ts";
import { flashOf, snapshot as snapshotOf } from "#tests/helpers/state.ts";
import { ACTORS, matrix, type ActorName, type SignedInActor } from "#tests/helpers/matrix.ts";
import { world, type SpaceSpec, type World } from "#tests/helpers/world.ts";

/**
 * Every space route, requested over real HTTP by each kind of viewer, against
 * the SPEC's Roles table and visibility rules. The expectations are written
 * as tables (route × actor → answer) so they read like the SPEC; the state is
 * arranged in the database through the app's own query modules, and every
 * write is followed by a look at the database: an allowed write did what it
 * says, a refused one changed nothing at all.
 *
 * Cells:
 *   200 / 403 / 404  the status of the answer
 *   login            302 to /login?redirectTo=<the path asked for>
 *   home             302 to the space's home (GET /spaces/:space/join)
 *   ok               the write is allowed: its own success answer, and the database shows it
 *   last             the sole admin's own move: a redirect with an error flash, database unchanged
 */



const READ_CELLS = ["200", "403", "404", "login", "home"] as const;
const WRITE_CELLS = ["ok", "403", "404", "login", "last"] as const;
type ReadCell = (typeof READ_CELLS)[number];
type WriteCell = (typeof WRITE_CELLS)[number];

// ---------------------------------------------------------------------------
// The four spaces of the fixture. The same people hold the same roles in each;
// the outsider and the network admin belong to none of them.
// ---------------------------------------------------------------------------

type SpaceKey = "secret" | "listed" | "open" | "archived";

const SPACES: Record<SpaceKey, { slug: string; name: string; description: string; visibility: Visibility; joinPolicy: JoinPolicy; archived: boolean }> = {
  secret: {
    slug: "secret-club",
    name: "Cercle Confidentiel Fusions",
    description: "Sujet sensible: rachats en cours, à ne pas ébruiter",
    visibility: "secret",
    joinPolicy: "coopt_direct",
    archived: false,
  },
  listed: {
    slug: "listed-club",
    name: "Club Achats Listé",
    description: "Les acheteurs indépendants du réseau partagent leurs pratiques",
    visibility: "listed",
    joinPolicy: "coopt_approval",
    archived: false,
  },
  open: {
    slug: "open-club",
    name: "Cercle Ouvert Lyon",
    description: "Le cercle régional lyonnais, lisible par tout le réseau",
    visibility: "open",
    joinPolicy: "admins_invite",
    archived: false,
  },
  archived: {
    slug: "archived-club",
    name: "Club Archivé Numérique",
    description: "Ancien club du numérique, fermé en 2025",
    visibility: "listed",
    joinPolicy: "coopt_direct",
    archived: true,
  },
};
const MISSING_SLUG = "no-such-club";

// ---------------------------------------------------------------------------
// What each viewer gets when reading (GET) each route of each space.
// ---------------------------------------------------------------------------

const READS: Record<SpaceKey | "missing", string> = {
  // secret, co-opt directly: outsiders cannot tell it from a space that does not exist.
  secret: `
    path          anon   outsider  guest  member  editor  admin  netAdmin
    /             login  404       200    200     200     200    200
    /wiki         login  404       200    200     200     200    200
    /workshops/new login 404       403    200     200     200    200
    /blog         login  404       200    200     200     200    200
    /files        login  404       200    200     200     200    200
    /files/in-progress  login  404       403    403     403     200    200
    /workshops    login  404       200    200     200     200    200
    /members      login  404       200    200     200     200    200
    /invite       login  404       403    200     200     200    200
    /approvals    login  404       403    403     403     200    200
    /settings     login  404       403    403     403     200    200
    /nope         login  404       404    404     404     404    404
    /join         home   home      home   home    home    home   home
  `,
  // listed, co-opt with approval: outsiders see the name and description and may ask to join.
  listed: `
    path          anon   outsider  guest  member  editor  admin  netAdmin
    /             login  200       200    200     200     200    200
    /wiki         login  403       200    200     200     200    200
    /workshops/new login 403       403    200     200     200    200
    /blog         login  403       200    200     200     200    200
    /files        login  403       200    200     200     200    200
    /files/in-progress  login  403       403    403     403     200    200
    /workshops    login  403       200    200     200     200    200
    /members      login  403       200    200     200     200    200
    /invite       login  403       403    200     200     200    200
    /approvals    login  403       403    403     403     200    200
    /settings     login  403       403    403     403     200    200
    /nope         login  403       404    404     404     404    404
    /join         home   home      home   home    home    home   home
  `,
  // open, admins invite: readable by every network member; only admins co-opt.
  open: `
    path          anon   outsider  guest  member  editor  admin  netAdmin
    /             login  200       200    200     200     200    200
    /wiki         login  200       200    200     200     200    200
    /workshops/new login 403       403    200     200     200    200
    /blog         login  200       200    200     200     200    200
    /files        login  200       200    200     200     200    200
    /files/in-progress  login  403       403    403     403     200    200
    /workshops    login  200       200    200     200     200    200
    /members      login  200       200    200     200     200    200
    /invite       login  403       403    403     403     200    200
    /approvals    login  403       403    403     403     200    200
    /settings     login  403       403    403     403     200    200
    /nope         login  404       404    404     404     404    404
    /join         home   home      home   home    home    home   home
  `,
  // archived (was listed, co-opt directly): members still read; nobody writes;
  // outsiders no longer see it; settings stay reachable for the network admin (to unarchive).
  archived: `
    path          anon   outsider  guest  member  editor  admin  netAdmin
    /             login  404       200    200     200     200    200
    /wiki         login  404       200    200     200     200    200
    /workshops/new login 404       403    403     403     403    403
    /blog         login  404       200    200     200     200    200
    /files        login  404       200    200     200     200    200
    /files/in-progress  login  404       403    403     403     403    403
    /workshops    login  404       200    200     200     200    200
    /members      login  404       200    200     200     200    200
    /invite       login  404       403    403     403     403    403
    /approvals    login  404       403    403     403     403    403
    /settings     login  404       403    403     403     403    200
    /nope         login  404       404    404     404     404    404
    /join         home   home      home   home    home    home   home
  `,
  // a slug no space has: the same answers as the secret space gives outsiders.
  missing: `
    path          anon   outsider  guest  member  editor  admin  netAdmin
    /             login  404       404    404     404     404    404
    /wiki         login  404       404    404     404     404    404
    /workshops/new login 404       404    404     404     404    404
    /files/in-progress  login  404       404    404     404     404    404
    /members      login  404       404    404     404     404    404
    /invite       login  404       404    404     404     404    404
    /approvals    login  404       404    404     404     404    404
    /settings     login  404       404    404     404     404    404
    /nope         login  404       404    404     404     404    404
  `,
};

// ---------------------------------------------------------------------------
// What each viewer may change (POST), space by space. Each cell runs on fresh
// state: a new invitation, join request or target member for that cell alone.
// ---------------------------------------------------------------------------

const WRITES: Record<SpaceKey, string> = {
  secret: `
    action              anon   outsider  guest  member  editor  admin  netAdmin
    invite              login  404       403    ok      ok      ok     ok
    approve-invitation  login  404       403    403     403     ok     ok
    refuse-invitation   login  404       403    403     403     ok     ok
    approve-request     login  404       403    403     403     ok     ok
    refuse-request      login  404       403    403     403     ok     ok
    change-role         login  404       403    403     403     ok     ok
    remove              login  404       403    403     403     ok     ok
    revoke              login  404       403    403     403     ok     ok
    reveal-link         login  404       403    403     403     ok     ok
    leave               login  404       ok     ok      ok      last   403
    save-settings       login  404       403    403     403     ok     ok
    cancel-upload       login  404       403    403     403     ok     ok
    archive             login  404       403    403     403     403    ok
    join                login  404       403    403     403     403    403
  `,
  listed: `
    action              anon   outsider  guest  member  editor  admin  netAdmin
    invite              login  403       403    ok      ok      ok     ok
    approve-invitation  login  403       403    403     403     ok     ok
    refuse-invitation   login  403       403    403     403     ok     ok
    approve-request     login  403       403    403     403     ok     ok
    refuse-request      login  403       403    403     403     ok     ok
    change-role         login  403       403    403     403     ok     ok
    remove              login  403       403    403     403     ok     ok
    revoke              login  403       403    403     403     ok     ok
    reveal-link         login  403       403    403     403     ok     ok
    leave               login  403       ok     ok      ok      last   403
    save-settings       login  403       403    403     403     ok     ok
    cancel-upload       login  403       403    403     403     ok     ok
    archive             login  403       403    403     403     403    ok
    join                login  ok        403    403     403     403    ok
  `,
  open: `
    action              anon   outsider  guest  member  editor  admin  netAdmin
    invite              login  403       403    403     403     ok     ok
    approve-invitation  login  403       403    403     403     ok     ok
    refuse-invitation   login  403       403    403     403     ok     ok
    approve-request     login  403       403    403     403     ok     ok
    refuse-request      login  403       403    403     403     ok     ok
    change-role         login  403       403    403     403     ok     ok
    remove              login  403       403    403     403     ok     ok
    revoke              login  403       403    403     403     ok     ok
    reveal-link         login  403       403    403     403     ok     ok
    leave               login  403       ok     ok      ok      last   403
    save-settings       login  403       403    403     403     ok     ok
    cancel-upload       login  403       403    403     403     ok     ok
    archive             login  403       403    403     403     403    ok
    join                login  ok        403    403     403     403    ok
  `,
  archived: `
    action              anon   outsider  guest  member  editor  admin  netAdmin
    invite              login  404       403    403     403     403    403
    approve-invitation  login  404       403    403     403     403    403
    refuse-invitation   login  404       403    403     403     403    403
    approve-request     login  404       403    403     403     403    403
    refuse-request      login  404       403    403     403     403    403
    change-role         login  404       403    403     403     403    403
    remove              login  404       403    403     403     403    403
    revoke              login  404       403    403     403     403    403
    reveal-link         login  404       403    403     403     403    403
    leave               login  404       403    403     403     403    403
    save-settings       login  404       403    403     403     403    403
    cancel-upload       login  404       403    403     403     403    403
    unarchive           login  404       403    403     403     403    ok
    join                login  404       403    403     403     403    403
  `,
};

// Network-wide pages.
const NETWORK_READS = `
  path          anon   outsider  guest  member  editor  admin  netAdmin
  /spaces/new   login  403       403    403     403     403    200
  /admin/audit  login  403       403    403     403     403    200
  /clubs        login  200       200    200     200     200    200
  /spaces       login  200       200    200     200     200    200
  /agenda       login  200       200    200     200     200    200
  /agenda?view=month login 200    200    200     200     200    200
  # Narrowed to one of the viewer's live spaces; any other (secret to them, archived) is no agenda.
  /agenda?space=secret-club   login 404 200 200 200 200 404
  /agenda?space=archived-club login 404 404 404 404 404 404
  # An address no route answers: the catch-all route, the same 404 for all.
  /no/such/page 404    404       404    404     404     404    404
  # The 413 page of a browser's form too large: only rendered as that answer, never asked for.
  /request-too-large 404 404      404    404     404     404    404
`;
const NETWORK_WRITES = `
  action        anon   outsider  guest  member  editor  admin  netAdmin
  create-space  login  403       403    403     403     403    ok
`;

// Which clubs each viewer finds in the directory (/clubs): what the network
// may know of, plus the viewer's own spaces ("Les espaces secrets n'apparaissent
// qu'à leurs membres", says the page), plus everything for a network admin.
const DIRECTORY = `
  club      anon  outsider  guest  member  editor  admin  netAdmin
  secret    -     hidden    shown  shown   shown   shown  shown
  listed    -     shown     shown  shown   shown   shown  shown
  open      -     shown     shown  shown   shown   shown  shown
  archived  -     hidden    shown  shown   shown   shown  shown
`;

// ---------------------------------------------------------------------------
// Fixture
// ---------------------------------------------------------------------------

let server: TestServer;
let store: OpenedDatabase;
const people = {} as Record<SignedInActor, TestUser>;
const clients = {} as Record<ActorName, Client>;
const spaces = {} as Record<SpaceKey, Space>;
const ROLE_OF: Partial<Record<SignedInActor, Role>> = { guest: "guest", member: "member", editor: "editor", admin: "admin" };
const NAMES: Record<SignedInActor, string> = {
  outsider: "Olivier Outsider",
  guest: "Ghislaine Guest",
  member: "Marc Membre",
  editor: "Edith Éditrice",
  admin: "Adèle Admin",
  netAdmin: "Nadia Réseau",
};

let w: World<SignedInActor, SpaceKey>;

beforeAll(async () => {
  const fellows = { guest: { role: "guest", sponsor: "admin" }, member: { role: "member", sponsor: "admin" }, editor: { role: "editor", sponsor: "admin" } } as const;
  w = await world({
    network: { name: "Réseau Authz" },
    domain: "authz.test",
    displayName: (actor) => NAMES[actor],
    people: { outsider: {}, guest: {}, member: {}, editor: {}, admin: {}, netAdmin: { isNetworkAdmin: true } },
    spaces: Object.fromEntries(
      Object.entries(SPACES).map(([key, { archived: _, ...s }]) => [key, { ...s, createdBy: "admin" as const, members: fellows }]),
    ) as Record<SpaceKey, SpaceSpec<SignedInActor>>,
  });
  ({ server, store } = w);
  Object.assign(people, w.people);
  for (const [key, s] of Object.entries(SPACES) as [SpaceKey, (typeof SPACES)[SpaceKey]][]) {
    const space = w.spaces[key];
    // Something a reader would see on the home page, and an outsider of a listed space must not.
    await recordActivity(store.db, {
      spaceId: space.id,
      actorId: people.member.id,
      verb: "member_joined",
      data: { sponsor: NAMES.admin },
      now: Date.now(),
    });
    if (s.archived) await setArchived(store.db, space.id, Date.now());
    spaces[key] = (await store.db.selectFrom("space").selectAll().where("id", "=", space.id).executeTakeFirstOrThrow());
  }
  clients.anon = w.anonymous;
  Object.assign(clients, w.c);
});

afterAll(() => w?.close());

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

const snapshot = () => snapshotOf(store.sqlite);

function expectLoginRedirect(res: HttpResponse, path: string) {
  expect(res.status, `expected a redirect to sign in, got ${res.status}`).toBe(302);
  expect(res.location).toBe(`/login?redirectTo=${encodeURIComponent(path)}`);
}

/** A 404 must not give away anything of the space it hides. */
function expectNothingOf(res: HttpResponse, key: SpaceKey) {
  expect(res.text.includes(SPACES[key].name), `the page names the hidden space "${SPACES[key].name}"`).toBe(false);
  expect(res.text.includes(SPACES[key].description), "the page shows the hidden space's description").toBe(false);
}

/** Whether a page contains a string, without dumping the whole page when it does not. */
function expectText(html: string, needle: string | RegExp, present = true) {
  const found = typeof needle === "string" ? html.includes(needle) : needle.test(html);
  expect(found, `${present ? "expected" : "did not expect"} ${String(needle)} in the page`).toBe(present);
}

let seq = 0;
const next = () => `${Date.now().toString(36)}-${(seq++).toString(36)}`;

function row<T>(query: { executeTakeFirst(): Promise<T | undefined> }) {
  return query.executeTakeFirst();
}
const membershipOf = (spaceId: string, userId: string) =>
  row(store.db.selectFrom("space_member").selectAll().where("space_id", "=", spaceId).where("user_id", "=", userId));
const invitationById = (id: string) => row(store.db.selectFrom("invitation").selectAll().where("id", "=", id));
const joinRequestById = (id: string) => row(store.db.selectFrom("join_request").selectAll().where("id", "=", id));
const spaceById = (id: string) => store.db.selectFrom("space").selectAll().where("id", "=", id).executeTakeFirstOrThrow();

/** A fresh member of the space (one argon2 hash per file: the factory caches it). */
async function freshMember(space: Space, role: Role = "member") {
  const user = await createUser(store.db, { displayName: `Cible ${next()}` });
  await addMember(store.db, { space, user, role, sponsor: people.admin });
  return user;
}

function spaceFormFields(space: Space, overrides: Record<string, string> = {}) {
  return {
    intent: "save",
    name: space.name,
    slug: space.slug,
    kind: space.kind,
    description: space.description,
    visibility: space.visibility,
    joinPolicy: space.join_policy,
    quotaGb: String(space.storage_quota_bytes / 1024 ** 3),
    ...overrides,
  };
}

// ---------------------------------------------------------------------------
// The writes: how to arrange one, what it posts, and what "done" looks like.
// ---------------------------------------------------------------------------

interface Arranged {
  path: string;
  fields: Record<string, string>;
  /** The database shows the write happened (only called when the cell is "ok"). */
  done(): Promise<void>;
  /** Puts the shared fixture back as it was (idempotent; always called). */
  restore?(): Promise<void>;
}

interface WriteOp {
  /** The success answer: status and where it redirects to (null: no redirect). */
  ok: (space: Space) => { status: number; location: string | null };
  arrange(space: Space, actor: ActorName): Promise<Arranged>;
}

const base = (space: Space) => `/spaces/${space.slug}`;

const WRITE_OPS: Record<string, WriteOp> = {
  invite: {
    ok: () => ({ status: 200, location: null }),
    async arrange(space, actor) {
      const email = `invitee-${next()}@authz.test`;
      return {
        path: `${base(space)}/invite`,
        fields: { email, role: "member", message: "Je le recommande" },
        async done() {
          const rows = await store.db.selectFrom("invitation").selectAll().where("email", "=", email).execute();
          expect(rows).toHaveLength(1);
          const byAdmin = actor === "admin" || actor === "netAdmin";
          expect(rows[0]).toMatchObject({
            space_id: space.id,
            role: "member",
            sponsor_id: people[actor as SignedInActor].id,
            status: space.join_policy === "coopt_approval" && !byAdmin ? "pending_approval" : "sent",
          });
        },
      };
    },
  },
  ...Object.fromEntries(
    (["approve-invitation", "refuse-invitation"] as const).map((intent): [string, WriteOp] => [
      intent,
      {
        ok: (space) => ({ status: 302, location: `${base(space)}/approvals` }),
        async arrange(space) {
          const { invitation } = await createInvitation(store.db, {
            spaceId: space.id,
            email: `pending-${next()}@authz.test`,
            role: "member",
            message: "",
            sponsorId: people.member.id,
            needsApproval: true,
            now: Date.now(),
          });
          return {
            path: `${base(space)}/approvals`,
            fields: { intent, id: invitation.id, reason: "Pas pour l'instant" },
            async done() {
              const after = await invitationById(invitation.id);
              expect(after?.status).toBe(intent === "approve-invitation" ? "sent" : "refused");
              expect(after?.decided_at).not.toBeNull();
            },
          };
        },
      },
    ]),
  ),
  ...Object.fromEntries(
    (["approve-request", "refuse-request"] as const).map((intent): [string, WriteOp] => [
      intent,
      {
        ok: (space) => ({ status: 302, location: `${base(space)}/approvals` }),
        async arrange(space) {
          const requester = await createUser(store.db, { displayName: `Demandeur ${next()}` });
          const id = await createJoinRequest(store.db, { spaceId: space.id, userId: requester.id, message: "Bonjour", now: Date.now() });
          return {
            path: `${base(space)}/approvals`,
            fields: { intent, id, reason: "" },
            async done() {
              const approved = intent === "approve-request";
              expect((await joinRequestById(id))?.status).toBe(approved ? "approved" : "refused");
              const m = await membershipOf(space.id, requester.id);
              if (approved) expect(m?.role).toBe("member");
              else expect(m).toBeUndefined();
            },
          };
        },
      },
    ]),
  ),
  "change-role": {
    ok: (space) => ({ status: 302, location: `${base(space)}/members` }),
    async arrange(space) {
      const target = await freshMember(space);
      return {
        path: `${base(space)}/members`,
        fields: { intent: "change-role", userId: target.id, role: "editor" },
        async done() {
          expect((await membershipOf(space.id, target.id))?.role).toBe("editor");
        },
      };
    },
  },
  remove: {
    ok: (space) => ({ status: 302, location: `${base(space)}/members` }),
    async arrange(space) {
      const target = await freshMember(space);
      return {
        path: `${base(space)}/members`,
        fields: { intent: "remove", userId: target.id },
        async done() {
          expect(await membershipOf(space.id, target.id)).toBeUndefined();
        },
      };
    },
  },
  revoke: {
    ok: (space) => ({ status: 302, location: `${base(space)}/members` }),
    async arrange(space) {
      // Sent by the admin: only those who manage members may revoke it.
      const { invitation } = await createInvitation(store.db, {
        spaceId: space.id,
        email: `sent-${next()}@authz.test`,
        role: "member",
        message: "",
        sponsorId: people.admin.id,
        needsApproval: false,
        now: Date.now(),
      });
      return {
        path: `${base(space)}/members`,
        fields: { intent: "revoke", invitationId: invitation.id },
        async done() {
          expect((await invitationById(invitation.id))?.status).toBe("revoked");
        },
      };
    },
  },
  "reveal-link": {
    ok: () => ({ status: 200, location: null }),
    async arrange(space) {
      // Sent by the admin, its mail failed: its link is for those who may revoke it.
      const now = Date.now();
      const { invitation, secret } = await createInvitation(store.db, {
        spaceId: space.id,
        email: `failed-${next()}@authz.test`,
        role: "member",
        message: "",
        sponsorId: people.admin.id,
        needsApproval: false,
        now,
      });
      const link = `${server.url}/invitations/${secret}`;
      await store.db
        .insertInto("mail_outbox")
        .values({
          id: `authz-${next()}`,
          recipient: invitation.email,
          payload: JSON.stringify({ subject: "Invitation", text: link, html: link, link }),
          notification_id: null,
          invitation_id: invitation.id,
          state: "failed",
          attempts: 5,
          created_at: now,
          claimed_at: now,
          sent_at: null,
          last_error: "connect ECONNREFUSED",
        })
        .execute();
      return {
        path: `${base(space)}/members`,
        fields: { intent: "reveal-link", invitationId: invitation.id },
        async done() {
          expect((await invitationById(invitation.id))?.link_revealed_at).not.toBeNull();
        },
      };
    },
  },
  leave: {
    ok: () => ({ status: 302, location: "/spaces" }),
    async arrange(space, actor) {
      const user = actor === "anon" ? undefined : people[actor];
      const before = user ? await membershipOf(space.id, user.id) : undefined;
      return {
        path: `${base(space)}/members`,
        fields: { intent: "leave" },
        async done() {
          expect(await membershipOf(space.id, user!.id)).toBeUndefined();
        },
        async restore() {
          if (before) await addMembership(store.db, { spaceId: space.id, userId: before.user_id, role: before.role, sponsorId: before.sponsor_id, now: before.joined_at });
        },
      };
    },
  },
  "save-settings": {
    ok: (space) => ({ status: 302, location: `${base(space)}/settings` }),
    async arrange(space) {
      const current = await spaceById(space.id);
      const description = `Nouvelle description ${next()}`;
      return {
        path: `${base(space)}/settings`,
        fields: spaceFormFields(current, { description }),
        async done() {
          const after = await spaceById(space.id);
          expect(after.description).toBe(description);
          expect(after).toMatchObject({ slug: current.slug, name: current.name, visibility: current.visibility, join_policy: current.join_policy });
        },
        async restore() {
          await updateSpace(store.db, space.id, {
            slug: current.slug,
            name: current.name,
            kind: current.kind,
            description: current.description,
            visibility: current.visibility,
            joinPolicy: current.join_policy,
            storageQuotaBytes: current.storage_quota_bytes,
          });
        },
      };
    },
  },
  "cancel-upload": {
    ok: (space) => ({ status: 302, location: `${base(space)}/files/in-progress` }),
    async arrange(space) {
      // An upload of the member's under way in this space, as tus's creation leaves it (no part on disk yet).
      const id = `up${next().replace(/[^a-z0-9]/g, "")}`;
      const now = Date.now();
      await createUpload(store.db, { id, spaceId: space.id, folderId: null, userId: people.member.id, fileId: null, name: `envoi-${id}.bin`, size: 1000, now, expiresAt: now + 86_400_000 });
      const row = () => store.db.selectFrom("upload").select("id").where("id", "=", id).executeTakeFirst();
      return {
        path: `${base(space)}/files/in-progress`,
        fields: { intent: "cancel-upload", id },
        async done() {
          expect(await row()).toBeUndefined();
          const entries = await store.db
            .selectFrom("audit_log")
            .select("target_user_id")
            .where("event", "=", "upload_cancelled")
            .where("space_id", "=", space.id)
            .where("data", "like", `%${id}%`)
            .execute();
          expect(entries).toEqual([{ target_user_id: people.member.id }]);
        },
        async restore() {
          await store.db.deleteFrom("upload").where("id", "=", id).execute();
        },
      };
    },
  },
  archive: {
    ok: (space) => ({ status: 302, location: `${base(space)}/settings` }),
    async arrange(space) {
      return {
        path: `${base(space)}/settings`,
        fields: { intent: "archive" },
        async done() {
          expect((await spaceById(space.id)).archived_at).not.toBeNull();
        },
        restore: () => setArchived(store.db, space.id, null),
      };
    },
  },
  unarchive: {
    ok: (space) => ({ status: 302, location: `${base(space)}/settings` }),
    async arrange(space) {
      const archivedAt = (await spaceById(space.id)).archived_at;
      return {
        path: `${base(space)}/settings`,
        fields: { intent: "unarchive" },
        async done() {
          expect((await spaceById(space.id)).archived_at).toBeNull();
        },
        restore: () => setArchived(store.db, space.id, archivedAt),
      };
    },
  },
  join: {
    ok: (space) => ({ status: 302, location: base(space) }),
    async arrange(space, actor) {
      const userId = actor === "anon" ? "" : people[actor].id;
      return {
        path: `${base(space)}/join`,
        fields: { message: "Je souhaite rejoindre le club" },
        async done() {
          const rows = await store.db
            .selectFrom("join_request")
            .selectAll()
            .where("space_id", "=", space.id)
            .where("user_id", "=", userId)
            .execute();
          expect(rows).toHaveLength(1);
          expect(rows[0]).toMatchObject({ status: "pending", message: "Je souhaite rejoindre le club" });
        },
        async restore() {
          await store.db.deleteFrom("join_request").where("space_id", "=", space.id).where("user_id", "=", userId).execute();
        },
      };
    },
  },
};

async function checkWrite(space: Space, spaceKey: SpaceKey, opName: string, actor: ActorName, expected: WriteCell) {
  const op = WRITE_OPS[opName];
  if (!op) throw new Error(`No write op named ${opName}`);
  const arranged = await op.arrange(space, actor);
  const before = snapshot();
  try {
    const res = await clients[actor].post(arranged.path, arranged.fields);
    const where = `${actor} POST ${arranged.path} ${JSON.stringify(arranged.fields)}`;
    switch (expected) {
      case "ok": {
        const ok = op.ok(space);
        expect(res.status, where).toBe(ok.status);
        if (ok.location) expect(res.location, where).toBe(ok.location);
        await arranged.done();
        return;
      }
      case "login":
        expectLoginRedirect(res, arranged.path);
        break;
      case "last": {
        // The sole admin stays: the page says why, and nothing moved.
        expect(res.status, where).toBe(302);
        expect(res.location, where).toBe(`${base(space)}/members`);
        expect(await flashOf(res), where).toMatchObject({ kind: "error" });
        break;
      }
      default:
        expect(res.status, where).toBe(Number(expected));
        if (expected === "404") expectNothingOf(res, spaceKey);
    }
    // Every refusal leaves the database exactly as it was.
    expect(snapshot(), `${where} must change nothing`).toEqual(before);
  } finally {
    await arranged.restore?.();
  }
}

// ---------------------------------------------------------------------------
// Reads
// ---------------------------------------------------------------------------

describe.each(Object.keys(READS) as (SpaceKey | "missing")[])("reading the %s space", (key) => {
  const slug = key === "missing" ? MISSING_SLUG : SPACES[key].slug;
  for (const { key: route, cells } of matrix(READS[key], READ_CELLS)) {
    const path = `/spaces/${slug}${route === "/" ? "" : route}`;
    for (const actor of ACTORS) {
      const expected = cells[actor];
      test(`${actor} GET ${path} → ${expected}`, async () => {
        const res = await clients[actor].get(path);
        switch (expected) {
          case "login":
            expectLoginRedirect(res, path);
            return;
          case "home":
            expect(res.status).toBe(302);
            expect(res.location).toBe(`/spaces/${slug}`);
            return;
          case "200":
            expect(res.status).toBe(200);
            if (key !== "missing") expectText(pageText(res.text), SPACES[key].name);
            return;
          case "404":
            expect(res.status).toBe(404);
            // Those who may know the space (its members, the network admin) see its header above a 404 section.
            if ((key === "secret" || key === "archived") && actor === "outsider") expectNothingOf(res, key);
            return;
          default:
            expect(res.status).toBe(Number(expected));
        }
      });
    }
  }
});

describe("a secret space is indistinguishable from a space that does not exist", () => {
  const normalise = (res: HttpResponse, slug: string) =>
    res.text
      .replaceAll(slug, "SLUG")
      .replace(/nonce="[^"]*"/g, 'nonce=""')
      .replace(/"nonce":"[^"]*"/g, '"nonce":""');

  test.each(["", "/wiki", "/members", "/invite", "/approvals", "/settings", "/nope"])(
    "outsider GET /spaces/<secret>%s answers the very page /spaces/<missing>%s answers",
    async (route) => {
      const secret = await clients.outsider.get(`/spaces/${SPACES.secret.slug}${route}`);
      const missing = await clients.outsider.get(`/spaces/${MISSING_SLUG}${route}`);
      expect(secret.status).toBe(404);
      expect(missing.status).toBe(404);
      expect(pageText(secret.text).replaceAll(SPACES.secret.slug, "SLUG")).toBe(pageText(missing.text).replaceAll(MISSING_SLUG, "SLUG"));
      expect(normalise(secret, SPACES.secret.slug)).toBe(normalise(missing, MISSING_SLUG));
    },
  );

  test.each([
    ["/members", { intent: "leave" }],
    ["/members", { intent: "remove", userId: "x" }],
    ["/approvals", { intent: "approve-request", id: "x" }],
    ["/invite", { email: "a@b.test", role: "member" }],
    ["/settings", { intent: "archive" }],
    ["/join", { message: "hello" }],
  ] as const)("outsider POST /spaces/<secret>%s answers as for a missing space", async (route, fields) => {
    const before = snapshot();
    const secret = await clients.outsider.post(`/spaces/${SPACES.secret.slug}${route}`, fields);
    const missing = await clients.outsider.post(`/spaces/${MISSING_SLUG}${route}`, fields);
    expect(secret.status).toBe(404);
    expect(missing.status).toBe(404);
    expect(pageText(secret.text).replaceAll(SPACES.secret.slug, "SLUG")).toBe(pageText(missing.text).replaceAll(MISSING_SLUG, "SLUG"));
    expectNothingOf(secret, "secret");
    expect(snapshot()).toEqual(before);
  });
});

describe("what a non-member is shown of a space", () => {
  test("listed: the home page shows name, description and the join form, and nothing of the members", async () => {
    const res = await clients.outsider.get(`/spaces/${SPACES.listed.slug}`);
    expect(res.status).toBe(200);
    const text = pageText(res.text);
    expectText(text, SPACES.listed.name);
    expectText(text, SPACES.listed.description);
    expectText(res.text, /<form[^>]*method="post"[^>]*action="\/spaces\/listed-club\/join"/);
    expectText(res.text, 'name="message"');
    // The activity ("Marc Membre joined…") and the member list are for readers only.
    expectText(text, NAMES.member, false);
    expectText(text, NAMES.guest, false);
  });

  test("listed: the 403 pages of members and sections give no member away", async () => {
    for (const route of ["/members", "/wiki", "/approvals", "/settings", "/invite"]) {
      const res = await clients.outsider.get(`/spaces/${SPACES.listed.slug}${route}`);
      expect(res.status).toBe(403);
      for (const name of [NAMES.member, NAMES.guest, NAMES.editor, NAMES.admin]) expectText(pageText(res.text), name, false);
    }
  });

  test("open: the home page shows the activity, and the members page lists the members (read only)", async () => {
    const home = await clients.outsider.get(`/spaces/${SPACES.open.slug}`);
    expect(home.status).toBe(200);
    expectText(pageText(home.text), NAMES.member);
    const members = await clients.outsider.get(`/spaces/${SPACES.open.slug}/members`);
    expect(members.status).toBe(200);
    const text = pageText(members.text);
    for (const name of [NAMES.member, NAMES.guest, NAMES.editor, NAMES.admin]) expectText(text, name);
    // No management form is offered to a reader.
    expectText(members.text, 'value="change-role"', false);
    expectText(members.text, 'name="userId"', false);
  });

  test.each(["listed", "open"] as const)(
    "%s: the directory's \"ask to join\" link leads to a join form on the space's home",
    async (key) => {
      const clubs = await clients.outsider.get("/clubs");
      const offered = clubs.text.includes(`href="/spaces/${SPACES[key].slug}#join"`);
      // A listed space must offer it; for an open one the directory may or may not (the SPEC names
      // join requests for listed spaces), but a link it does offer must lead somewhere.
      if (key === "listed") expect(offered, "/clubs offers no 'ask to join' link for the listed space").toBe(true);
      if (!offered) return;
      const home = await clients.outsider.get(`/spaces/${SPACES[key].slug}`);
      expect(home.status).toBe(200);
      // Regression guard (open spaces): the home of a space the outsider may read renders the
      // reading view; it must still hold the #join section the directory links to.
      expectText(home.text, 'id="join"');
      expectText(home.text, new RegExp(`<form[^>]*action="/spaces/${SPACES[key].slug}/join"`));
    },
  );
});

// ---------------------------------------------------------------------------
// Writes
// ---------------------------------------------------------------------------

describe.each(Object.keys(WRITES) as SpaceKey[])("writing to the %s space", (key) => {
  for (const { key: opName, cells } of matrix(WRITES[key], WRITE_CELLS)) {
    for (const actor of ACTORS) {
      const expected = cells[actor];
      test(`${actor} ${opName} → ${expected}`, async () => {
        await checkWrite(spaces[key], key, opName, actor, expected);
      });
    }
  }
});

// ---------------------------------------------------------------------------
// Network-wide pages
// ---------------------------------------------------------------------------

describe("network-wide pages", () => {
  for (const { key: path, cells } of matrix(NETWORK_READS, READ_CELLS)) {
    for (const actor of ACTORS) {
      const expected = cells[actor];
      test(`${actor} GET ${path} → ${expected}`, async () => {
        const res = await clients[actor].get(path);
        if (expected === "login") expectLoginRedirect(res, path);
        else expect(res.status).toBe(Number(expected));
      });
    }
  }

  test("an address no route answers: a signed-in member's 404 keeps the network's name and the navigation", async () => {
    const res = await clients.member.get("/no/such/page");
    expect(res.status).toBe(404);
    expect(res.text).toContain("Réseau Authz");
    expect(res.text).toMatch(/<nav[^>]*aria-label="Navigation principale"/);
    expect(res.text).toContain('href="/clubs"');
    expect(res.text).toContain("Page introuvable");
    // The network admin's menu has the audit log; nobody else's does.
    expect(res.text).not.toContain('href="/admin/audit"');
    expect((await clients.netAdmin.get("/no/such/page")).text).toContain('href="/admin/audit"');
    // Anonymous: the 404 page, with the sign-in shell only.
    const anon = await clients.anon.get("/no/such/page");
    expect(anon.status).toBe(404);
    expect(anon.text).toContain("Page introuvable");
    expect(anon.text).not.toContain('href="/clubs"');
  });

  for (const { cells } of matrix(NETWORK_WRITES, WRITE_CELLS)) {
    for (const actor of ACTORS) {
      const expected = cells[actor];
      test(`${actor} POST /spaces/new → ${expected}`, async () => {
        const slug = `new-${next()}`.slice(0, 40);
        const fields = {
          name: `Nouveau club ${slug}`,
          slug,
          kind: "regional_circle",
          description: "Créé par le test",
          visibility: "listed",
          joinPolicy: "coopt_approval",
          quotaGb: "2",
        };
        const before = snapshot();
        const res = await clients[actor].post("/spaces/new", fields);
        const created = await row(store.db.selectFrom("space").selectAll().where("slug", "=", slug));
        if (expected === "ok") {
          expect(res.status).toBe(302);
          expect(res.location).toBe(`/spaces/${slug}/invite`);
          expect(created).toMatchObject({ name: fields.name, visibility: "listed", join_policy: "coopt_approval", created_by: people.netAdmin.id });
          expect((await membershipOf(created!.id, people.netAdmin.id))?.role).toBe("admin");
          return;
        }
        if (expected === "login") expectLoginRedirect(res, "/spaces/new");
        else expect(res.status).toBe(Number(expected));
        expect(created).toBeUndefined();
        expect(snapshot()).toEqual(before);
      });
    }
  }

  const directory = DIRECTORY.split("\n")
    .map((l) => l.trim())
    .filter(Boolean);
  const header = directory[0].split(/\s+/).slice(1) as ActorName[];
  for (const line of directory.slice(1)) {
    const [club, ...cells] = line.split(/\s+/) as [SpaceKey, ...string[]];
    header.forEach((actor, i) => {
      const cell = cells[i];
      if (cell === "-") return;
      test(`${actor} finds the ${club} club in /clubs: ${cell}`, async () => {
        const res = await clients[actor].get("/clubs");
        expect(res.status).toBe(200);
        const shown = pageText(res.text).includes(SPACES[club].name) || res.text.includes(`/spaces/${SPACES[club].slug}"`);
        expect(shown, `/clubs as ${actor} ${shown ? "lists" : "does not list"} ${SPACES[club].name}`).toBe(cell === "shown");
        if (cell === "hidden") expectText(res.text, SPACES[club].slug, false);
      });
    });
  }
});

// ---------------------------------------------------------------------------
// Roles an inviter may hand out
// ---------------------------------------------------------------------------

describe("the role an inviter may give", () => {
  const cases: Array<[SignedInActor, SpaceKey, Role, "ok" | "400"]> = [
    ["member", "secret", "member", "ok"],
    ["member", "secret", "guest", "ok"],
    ["member", "secret", "editor", "400"],
    ["member", "secret", "admin", "400"],
    ["editor", "secret", "editor", "400"],
    ["editor", "secret", "admin", "400"],
    ["member", "listed", "admin", "400"],
    ["admin", "secret", "admin", "ok"],
    ["admin", "listed", "editor", "ok"],
    ["netAdmin", "secret", "admin", "ok"],
  ];
  test.each(cases)("%s of the %s space invites as %s → %s", async (actor, key, role, expected) => {
    const email = `role-${next()}@authz.test`;
    const before = snapshot();
    const res = await clients[actor].post(`${base(spaces[key])}/invite`, { email, role, message: "" });
    const rows = await store.db.selectFrom("invitation").selectAll().where("email", "=", email).execute();
    if (expected === "ok") {
      expect(res.status).toBe(200);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ role, space_id: spaces[key].id, sponsor_id: people[actor].id });
      return;
    }
    expect(res.status).toBe(400);
    // The refusal is shown beside the role field, in the reader's language (fr by default).
    expectText(res.text, /<ul id="[^"]*-role-error" class="field-errors"><li>[^<]+<\/li>/);
    expect(rows).toHaveLength(0);
    expect(snapshot()).toEqual(before);
  });
});
