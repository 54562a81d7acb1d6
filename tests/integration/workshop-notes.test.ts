import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { OpenedDatabase } from "#db/client.ts";
import type { Space } from "#db/schema.ts";
import { pageText, type Client } from "#tests/helpers/http.ts";
import { ACTORS, matrix, type ActorName } from "#tests/helpers/matrix.ts";
import { flashOf, domainRows, tablesOf } from "#tests/helpers/state.ts";
import { ledWorkshop, wikiPage } from "#tests/helpers/workshop-followup.ts";
import { seedRegistration } from "#tests/helpers/workshops.ts";
import { world, type World } from "#tests/helpers/world.ts";

/**
 * "Write up the notes" over real HTTP with real sessions, against the built
 * server and a real SMTP server: who may (the matrix), not before the start
 * nor for a cancelled workshop; the page made through the wiki from the
 * template in the writer's language, as Lexical JSON the wiki accepts, with
 * the materials under "Resources"; linked both ways; those who took part
 * told in the app and by mail (the writer left out), once.
 */

const HOUR = 3_600_000;
type Who = "admin" | "editor" | "member" | "guest" | "outsider" | "netAdmin" | "anglo" | "walkin";
type SpaceKey = "open" | "listed" | "secret";
let w: World<Who, SpaceKey>;
let store: OpenedDatabase;
const c = {} as Record<ActorName | "anglo" | "walkin", Client>;

beforeAll(async () => {
  const roles = { editor: "editor", member: "member", guest: "guest", anglo: "member", walkin: "member" } as const;
  w = await world({
    smtp: true,
    domain: "notes.test",
    displayName: (name) => `${name[0].toUpperCase()}${name.slice(1)} Notes`,
    people: { admin: {}, editor: {}, member: {}, guest: {}, outsider: {}, netAdmin: { isNetworkAdmin: true }, anglo: { locale: "en" }, walkin: {} },
    spaces: {
      open: { createdBy: "admin", slug: "ouvert", name: "Cercle Ouvert", visibility: "open", members: roles },
      listed: { createdBy: "admin", slug: "club", name: "Club Achats", visibility: "listed", members: roles },
      secret: { createdBy: "admin", slug: "secret", name: "Club Secret", visibility: "secret", members: roles },
    },
  });
  store = w.store;
  Object.assign(c, w.c);
  c.anon = w.anonymous;
}, 60_000);

afterAll(() => w?.close());

const path = (space: Space, id: string) => `/spaces/${space.slug}/workshops/${id}/notes`;
const pageOf = (space: Space, id: string) => `/spaces/${space.slug}/workshops/${id}`;

async function everything() {
  return {
    ...(await domainRows(store.db)),
    ...(await tablesOf(store.db, ["workshop", "page", "page_revision", "notification", "mail_outbox"])),
  };
}

const led = (space: Space, facilitators: Who[], row: { startsAt?: number; state?: "cancelled"; title?: string } = {}) =>
  ledWorkshop(store.db, {
    spaceId: space.id,
    createdBy: w.people.admin.id,
    facilitators: facilitators.map((f) => w.people[f].id),
    startsAt: row.startsAt ?? Date.now() - 3 * HOUR,
    state: row.state,
    title: row.title,
  });
const notesOf = async (id: string) => (await store.db.selectFrom("workshop").select("notes_page_id").where("id", "=", id).executeTakeFirstOrThrow()).notes_page_id;

// ---------------------------------------------------------------------------
// Who may: the route joins the authorization matrix
// ---------------------------------------------------------------------------

const CELLS = ["ok", "403", "404", "login"] as const;
// The member facilitates; the workshop started three hours ago.
const WHO_WRITES = matrix(
  `
  space    anon   outsider  guest  member  editor  admin  netAdmin
  secret   login  404       403    ok      403     ok     ok
  listed   login  403       403    ok      403     ok     ok
  open     login  403       403    ok      403     ok     ok
  `,
  CELLS,
);

