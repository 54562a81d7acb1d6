import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { migrateToLatest } from "#db/migrations/index.ts";
import type { Space } from "#db/schema.ts";
import { transact } from "#db/transact.ts";
import { findWorkshop, facilitatorIds } from "#db/queries/workshops.ts";
import { processContent } from "#app/editor/content.server.ts";
import type { DerivedDocument } from "#app/editor/document.ts";
import {
  cancelWorkshop,
  decideProposal,
  deleteWorkshop,
  editWorkshop,
  proposeWorkshop,
  restoreWorkshop,
  scheduleNextSession,
  scheduleWorkshop,
  type WorkshopActing,
} from "#app/workshops/commands.server.ts";
import { isSupportedTimeZone, readWorkshopForm, type WorkshopForm } from "#app/workshops/form.server.ts";
import { addMember, createNetwork, createSpace, createUser, type TestUser } from "#tests/factories.ts";
import { tempDatabase } from "#tests/helpers/db.ts";
import { doc, paragraph } from "#tests/helpers/lexical.ts";

/**
 * The workshops' commands called directly on a real SQLite file, and the
 * form's checks: each refusal names its field and writes nothing.
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

const as = (user: TestUser, now = NOW): WorkshopActing => ({ user, space, now, ip: "127.0.0.1" });

function derived(text: string): DerivedDocument {
  const result = processContent(doc(paragraph(text)));
  if (!result.ok) throw new Error(`test content refused: ${result.error}`);
  return result;
}

function formData(fields: Record<string, string | string[]>): FormData {
  const data = new FormData();
  for (const [k, v] of Object.entries(fields)) for (const one of Array.isArray(v) ? v : [v]) data.append(k, one);
  return data;
}

const BASE = { title: "Atelier compost", startsAt: "2026-12-10T18:00", endsAt: "2026-12-10T20:00", timeZone: "Europe/Paris", capacity: "12" };

function read(changes: Record<string, string | string[]> = {}, isNew = true) {
  return readWorkshopForm(formData({ ...BASE, ...changes }), { isNew, now: NOW });
}

function valid(changes: Record<string, string | string[]> = {}): WorkshopForm {
  const r = read(changes);
  if (!r.ok) throw new Error(`test form refused: ${JSON.stringify(r.errors)}`);
  return r.value;
}

async function count() {
  const row = await store.db.selectFrom("workshop").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
  return Number(row.n);
}

describe("the form, field by field", () => {
  test("a time typed in Paris is stored as the UTC instant it names, with its zone", () => {
    const f = valid();
    // 18:00 in Paris in December is 17:00 UTC.
    expect(f.startsAt).toBe(Date.UTC(2026, 11, 10, 17, 0));
    expect(f.timeZone).toBe("Europe/Paris");
    expect(f.capacity).toBe(12);
  });

  const REFUSED: Array<[string, Record<string, string>, string, string]> = [
    ["an end before the start", { endsAt: "2026-12-10T17:00" }, "endsAt", "workshops.endBeforeStart"],
    ["a start in the past", { startsAt: "2026-12-01T18:00", endsAt: "2026-12-01T20:00" }, "startsAt", "workshops.startInPast"],
    ["a capacity of zero", { capacity: "0" }, "capacity", "workshops.badCapacity"],
    ["a capacity not whole", { capacity: "2.5" }, "capacity", "workshops.badCapacity"],
    ["a negative capacity", { capacity: "-3" }, "capacity", "workshops.badCapacity"],
    ["a video link over http", { videoUrl: "http://visio.example/abc" }, "videoUrl", "workshops.videoNotHttps"],
    ["a video link that is no address", { videoUrl: "javascript:alert(1)" }, "videoUrl", "workshops.videoNotHttps"],
    ["a title too long", { title: "x".repeat(201) }, "title", "v.tooLong"],
    ["an empty title", { title: "  " }, "title", "v.required"],
    ["a place too long", { place: "p".repeat(301) }, "place", "v.tooLong"],
    ["an unknown zone", { timeZone: "Mars/Olympus" }, "timeZone", "workshops.badTimeZone"],
    ["a zone Intl knows but no VTIMEZONE describes", { timeZone: "America/Montreal" }, "timeZone", "workshops.badTimeZone"],
  ];
  test.each(REFUSED)("%s is refused beside its field", (_what, changes, field, error) => {
    const r = read(changes);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors).toEqual({ [field]: error });
  });

  test("a start in the past is allowed on an edit (a workshop under way is still corrected)", () => {
    expect(read({ startsAt: "2026-12-01T18:00", endsAt: "2026-12-01T20:00" }, false).ok).toBe(true);
  });

  test("zones: Intl and a VTIMEZONE both needed", () => {
    expect(isSupportedTimeZone("Europe/Paris")).toBe(true);
    expect(isSupportedTimeZone("America/Toronto")).toBe(true);
    expect(isSupportedTimeZone("America/Montreal")).toBe(false);
    expect(isSupportedTimeZone("")).toBe(false);
  });
});

describe("the commands", () => {
  test("an admin schedules: scheduled at once, with activity and audit lines", async () => {
    const result = await transact(store.db, (trx) => scheduleWorkshop(trx, as(admin), { form: valid({ facilitators: [member.id] }), content: derived("Bienvenue") }));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const w = await findWorkshop(store.db, space.id, result.id);
    expect(w?.state).toBe("scheduled");
    expect(w?.description_text).toContain("Bienvenue");
    expect(await facilitatorIds(store.db, result.id)).toEqual([member.id]);
    const activity = await store.db.selectFrom("activity").select("verb").where("space_id", "=", space.id).where("verb", "=", "workshop_scheduled").execute();
    expect(activity.length).toBeGreaterThan(0);
    const audits = await store.db.selectFrom("audit_log").select("event").where("event", "=", "workshop_scheduled").execute();
    expect(audits.length).toBeGreaterThan(0);
    // Another space does not find it by its id.
    expect(await findWorkshop(store.db, other.id, result.id)).toBeUndefined();
  });

  test("a facilitator who is not a member, or a cover of another space, is refused and nothing stored", async () => {
    const before = await count();
    const notMember = await transact(store.db, (trx) => scheduleWorkshop(trx, as(admin), { form: valid({ facilitators: [stranger.id] }), content: derived("x") }));
    expect(notMember).toEqual({ ok: false, errors: { facilitators: "workshops.facilitatorNotMember" } });
    const cover = await transact(store.db, (trx) => scheduleWorkshop(trx, as(admin), { form: valid({ coverFileId: "no-such-file" }), content: derived("x") }));
    expect(cover).toEqual({ ok: false, errors: { coverFileId: "workshops.coverNotFound" } });
    expect(await count()).toBe(before);
  });

  test("a member proposes; declining tells the proposer with the reason kept; accepting schedules and tells them", async () => {
    const proposed = await transact(store.db, (trx) => proposeWorkshop(trx, as(member), { form: valid({ title: "Proposition" }), content: derived("Idée") }));
    expect(proposed.ok).toBe(true);
    if (!proposed.ok) return;
    const w = (await findWorkshop(store.db, space.id, proposed.id))!;
    expect(w.state).toBe("proposed");
    expect(w.proposed_by).toBe(member.id);

    const declined = await transact(store.db, (trx) => decideProposal(trx, as(admin), { workshop: w, accept: false, reason: "Déjà prévu" }));
    expect(declined.ok).toBe(true);
    const after = (await findWorkshop(store.db, space.id, w.id))!;
    expect(after.state).toBe("declined");
    expect(after.decline_reason).toBe("Déjà prévu");
    const told = await store.db.selectFrom("notification").select(["kind", "user_id"]).where("user_id", "=", member.id).where("kind", "=", "workshopDeclined").execute();
    expect(told).toHaveLength(1);
    // Decided once: deciding again is refused.
    expect(await transact(store.db, (trx) => decideProposal(trx, as(admin), { workshop: after, accept: true, reason: null }))).toEqual({ ok: false, error: "workshops.wrongState" });

    const second = await transact(store.db, (trx) => proposeWorkshop(trx, as(member), { form: valid({ title: "Autre" }), content: derived("Idée") }));
    if (!second.ok) throw new Error("refused");
    const w2 = (await findWorkshop(store.db, space.id, second.id))!;
    await transact(store.db, (trx) => decideProposal(trx, as(admin), { workshop: w2, accept: true, reason: null }));
    expect((await findWorkshop(store.db, space.id, w2.id))!.state).toBe("scheduled");
    const accepted = await store.db.selectFrom("notification").select("kind").where("user_id", "=", member.id).where("kind", "=", "workshopAccepted").execute();
    expect(accepted).toHaveLength(1);
  });

  test("an edit on a stale revision is refused with the current version; a change of time raises the sequence, a description alone does not", async () => {
    const made = await transact(store.db, (trx) => scheduleWorkshop(trx, as(admin), { form: valid(), content: derived("v1") }));
    if (!made.ok) throw new Error("refused");
    const w = (await findWorkshop(store.db, space.id, made.id))!;
    const textOnly = await transact(store.db, (trx) => editWorkshop(trx, as(admin), { workshop: w, baseRevision: w.revision, form: valid(), content: derived("v2") }));
    expect(textOnly).toEqual({ ok: true });
    const w2 = (await findWorkshop(store.db, space.id, made.id))!;
    expect(w2.revision).toBe(w.revision + 1);
    expect(w2.sequence).toBe(w.sequence);

    const stale = await transact(store.db, (trx) => editWorkshop(trx, as(admin), { workshop: w2, baseRevision: w.revision, form: valid({ title: "Vieux" }), content: derived("v3") }));
    expect(stale).toMatchObject({ ok: false, conflict: true, current: { id: w.id, revision: w2.revision } });
    expect((await findWorkshop(store.db, space.id, made.id))!.title).toBe("Atelier compost");

    const moved = await transact(store.db, (trx) => editWorkshop(trx, as(admin), { workshop: w2, baseRevision: w2.revision, form: valid({ startsAt: "2026-12-11T18:00", endsAt: "2026-12-11T20:00" }), content: derived("v2") }));
    expect(moved).toEqual({ ok: true });
    expect((await findWorkshop(store.db, space.id, made.id))!.sequence).toBe(w.sequence + 1);
  });

  test("the capacity cannot go below those going", async () => {
    const made = await transact(store.db, (trx) => scheduleWorkshop(trx, as(admin), { form: valid({ capacity: "5" }), content: derived("x") }));
    if (!made.ok) throw new Error("refused");
    for (const [i, user] of [admin, member].entries()) {
      await store.db.insertInto("workshop_registration").values({ workshop_id: made.id, user_id: user.id, status: "going", note: null, arrival: i + 1, created_at: NOW, updated_at: NOW }).execute();
    }
    const w = (await findWorkshop(store.db, space.id, made.id))!;
    const lowered = await transact(store.db, (trx) => editWorkshop(trx, as(admin), { workshop: w, baseRevision: w.revision, form: valid({ capacity: "1" }), content: derived("x") }));
    expect(lowered).toEqual({ ok: false, errors: { capacity: "workshops.capacityBelowGoing" } });
    expect((await findWorkshop(store.db, space.id, made.id))!.capacity).toBe(5);
    const toTwo = await transact(store.db, (trx) => editWorkshop(trx, as(admin), { workshop: w, baseRevision: w.revision, form: valid({ capacity: "2" }), content: derived("x") }));
    expect(toTwo).toEqual({ ok: true });

    // Cancelling keeps it, with its reason, and tells those registered (not the one cancelling).
    const current = (await findWorkshop(store.db, space.id, made.id))!;
    const cancelled = await transact(store.db, (trx) => cancelWorkshop(trx, as(admin), { workshop: current, reason: "Salle indisponible" }));
    expect(cancelled.ok).toBe(true);
    const gone = (await findWorkshop(store.db, space.id, made.id))!;
    expect([gone.state, gone.cancel_reason]).toEqual(["cancelled", "Salle indisponible"]);
    const told = await store.db.selectFrom("notification").select("user_id").where("kind", "=", "workshopCancellation").execute();
    expect(told.map((t) => t.user_id)).toEqual([member.id]);
  });

  test("to the trash and back; the next session copies the workshop to a new date and points back", async () => {
    const made = await transact(store.db, (trx) => scheduleWorkshop(trx, as(admin), { form: valid({ place: "Salle B", facilitators: [member.id] }), content: derived("Suite") }));
    if (!made.ok) throw new Error("refused");
    const w = (await findWorkshop(store.db, space.id, made.id))!;
    await transact(store.db, (trx) => deleteWorkshop(trx, as(admin), { workshop: w }));
    const trashed = (await findWorkshop(store.db, space.id, made.id))!;
    expect(trashed.deleted_at).toBe(NOW);
    await transact(store.db, (trx) => restoreWorkshop(trx, as(admin), { workshop: trashed }));
    expect((await findWorkshop(store.db, space.id, made.id))!.deleted_at).toBeNull();

    const start = Date.UTC(2026, 11, 17, 17, 0);
    const next = await transact(store.db, (trx) => scheduleNextSession(trx, as(admin), { workshop: w, startsAt: start, endsAt: start + 2 * 3600_000 }));
    expect(next.ok).toBe(true);
    if (!next.ok) return;
    const n = (await findWorkshop(store.db, space.id, next.id))!;
    expect([n.title, n.place, n.capacity, n.description_text, n.previous_id, n.starts_at, n.state]).toEqual([w.title, "Salle B", 12, w.description_text, w.id, start, "scheduled"]);
    expect(await facilitatorIds(store.db, next.id)).toEqual([member.id]);
    const past = await transact(store.db, (trx) => scheduleNextSession(trx, as(admin), { workshop: w, startsAt: NOW - 1000, endsAt: NOW + 1000 }));
    expect(past).toEqual({ ok: false, errors: { startsAt: "workshops.startInPast" } });
  });
});
