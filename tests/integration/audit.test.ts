import { afterAll, beforeAll, expect, test } from "vitest";
import type { OpenedDatabase } from "#db/client.ts";
import { newId } from "#db/ids.ts";
import type { TestUser } from "#tests/factories.ts";
import type { Client } from "#tests/helpers/http.ts";
import type { TestServer } from "#tests/helpers/server.ts";
import { world, type World } from "#tests/helpers/world.ts";

let server: TestServer;
let store: OpenedDatabase;
let admin: TestUser;
let c: Client;

let w: World<"admin", never>;

beforeAll(async () => {
  w = await world({ people: { admin: { isNetworkAdmin: true } } });
  ({ server, store } = w);
  ({ admin } = w.people);
  c = w.c.admin;
});

afterAll(() => w?.close());

/** The rows a page of the log shows, told apart by the address each was given. */
function ipsOn(html: string): string[] {
  return [...html.matchAll(/<code class="small">(10\.0\.\d+\.\d+)<\/code>/g)].map((m) => m[1]);
}

test("paging through the audit log shows every event once, even when many share one millisecond", async () => {
  const at = Date.now() - 60_000;
  const rows = Array.from({ length: 120 }, (_, i) => ({
    id: newId(),
    actor_id: admin.id,
    event: "role_changed",
    space_id: null,
    target_user_id: null,
    data: "{}",
    ip: `10.0.${Math.floor(i / 250)}.${i % 250}`,
    created_at: at,
  }));
  await store.db.insertInto("audit_log").values(rows).execute();

  const seen: string[] = [];
  let path: string | null = "/admin/audit?event=role_changed";
  let pages = 0;
  while (path && pages < 10) {
    const res = await c.get(path);
    expect(res.status).toBe(200);
    seen.push(...ipsOn(res.text));
    pages += 1;
    // The "Older" link of the page, as a reader would follow it.
    path = res.text.match(/href="(\/admin\/audit\?[^"]*before=[^"]+)"/)?.[1]?.replace(/&amp;/g, "&") ?? null;
  }
  expect(pages).toBe(3);
  expect(seen).toHaveLength(120);
  expect(new Set(seen).size).toBe(120);
});

test("the log shows roles by their translated names, not their stored values", async () => {
  const at = Date.now();
  const entry = (event: string, data: Record<string, string>, ip: string) => ({
    id: newId(),
    actor_id: admin.id,
    event,
    space_id: null,
    target_user_id: null,
    data: JSON.stringify(data),
    ip,
    created_at: at,
  });
  await store.db
    .insertInto("audit_log")
    .values([
      entry("role_changed", { from: "member", to: "editor" }, "10.9.0.1"),
      entry("invitation_created", { email: "nouvelle@exemple.fr", role: "guest" }, "10.9.0.2"),
    ])
    .execute();

  const setLocale = (locale: "fr" | "en") => store.db.updateTable("user").set({ locale }).where("id", "=", admin.id).execute();
  for (const [locale, change, invited, raw] of [
    ["fr", "Membre → Éditeur", "nouvelle@exemple.fr · Invité", /member → editor|· guest\b/],
    ["en", "Member → Editor", "nouvelle@exemple.fr · Guest", /member → editor|· guest\b/],
  ] as const) {
    await setLocale(locale);
    const res = await c.get("/admin/audit");
    expect(res.status).toBe(200);
    expect(res.text).toContain(change);
    expect(res.text).toContain(invited);
    expect(res.text).not.toMatch(raw);
  }
  await setLocale("fr");
});

test("a refused code or passkey reads why in words; a person's reason stays quoted as written", async () => {
  const at = Date.now();
  const entry = (event: string, data: Record<string, string>) => ({
    id: newId(),
    actor_id: null,
    event,
    space_id: null,
    target_user_id: admin.id,
    data: JSON.stringify(data),
    ip: "10.8.0.1",
    created_at: at,
  });
  await store.db
    .insertInto("audit_log")
    .values([
      entry("second_factor_failed", { email: "karim@exemple.fr", factor: "totp", reason: "reused" }),
      entry("passkey_failed", { reason: "other-account" }),
      entry("workshop_cancelled", { title: "Atelier achats", reason: "wrong" }),
    ])
    .execute();
  const fr = await c.get("/admin/audit");
  expect(fr.text).toContain("karim@exemple.fr · code déjà utilisé");
  expect(fr.text).toContain("clé d’accès d’un autre compte");
  // The same word, typed by the person who cancelled a workshop: theirs, as written.
  expect(fr.text).toContain("« wrong »");
  expect(fr.text).not.toMatch(/« (reused|other-account) »/);
});