describe("who may write up the notes (POST)", () => {
  for (const row of WHO_WRITES) {
    for (const actor of ACTORS) {
      const cell = row.cells[actor];
      test(`${row.key} × ${actor} → ${cell}`, async () => {
        const space = w.spaces[row.key as SpaceKey];
        const { id } = await led(space, ["member"]);
        const before = await everything();
        const res = await c[actor].post(path(space, id));
        if (cell === "ok") {
          expect(res.status).toBe(302);
          const made = await notesOf(id);
          const page = await store.db.selectFrom("page").select(["slug", "space_id"]).where("id", "=", made!).executeTakeFirstOrThrow();
          expect(page.space_id).toBe(space.id);
          expect(res.location).toBe(`/spaces/${space.slug}/wiki/${page.slug}/edit`);
          return;
        }
        if (cell === "login") {
          expect(res.status).toBe(302);
          expect(res.location ?? "").toMatch(/^\/login\?redirectTo=/);
        } else {
          expect(res.status).toBe(Number(cell));
          if (cell === "404" && space.visibility === "secret") expect(pageText(res.text)).not.toContain(space.name);
        }
        expect(await everything()).toEqual(before);
      });
    }
  }
});

describe("when", () => {
  test("before the start, or for a cancelled workshop: back to it with the reason, nothing made", async () => {
    for (const [row, key] of [
      [{ startsAt: Date.now() + HOUR }, "workshops.followUp.notStarted"],
      [{ state: "cancelled" as const }, "workshops.followUp.cancelled"],
    ] as const) {
      const { id } = await led(w.spaces.listed, ["member"], row);
      const before = await everything();
      const res = await c.member.post(path(w.spaces.listed, id));
      expect(res.status).toBe(302);
      expect(res.location).toBe(pageOf(w.spaces.listed, id));
      expect(await flashOf(res)).toMatchObject({ kind: "error", key });
      expect(await everything()).toEqual(before);
    }
  });

  test("another space's workshop through this space's address: 404, nothing made", async () => {
    const secretOne = await led(w.spaces.secret, ["member"]);
    const before = await everything();
    expect((await c.member.post(path(w.spaces.listed, secretOne.id))).status).toBe(404);
    expect(await everything()).toEqual(before);
  });
});

// ---------------------------------------------------------------------------
// The page, the links, who is told
// ---------------------------------------------------------------------------

