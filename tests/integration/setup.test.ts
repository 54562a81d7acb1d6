import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { translate } from "#app/i18n/index.ts";
import { findByEmail } from "#db/queries/users.ts";
import { getNetwork } from "#db/queries/network.ts";
import { openTestDb } from "#tests/helpers/db.ts";
import { client, findSetCookie, pageText } from "#tests/helpers/http.ts";
import { startServer, type TestServer } from "#tests/helpers/server.ts";

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server?.close());

const invalidLink = translate("fr", "setup.invalidLink");

function setupPath(link: string) {
  const url = new URL(link);
  return url.pathname + url.search;
}

const fields = (token: string) => ({
  token,
  networkName: "Réseau des consultants associés",
  defaultLocale: "en",
  displayName: "Alice Martin",
  email: "Alice@Example.test",
  password: "a long enough passphrase",
  confirm: "a long enough passphrase",
});

describe("first run", () => {
  test("boot() of an empty database gives a one-time setup link on the server's own address", () => {
    expect(server.setupLink).not.toBeNull();
    const url = new URL(server.setupLink!);
    expect(url.origin).toBe(server.url);
    expect(url.pathname).toBe("/setup");
    expect(url.searchParams.get("token")).toMatch(/^[a-z0-9]{20,}$/);
  });

  test("the setup page with a wrong token says the link is not valid and shows no form", async () => {
    const res = await client(server.url).get("/setup?token=not-the-right-one");
    expect(res.status).toBe(200);
    expect(pageText(res.text)).toContain(invalidLink);
    expect(res.text).not.toContain('name="networkName"');
  });

  test("the setup page without a token says the same", async () => {
    const res = await client(server.url).get("/setup");
    expect(pageText(res.text)).toContain(invalidLink);
  });

  test("the right link shows the form", async () => {
    const res = await client(server.url).get(setupPath(server.setupLink!));
    expect(res.status).toBe(200);
    expect(pageText(res.text)).not.toContain(invalidLink);
    for (const name of ["token", "networkName", "defaultLocale", "displayName", "email", "password", "confirm"]) {
      expect(res.text).toContain(`name="${name}"`);
    }
  });

  test("posting the form with a wrong token creates nothing", async () => {
    const res = await client(server.url).post("/setup?token=not-the-right-one", fields("not-the-right-one"));
    expect(res.status).toBe(404);
    const { db, close } = openTestDb(server.dbFile);
    try {
      expect(await db.selectFrom("user").select("id").execute()).toEqual([]);
      expect(await getNetwork(db)).toBeUndefined();
    } finally {
      await close();
    }
  });

  test("passwords that differ are refused beside the field, and nothing is created", async () => {
    const token = new URL(server.setupLink!).searchParams.get("token")!;
    // Posted where the page's form posts: the page's own URL, token included.
    const res = await client(server.url).post(setupPath(server.setupLink!), { ...fields(token), confirm: "another long passphrase" });
    expect(res.status).toBe(400);
    expect(pageText(res.text)).toContain(translate("fr", "v.passwordMatch"));
    const { db, close } = openTestDb(server.dbFile);
    try {
      expect(await db.selectFrom("user").select("id").execute()).toEqual([]);
    } finally {
      await close();
    }
  });

  test("the form creates the network and its administrator, and signs them in; the link then stops working", async () => {
    const token = new URL(server.setupLink!).searchParams.get("token")!;
    const browser = client(server.url);
    const res = await browser.post(setupPath(server.setupLink!), fields(token));
    expect(res.status).toBe(302);
    expect(res.location).toBe("/spaces");
    const cookie = findSetCookie(res, "cercle_session");
    expect(cookie?.value).toBeTruthy();

    const { db, close } = openTestDb(server.dbFile);
    try {
      const network = await getNetwork(db);
      expect(network?.name).toBe("Réseau des consultants associés");
      expect(network?.default_locale).toBe("en");
      const admin = await findByEmail(db, "alice@example.test");
      expect(admin?.display_name).toBe("Alice Martin");
      expect(admin?.email).toBe("alice@example.test");
      expect(admin?.is_network_admin).toBe(1);
      expect(admin?.password_hash).toMatch(/^\$argon2id\$/);
      expect(admin?.password_hash).not.toContain("a long enough passphrase");
      expect(await db.selectFrom("session").select("user_id").execute()).toEqual([{ user_id: admin!.id }]);
    } finally {
      await close();
    }

    const spaces = await browser.get("/spaces");
    expect(spaces.status).toBe(200);
    expect(pageText(spaces.text)).toContain("Alice Martin");

    // The same link, afterwards: refused on GET and on POST.
    const again = await client(server.url).get(setupPath(server.setupLink!));
    expect(pageText(again.text)).toContain(invalidLink);
    const repost = await client(server.url).post(setupPath(server.setupLink!), { ...fields(token), email: "mallory@example.test" });
    expect(repost.status).toBe(404);
    const check = openTestDb(server.dbFile);
    try {
      expect(await findByEmail(check.db, "mallory@example.test")).toBeUndefined();
      expect(await check.db.selectFrom("setup_token").selectAll().execute()).toEqual([]);
    } finally {
      await check.close();
    }
  });

  test("the administrator can sign in with the password chosen at setup", async () => {
    const res = await client(server.url).post("/login", { email: "alice@example.test", password: "a long enough passphrase" });
    expect(res.status).toBe(302);
    expect(findSetCookie(res, "cercle_session")?.value).toBeTruthy();
  });
});
