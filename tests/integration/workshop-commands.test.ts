import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { migrateToLatest } from "#db/migrations/index.ts";
import type { Role, Space } from "#db/schema.ts";
import { transact } from "#db/transact.ts";
import * as pages from "#db/queries/pages.ts";
import { findWorkshop, facilitatorIds } from "#db/queries/workshops.ts";
import {
  cancelWorkshop,
  decideProposal,
  deleteWorkshop,
  editWorkshop,
  proposeWorkshop,
  restoreWorkshop,
  scheduleWorkshop,
  type WorkshopActing,
} from "#app/workshops/commands.server.ts";
import { readWorkshopForm, type WorkshopFormValue } from "#app/workshops/form.server.ts";
import { actorOf } from "#app/policies/actor.ts";
import type { Letterhead } from "#app/utils/acting.server.ts";
import { addMember, createNetwork, createSpace, createUser, type TestUser } from "#tests/factories.ts";
import { tempDatabase } from "#tests/helpers/db.ts";
import { derived } from "#tests/helpers/derived.ts";

/**
 * The workshops' commands called directly on a real SQLite file: each
 * refusal names its field and writes nothing (the form's own checks are
 * tested over HTTP in workshops/schedule.test.ts).
 */

let store: Awaited<ReturnType<typeof tempDatabase>>;
let space: Space;
let other: Space;
let admin: TestUser;
let member: TestUser;
let stranger: TestUser;

// 2026-12-04 12:00 UTC: the forms below type dates after it.
const NOW = Date.UTC(2026, 11, 4, 12, 0);

beforeAll(async () => {
  store = await tempDatabase();
  await migrateToLatest(store.db);
  await createNetwork(store.db);
  admin = await createUser(store.db, { email: "admin@ws-commands.test" });
  member = await createUser(store.db, { email: "member@ws-commands.test" });
  stranger = await createUser(store.db, { email: "stranger@ws-commands.test" });
  space = await createSpace(store.db, { createdBy: admin.id, slug: "club-ws", visibility: "listed" });
  other = await createSpace(store.db, { createdBy: stranger.id, slug: "club-other", visibility: "listed" });
  await addMember(store.db, { space, user: member, role: "member" });
});

afterAll(() => store?.remove());

const roleOf = (user: TestUser): Role | null => (user === admin ? "admin" : user === member ? "member" : null);
const as = (user: TestUser, now = NOW, where: Space = space, role = roleOf(user)): WorkshopActing => ({
  user,
  actor: actorOf(user),
  membership: role ? { space_id: where.id, user_id: user.id, role, joined_at: NOW, sponsor_id: null } : undefined,
  space: where,
  now,
  ip: "127.0.0.1",
});
const head: Letterhead = { network: { name: "Réseau test", locale: "fr" }, baseUrl: new URL("http://cercle.test"), mailConfigured: true, mailFrom: "Cercle <cercle@cercle.test>" };


function formData(fields: Record<string, string | string[]>): FormData {
  const data = new FormData();
  for (const [k, v] of Object.entries(fields)) for (const one of Array.isArray(v) ? v : [v]) data.append(k, one);
  return data;
}

const BASE = { title: "Atelier compost", date: "2026-12-10", start: "18:00", end: "20:00", timeZone: "Europe/Paris", capacity: "12" };

function read(changes: Record<string, string | string[]> = {}) {
  return readWorkshopForm(formData({ ...BASE, ...changes }), { now: NOW });
}

function valid(changes: Record<string, string | string[]> = {}): WorkshopFormValue {
  const r = read(changes);
  if (!r.ok) throw new Error(`test form refused: ${JSON.stringify(r.errors)}`);
  return r.value;
}

async function count() {
  const row = await store.db.selectFrom("workshop").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
  return Number(row.n);
}

