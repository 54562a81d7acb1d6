import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { OpenedDatabase } from "#db/client.ts";
import type { Space } from "#db/schema.ts";
import { addMember, createNetwork, createSpace, createUser, signIn, type TestUser } from "#tests/factories.ts";
import { openTestDb } from "#tests/helpers/db.ts";
import { client, type Client } from "#tests/helpers/http.ts";
import { startServer, type TestServer } from "#tests/helpers/server.ts";

// A real 1×1 PNG, and bytes that are not an image whatever they are called.
const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==",
  "base64",
);
const HTML_AS_PNG = Buffer.from("<html><script>alert(document.cookie)</script></html>");

let server: TestServer;
let store: OpenedDatabase;
let club: Space;
let other: Space;
const people = {} as Record<"member" | "guest" | "outsider", TestUser>;
const c = {} as Record<"member" | "guest" | "outsider", Client>;

beforeAll(async () => {
  server = await startServer();
  store = openTestDb(server.dbFile);
  await createNetwork(store.db);
  const admin = await createUser(store.db);
  people.member = await createUser(store.db);
  people.guest = await createUser(store.db);
  people.outsider = await createUser(store.db);
  club = await createSpace(store.db, { createdBy: admin.id, visibility: "secret" });
  other = await createSpace(store.db, { createdBy: admin.id, visibility: "secret" });
  await addMember(store.db, { space: club, user: people.member });
  await addMember(store.db, { space: club, user: people.guest, role: "guest" });
  await addMember(store.db, { space: other, user: people.outsider });
  for (const who of ["member", "guest", "outsider"] as const) {
    c[who] = client(server.url);
    await signIn(c[who], people[who].email, people[who].password);
  }
});

afterAll(async () => {
  await store?.close();
  await server?.close();
});

/** A multipart upload as the editor's fetch sends it: same-origin, with the session cookie. */
async function upload(who: Client, space: Space, bytes: Buffer, name: string, type: string) {
  const body = new FormData();
  body.append("file", new Blob([new Uint8Array(bytes)], { type }), name);
  return fetch(`${server.url}/spaces/${space.slug}/wiki/images`, {
    method: "POST",
    body,
    headers: {
      Origin: server.url,
      "Sec-Fetch-Site": "same-origin",
      Cookie: [...who.cookies].map(([k, v]) => `${k}=${v}`).join("; "),
    },
  });
}

describe("wiki images", () => {
  test("a member uploads a PNG; readers of the space get it inline with nosniff and a sandbox CSP", async () => {
    const res = await upload(c.member, club, PNG, "schéma final.png", "image/png");
    expect(res.status).toBe(201);
    const { src } = (await res.json()) as { src: string };
    expect(src).toMatch(new RegExp(`^/spaces/${club.slug}/wiki/images/[a-z0-9]+$`));
    const row = await store.db.selectFrom("wiki_image").selectAll().executeTakeFirstOrThrow();
    expect(row).toMatchObject({ space_id: club.id, content_type: "image/png", size: PNG.length, uploaded_by: people.member.id });

    const got = await c.guest.get(src);
    expect(got.status).toBe(200);
    expect(got.headers["content-type"]).toBe("image/png");
    expect(got.headers["x-content-type-options"]).toBe("nosniff");
    expect(got.headers["content-security-policy"]).toContain("sandbox");
    expect(Buffer.from(got.text, "latin1").length).toBeGreaterThan(0);
  });

  test("HTML named .png and sent as image/png is refused: the type comes from the bytes", async () => {
    const before = await store.db.selectFrom("wiki_image").select("id").execute();
    const res = await upload(c.member, club, HTML_AS_PNG, "photo.png", "image/png");
    expect(res.status).toBe(415);
    expect(await store.db.selectFrom("wiki_image").select("id").execute()).toEqual(before);
  });

  test("guests may not upload; outsiders neither upload nor see images of a secret space", async () => {
    expect((await upload(c.guest, club, PNG, "a.png", "image/png")).status).toBe(403);
    expect((await upload(c.outsider, club, PNG, "a.png", "image/png")).status).toBe(404);
    const image = await store.db.selectFrom("wiki_image").select("id").where("space_id", "=", club.id).executeTakeFirstOrThrow();
    expect((await c.outsider.get(`/spaces/${club.slug}/wiki/images/${image.id}`)).status).toBe(404);
    // An image id of one space asked for under another space's address is not found.
    expect((await c.outsider.get(`/spaces/${other.slug}/wiki/images/${image.id}`)).status).toBe(404);
  });
});
