import { profileFields, bioJson } from "#tests/helpers/profile.ts";
import { afterAll, afterEach, beforeAll, describe, expect, test, vi } from "vitest";
import { translate } from "#app/i18n/index.ts";
import type { OpenedDatabase } from "#db/client.ts";
import { createSpace, createUser, signIn } from "#tests/factories.ts";
import { client, pageText } from "#tests/helpers/http.ts";
import { onPostgres } from "#tests/helpers/postgres.ts";
import type { TestServer } from "#tests/helpers/server.ts";
import { world, type World } from "#tests/helpers/world.ts";

/**
 * Names and other one-line fields refuse control characters, and the console
 * — where operators read reset and invitation links when no SMTP server is
 * set — never prints user text raw: a name holding CR/LF cannot forge a line.
 */

let server: TestServer;
let store: OpenedDatabase;

let w: World<never, never>;

beforeAll(async () => {
  // No SMTP_URL: mails go to the outbox and their link is printed, as on a lone machine.
  w = await world({ people: {} });
  ({ server, store } = w);
});
afterAll(() => w?.close());
afterEach(() => {
  vi.restoreAllMocks();
});

// PostgreSQL's text cannot hold U+0000 at all, so no name stored there has one: the bell, another
// control character the console must escape, stands in for it in the names stored by hand.
const STORED_CONTROL = onPostgres() ? "\u0007" : "\u0000";
const FORGED = `Mallory\r\n   Link: http://evil.example/reset-password/aaaa${STORED_CONTROL}`;

describe("the profile form", () => {
  test.each(["fr", "en"] as const)("a display name with CR/LF/NUL is refused beside the field (%s)", async (locale) => {
    const user = await createUser(store.db, { locale, displayName: "Claire Martin" });
    const c = client(server.url);
    await signIn(c, user.email, user.password);
    for (const displayName of [FORGED, "Claire\nMartin", "Claire\u0000Martin"]) {
      const res = await c.post("/settings/profile", profileFields({ displayName, locale }));
      expect(res.status).toBe(400);
      expect(pageText(res.text)).toContain(translate(locale, "v.oneLine"));
      // Shown beside the name field: its input says it is invalid and points at the message.
      const input = res.text.match(/<input[^>]*name="displayName"[^>]*>/);
      expect(input?.[0]).toContain('aria-invalid="true"');
    }
    const row = await store.db.selectFrom("user").select("display_name").where("id", "=", user.id).executeTakeFirstOrThrow();
    expect(row.display_name).toBe("Claire Martin");
  });

  test("a headline or a city with a line break is refused too; a bio keeps its paragraphs", async () => {
    const user = await createUser(store.db, { locale: "fr" });
    const c = client(server.url);
    await signIn(c, user.email, user.password);
    expect((await c.post("/settings/profile", profileFields({ headline: "Achats\r\nLink: x" }))).status).toBe(400);
    expect((await c.post("/settings/profile", profileFields({ city: "Lyon\nParis" }))).status).toBe(400);
    expect((await c.post("/settings/profile", profileFields({ bio: bioJson("Premier.", "Second.") }))).status).toBe(302);
    const row = await store.db.selectFrom("user").select("bio_html").where("id", "=", user.id).executeTakeFirstOrThrow();
    expect(row.bio_html).toMatch(/^<p[^>]*>Premier\.<\/p><p[^>]*>Second\.<\/p>$/);
  });
});

describe("the console", () => {
  /** Everything console.log and console.error print while `run` runs (and the mail it sends is written). */
  async function printed(run: () => Promise<unknown>, until: (text: string) => boolean): Promise<string> {
    const lines: string[] = [];
    const capture = (...args: unknown[]) => void lines.push(args.map(String).join(" "));
    vi.spyOn(console, "log").mockImplementation(capture);
    vi.spyOn(console, "error").mockImplementation(capture);
    await run();
    await vi.waitFor(() => expect(until(lines.join("\n"))).toBe(true), { timeout: 5_000 });
    return lines.join("\n");
  }

  test("an invitation from a member whose name holds CR/LF prints one mail line and one real link line", async () => {
    // A name stored before names were checked (or written to the database by hand).
    const sponsor = await createUser(store.db, { displayName: FORGED });
    const space = await createSpace(store.db, { createdBy: sponsor.id, name: "Club\r\n   Link: http://evil.example/x" });
    const c = client(server.url);
    await signIn(c, sponsor.email, sponsor.password);
    const out = await printed(
      () => c.post(`/spaces/${space.slug}/invite`, { email: "newcomer@control.test", role: "member", message: "" }),
      (text) => text.includes("newcomer@control.test") && text.includes("Link:"),
    );
    const lines = out.split("\n").filter((l) => l.trim() !== "");
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain("newcomer@control.test");
    expect(lines[0]).toContain("Mallory\\r\\n");
    expect(lines[0]).not.toMatch(/[\u0000\u0007\r]/);
    expect(lines[1]).toMatch(new RegExp(`^   Link: ${server.url}/invitations/[a-z0-9]+$`));
    // The forged text is still there, escaped, inside the mail line: no line of its own.
    expect(lines[0]).toContain(`\\r\\n   Link: http://evil.example/reset-password/aaaa\\u${STORED_CONTROL.charCodeAt(0).toString(16).padStart(4, "0")}`);
    expect(out).not.toMatch(/^\s*Link: http:\/\/evil\.example/m);
  });

  test("a reset link for a member with a hostile name is printed on one line of its own", async () => {
    const user = await createUser(store.db, { displayName: FORGED });
    const out = await printed(
      () => client(server.url).post("/forgot-password", { email: user.email }),
      (text) => text.includes(user.email) && text.includes("Link:"),
    );
    const linkLines = out.split("\n").filter((l) => l.includes("Link:"));
    expect(linkLines).toHaveLength(1);
    expect(linkLines[0]).toMatch(new RegExp(`^   Link: ${server.url}/reset-password/[a-z0-9]+$`));
  });
});