describe("the commands", () => {
  test("an admin schedules: scheduled at once, with activity and audit lines", async () => {
    const result = await transact(store.db, (trx) => scheduleWorkshop(trx, as(admin), { form: valid({ facilitators: [member.id] }), content: derived("Bienvenue"), head }));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const w = await findWorkshop(store.db, space.id, result.workshop.id);
    expect(w?.state).toBe("scheduled");
    expect(w?.description_text).toContain("Bienvenue");
    expect(await facilitatorIds(store.db, result.workshop.id)).toEqual([member.id]);
    const activity = await store.db.selectFrom("activity").select("verb").where("space_id", "=", space.id).where("verb", "=", "workshop_scheduled").execute();
    expect(activity.length).toBeGreaterThan(0);
    const audits = await store.db.selectFrom("audit_log").select("event").where("event", "=", "workshop_scheduled").execute();
    expect(audits.length).toBeGreaterThan(0);
    // Another space does not find it by its id.
    expect(await findWorkshop(store.db, other.id, result.workshop.id)).toBeUndefined();
  });

  test("a facilitator who is not a member, or a cover of another space, is refused and nothing stored", async () => {
    const before = await count();
    const notMember = await transact(store.db, (trx) => scheduleWorkshop(trx, as(admin), { form: valid({ facilitators: [stranger.id] }), content: derived("x"), head }));
    expect(notMember).toEqual({ ok: false, errors: { facilitators: "workshops.error.facilitatorNotMember" } });
    const cover = await transact(store.db, (trx) => scheduleWorkshop(trx, as(admin), { form: valid({ coverFileId: "no-such-file" }), content: derived("x"), head }));
    expect(cover).toEqual({ ok: false, errors: { coverFileId: "workshops.error.coverNotFound" } });
    // A secret or archived space opens nothing to the network; this listed one may.
    const opened = await transact(store.db, (trx) => scheduleWorkshop(trx, { ...as(admin), space: { ...space, visibility: "secret" } }, { form: valid({ network: "on" }), content: derived("x"), head }));
    expect(opened).toEqual({ ok: false, errors: { network: "workshops.error.networkNotAllowed" } });
    // A member does not schedule, an admin does not propose: each has their way in.
    expect(await transact(store.db, (trx) => scheduleWorkshop(trx, as(member), { form: valid(), content: derived("x"), head }))).toEqual({ ok: false, error: "forbidden" });
    expect(await transact(store.db, (trx) => proposeWorkshop(trx, as(admin), { form: valid(), content: derived("x") }))).toEqual({ ok: false, error: "forbidden" });
    expect(await count()).toBe(before);
  });

  test("a member proposes; declining tells the proposer with the reason kept; accepting schedules and tells them", async () => {
    const proposed = await transact(store.db, (trx) => proposeWorkshop(trx, as(member), { form: valid({ title: "Proposition" }), content: derived("Idée") }));
    expect(proposed.ok).toBe(true);
    if (!proposed.ok) return;
    const w = (await findWorkshop(store.db, space.id, proposed.id))!;
    expect(w.state).toBe("proposed");
    expect(w.proposed_by).toBe(member.id);

    const declined = await transact(store.db, (trx) => decideProposal(trx, as(admin), { workshop: w, accept: false, reason: "Déjà prévu", head }));
    expect(declined.ok).toBe(true);
    // The proposer hears of it by mail too.
    if (declined.ok) expect(declined.mailIds).toHaveLength(1);
    const after = (await findWorkshop(store.db, space.id, w.id))!;
    expect(after.state).toBe("declined");
    expect(after.decline_reason).toBe("Déjà prévu");
    const told = await store.db.selectFrom("notification").select(["kind", "user_id"]).where("user_id", "=", member.id).where("kind", "=", "workshopDeclined").execute();
    expect(told).toHaveLength(1);
    // Decided once: deciding again is refused.
    expect(await transact(store.db, (trx) => decideProposal(trx, as(admin), { workshop: after, accept: true, reason: null, head }))).toEqual({ ok: false, error: "workshops.wrongState" });

    const second = await transact(store.db, (trx) => proposeWorkshop(trx, as(member), { form: valid({ title: "Autre" }), content: derived("Idée") }));
    if (!second.ok) throw new Error("refused");
    const w2 = (await findWorkshop(store.db, space.id, second.id))!;
    await transact(store.db, (trx) => decideProposal(trx, as(admin), { workshop: w2, accept: true, reason: null, head }));
    expect((await findWorkshop(store.db, space.id, w2.id))!.state).toBe("scheduled");
    const accepted = await store.db.selectFrom("notification").select("kind").where("user_id", "=", member.id).where("kind", "=", "workshopAccepted").execute();
    expect(accepted).toHaveLength(1);
  });

  test("an edit on a stale revision is refused with the current version; a change of time raises the sequence, a description alone does not", async () => {
    const made = await transact(store.db, (trx) => scheduleWorkshop(trx, as(admin), { form: valid(), content: derived("v1"), head }));
    if (!made.ok) throw new Error("refused");
    const w = made.workshop;
    const textOnly = await transact(store.db, (trx) => editWorkshop(trx, as(admin), { workshop: w, baseRevision: w.revision, form: valid(), content: derived("v2"), head }));
    expect(textOnly).toEqual({ ok: true, mailIds: [] });
    const w2 = (await findWorkshop(store.db, space.id, made.workshop.id))!;
    expect(w2.revision).toBe(w.revision + 1);
    expect(w2.sequence).toBe(w.sequence);

    const stale = await transact(store.db, (trx) => editWorkshop(trx, as(admin), { workshop: w2, baseRevision: w.revision, form: valid({ title: "Vieux" }), content: derived("v3"), head }));
    expect(stale).toMatchObject({ ok: false, conflict: true, current: { id: w.id, revision: w2.revision } });
    expect((await findWorkshop(store.db, space.id, made.workshop.id))!.title).toBe("Atelier compost");

    const moved = await transact(store.db, (trx) => editWorkshop(trx, as(admin), { workshop: w2, baseRevision: w2.revision, form: valid({ date: "2026-12-11" }), content: derived("v2"), head }));
    expect(moved).toEqual({ ok: true, mailIds: [] });
    expect((await findWorkshop(store.db, space.id, made.workshop.id))!.sequence).toBe(w.sequence + 1);
  });

  test("the capacity cannot go below those going", async () => {
    const made = await transact(store.db, (trx) => scheduleWorkshop(trx, as(admin), { form: valid({ capacity: "5" }), content: derived("x"), head }));
    if (!made.ok) throw new Error("refused");
    for (const [i, user] of [admin, member].entries()) {
      await store.db.insertInto("workshop_registration").values({ workshop_id: made.workshop.id, user_id: user.id, status: "going", note: null, arrival: i + 1, created_at: NOW, updated_at: NOW }).execute();
    }
    const w = (await findWorkshop(store.db, space.id, made.workshop.id))!;
    const lowered = await transact(store.db, (trx) => editWorkshop(trx, as(admin), { workshop: w, baseRevision: w.revision, form: valid({ capacity: "1" }), content: derived("x"), head }));
    expect(lowered).toEqual({ ok: false, errors: { capacity: "workshops.error.capacityBelowGoing" } });
    expect((await findWorkshop(store.db, space.id, made.workshop.id))!.capacity).toBe(5);
    const toTwo = await transact(store.db, (trx) => editWorkshop(trx, as(admin), { workshop: w, baseRevision: w.revision, form: valid({ capacity: "2" }), content: derived("x"), head }));
    expect(toTwo).toEqual({ ok: true, mailIds: [] });

    // Cancelling keeps it, with its reason, and tells those registered (not the one cancelling).
    const current = (await findWorkshop(store.db, space.id, made.workshop.id))!;
    const cancelled = await transact(store.db, (trx) => cancelWorkshop(trx, as(admin), { workshop: current, reason: "Salle indisponible", head }));
    expect(cancelled.ok).toBe(true);
    // The one registered (not the one cancelling) is mailed the cancellation, its calendar's CANCEL attached.
    if (cancelled.ok) expect(cancelled.mailIds).toHaveLength(1);
    const mail = await store.db.selectFrom("mail_outbox").select(["recipient", "payload"]).where("id", "in", cancelled.ok ? cancelled.mailIds : []).executeTakeFirstOrThrow();
    expect(mail.recipient).toBe(member.email);
    expect(mail.payload).toContain("METHOD:CANCEL");
    const gone = (await findWorkshop(store.db, space.id, made.workshop.id))!;
    expect([gone.state, gone.cancel_reason]).toEqual(["cancelled", "Salle indisponible"]);
    const told = await store.db.selectFrom("notification").select("user_id").where("kind", "=", "workshopCancellation").execute();
    expect(told.map((t) => t.user_id)).toEqual([member.id]);
  });

  test("to the trash and back; the next session copies the workshop's materials and points back", async () => {
    const made = await transact(store.db, (trx) => scheduleWorkshop(trx, as(admin), { form: valid({ place: "Salle B", facilitators: [member.id] }), content: derived("Suite"), head }));
    if (!made.ok) throw new Error("refused");
    const w = made.workshop;
    await transact(store.db, (trx) => deleteWorkshop(trx, as(admin), { workshop: w }));
    const trashed = (await findWorkshop(store.db, space.id, w.id))!;
    expect(trashed.deleted_at).toBe(NOW);
    await transact(store.db, (trx) => restoreWorkshop(trx, as(admin), { workshop: trashed }));
    expect((await findWorkshop(store.db, space.id, w.id))!.deleted_at).toBeNull();

    const page = await pages.createPage(store.db, { spaceId: space.id, parentId: null, title: "Support", slug: "support", content: derived("x"), summary: "", authorId: admin.id, now: NOW });
    await store.db.insertInto("workshop_material").values({ id: "mat-1", workshop_id: w.id, page_id: page.id, file_id: null, shared: 1, position: 0, added_by: admin.id, added_at: NOW }).execute();
    const next = await transact(store.db, (trx) => scheduleWorkshop(trx, as(admin), { form: valid({ date: "2026-12-17", place: "Salle B", facilitators: [member.id] }), content: derived("Suite"), head, previousId: w.id }));
    if (!next.ok) throw new Error("refused");
    expect([next.workshop.previous_id, next.workshop.place]).toEqual([w.id, "Salle B"]);
    const copied = await store.db.selectFrom("workshop_material").select(["shared", "position"]).where("workshop_id", "=", next.workshop.id).execute();
    expect(copied).toEqual([{ shared: 1, position: 0 }]);
    // Another space's workshop is no previous session: nothing points at it, nothing is copied.
    const foreign = await transact(store.db, (trx) => scheduleWorkshop(trx, as(stranger, NOW, other, "admin"), { form: valid(), content: derived("x"), head, previousId: w.id }));
    if (!foreign.ok) throw new Error("refused");
    expect(foreign.workshop.previous_id).toBeNull();
  });
});