describe("the notes page", () => {
  test("made from the template in French through the wiki, linked both ways; participants told once, the writer not; asking again opens the same page", async () => {
    const space = w.spaces.listed;
    const { id, title } = await led(space, ["member"], { title: "Atelier négociation annuelle" });
    // Going: the guest and the admin; maybe: the editor (not told); came without registering: walkin.
    await seedRegistration(store.db, id, w.people.guest.id, "going");
    await seedRegistration(store.db, id, w.people.admin.id, "going");
    await seedRegistration(store.db, id, w.people.editor.id, "maybe");
    await seedRegistration(store.db, id, w.people.member.id, "going");
    const plan = await wikiPage(store.db, { spaceId: space.id, authorId: w.people.admin.id, title: "Grille de préparation" });
    expect((await c.member.post(`/spaces/${space.slug}/workshops/${id}/materials`, { intent: "add", kind: "page", targetId: plan.id })).status).toBe(302);
    expect((await c.member.post(`/spaces/${space.slug}/workshops/${id}/attendance`, [["attended", w.people.guest.id], ["attended", w.people.walkin.id]])).status).toBe(302);

    const res = await c.member.post(path(space, id));
    expect(res.status).toBe(302);
    expect((await flashOf(res))?.key).toBe("workshops.notes.created");
    const pageId = await notesOf(id);
    const page = await store.db.selectFrom("page").selectAll().where("id", "=", pageId!).executeTakeFirstOrThrow();
    expect(res.location).toBe(`/spaces/${space.slug}/wiki/${page.slug}/edit`);
    expect(page.title).toBe(`Compte rendu — ${title}`);
    expect(page.created_by).toBe(w.people.member.id);
    // The template's headings, in order, with the material linked under "Ressources".
    const doc = JSON.parse(page.content_json) as { root: { children: Array<{ type: string; tag?: string; children: Array<{ type: string; text?: string; pageId?: string }> }> } };
    const blocks = doc.root.children.map((b) => (b.type === "heading" ? `${b.tag}:${b.children[0].text}` : b.children.map((ch) => (ch.type === "page-link" ? `link:${ch.pageId}` : ch.type)).join(",")));
    expect(blocks).toEqual(["h2:Ordre du jour", "", "h2:Ce que nous avons appris", "", "h2:Ressources", `link:${plan.id}`, "h2:Prochaines étapes", ""]);
    expect(page.content_html).toContain("Ce que nous avons appris");
    // The wiki's own bookkeeping: its link table and its activity line.
    expect(await store.db.selectFrom("page_link").select("to_page_id").where("from_page_id", "=", page.id).execute()).toEqual([{ to_page_id: plan.id }]);
    expect(await store.db.selectFrom("activity").select("verb").where("space_id", "=", space.id).where("data", "like", `%${page.slug}%`).execute()).toEqual([{ verb: "page_created" }]);

    // Told: going (guest, admin) and attended (guest, walkin), the writer left out; the maybe not.
    const told = await store.db.selectFrom("notification").select(["user_id", "actor_id"]).where("kind", "=", "workshopNotes").where("owner_id", "=", id).execute();
    expect(told.map((n) => n.user_id).sort()).toEqual([w.people.guest.id, w.people.admin.id, w.people.walkin.id].sort());
    expect(new Set(told.map((n) => n.actor_id))).toEqual(new Set([w.people.member.id]));
    const mail = await w.smtp.waitForMail((m) => m.to.includes(w.people.walkin.email) && m.subject.includes(title));
    expect(mail.subject).toBe(`Le compte rendu de l’atelier « ${title} » est publié`);
    expect(mail.text).toContain(`/spaces/${space.slug}/workshops/${id}`);

    // The workshop links to the notes; the notes link back.
    const workshopPage = await c.guest.get(pageOf(space, id));
    expect(workshopPage.text).toContain(`href="/spaces/${space.slug}/wiki/${page.slug}"`);
    const wikiView = await c.guest.get(`/spaces/${space.slug}/wiki/${page.slug}`);
    expect(pageText(wikiView.text)).toContain(`Compte rendu de l’atelier « ${title} »`);
    expect(wikiView.text).toContain(`href="${pageOf(space, id)}"`);

    // Again, by the admin: the same page, nobody told twice.
    const before = await everything();
    const again = await c.admin.post(path(space, id));
    expect(again.status).toBe(302);
    expect(again.location).toBe(`/spaces/${space.slug}/wiki/${page.slug}/edit`);
    expect((await flashOf(again))?.key).toBe("workshops.notes.alreadyWritten");
    expect(await everything()).toEqual(before);
  });

  test("the template speaks the writer's language: English headings for an English-speaking facilitator", async () => {
    const space = w.spaces.listed;
    const { id } = await led(space, ["anglo"], { title: "Supplier audits" });
    const res = await c.anglo.post(path(space, id));
    expect(res.status).toBe(302);
    const page = await store.db.selectFrom("page").select(["title", "content_text"]).where("id", "=", (await notesOf(id))!).executeTakeFirstOrThrow();
    expect(page.title).toBe("Notes — Supplier audits");
    for (const heading of ["Agenda", "What we learned", "Resources", "Next steps"]) expect(page.content_text).toContain(heading);
    expect(page.content_text).not.toContain("Ordre du jour");
  });

  test("notes sent to the trash: the workshop no longer links to them, and writing up again makes a new page", async () => {
    const space = w.spaces.listed;
    const { id } = await led(space, ["member"]);
    expect((await c.member.post(path(space, id))).status).toBe(302);
    const first = (await notesOf(id))!;
    await store.db.updateTable("page").set({ deleted_at: Date.now(), deleted_by: w.people.member.id }).where("id", "=", first).execute();
    expect(pageText((await c.member.get(pageOf(space, id))).text)).toContain("Rédiger le compte rendu");
    expect((await c.member.post(path(space, id))).status).toBe(302);
    const second = await notesOf(id);
    expect(second).not.toBe(first);
    expect(second).not.toBeNull();
  });
});
