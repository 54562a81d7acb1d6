import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { migrateToLatest } from "#db/migrations/index.ts";
import { deleteStaleDevices, findKnownDevice, newDeviceToken, rememberDevice } from "#db/queries/known-devices.ts";
import { createSession, deleteExpiredSessions, validateSessionToken } from "#db/queries/sessions.ts";
import { deleteAttemptsBefore, recordAttempt } from "#db/queries/sign-in-attempts.ts";
import { deleteFinishedBefore, enqueue } from "#db/queries/mail-outbox.ts";
import { createNetwork, createUser } from "#tests/factories.ts";
import { DAY_MS, tempDatabase } from "#tests/helpers/db.ts";

/**
 * What the primary's housekeeping deletes besides files (those are in
 * files-trash.test.ts): sessions past either lifetime, sign-in attempts
 * older than a day, known devices unused for a year — and nothing that still counts.
 */

let store: Awaited<ReturnType<typeof tempDatabase>>;
const lifetimes = { idleMs: 14 * DAY_MS, absoluteMs: 30 * DAY_MS };
const now = Date.UTC(2026, 10, 22, 12);

beforeAll(async () => {
  store = await tempDatabase();
  await migrateToLatest(store.db);
  await createNetwork(store.db);
});

afterAll(async () => {
  await store?.remove();
});

describe("expired sessions", () => {
  test("idle too long or signed in too long ago are deleted; live ones still sign in", async () => {
    const user = await createUser(store.db);
    const open = (createdAgo: number) => createSession(store.db, { userId: user.id, userAgent: "test", ip: "127.0.0.1", now: now - createdAgo });
    const idle = await open(15 * DAY_MS); // never seen since: idle 15 days
    const live = await open(2 * DAY_MS);
    const old = await open(31 * DAY_MS);
    // Busy but signed in 31 days ago: the absolute lifetime ends it anyway.
    await store.db.updateTable("session").set({ last_seen_at: now - 60_000 }).where("id", "=", old.session.id).execute();
    const atTheLimit = await open(14 * DAY_MS - 1);

    expect(await deleteExpiredSessions(store.db, lifetimes, now)).toBe(2);
    const left = (await store.db.selectFrom("session").select("id").execute()).map((s) => s.id).sort();
    expect(left).toEqual([live.session.id, atTheLimit.session.id].sort());
    expect(await validateSessionToken(store.db, live.token, lifetimes, now)).not.toBeNull();
    expect(await validateSessionToken(store.db, idle.token, lifetimes, now)).toBeNull();
    expect(await deleteExpiredSessions(store.db, lifetimes, now)).toBe(0);
  });
});

describe("old sign-in attempts", () => {
  test("those older than the cut are deleted, the recent ones throttling reads stay", async () => {
    for (const ago of [2 * DAY_MS, DAY_MS + 1, DAY_MS - 1, 60_000]) {
      await recordAttempt(store.db, { email: "x@example.org", ip: "127.0.0.1", succeeded: false, now: now - ago });
    }
    expect(await deleteAttemptsBefore(store.db, now - DAY_MS)).toBe(2);
    const left = await store.db.selectFrom("sign_in_attempt").select("created_at").orderBy("created_at").execute();
    expect(left.map((a) => now - a.created_at)).toEqual([DAY_MS - 1, 60_000]);
  });
});

describe("known devices", () => {
  test("a device that has not signed in to its account for a year is forgotten; a recent one is kept and still known", async () => {
    const user = await createUser(store.db);
    const stale = newDeviceToken();
    const recent = newDeviceToken();
    await rememberDevice(store.db, { token: stale, userId: user.id, now: now - 365 * DAY_MS });
    await rememberDevice(store.db, { token: recent, userId: user.id, now: now - 364 * DAY_MS });

    expect(await findKnownDevice(store.db, { token: stale, userId: user.id, now })).toBeNull();
    expect(await deleteStaleDevices(store.db, now)).toBe(1);
    expect(await findKnownDevice(store.db, { token: recent, userId: user.id, now })).not.toBeNull();
    expect(await deleteStaleDevices(store.db, now)).toBe(0);
  });
});

describe("settled outbox mails", () => {
  test("sent, failed and cancelled ones older than the cut are deleted; a mail still to send stays however old", async () => {
    const mail = { subject: "s", text: "t", html: "h" };
    const at = (ago: number) => enqueue(store.db, [{ recipient: `r${ago}@example.test`, mail }], now - ago).then(([id]) => id);
    const ids = {
      oldSent: await at(31 * DAY_MS),
      oldFailed: await at(31 * DAY_MS),
      oldCancelled: await at(31 * DAY_MS),
      oldPending: await at(40 * DAY_MS),
      recentSent: await at(DAY_MS),
    };
    const set = (id: string, state: "sent" | "failed" | "cancelled") => store.db.updateTable("mail_outbox").set({ state }).where("id", "=", id).execute();
    await set(ids.oldSent, "sent");
    await set(ids.oldFailed, "failed");
    await set(ids.oldCancelled, "cancelled");
    await set(ids.recentSent, "sent");

    expect(await deleteFinishedBefore(store.db, now - 30 * DAY_MS)).toBe(3);
    const left = (await store.db.selectFrom("mail_outbox").select("id").execute()).map((r) => r.id).sort();
    expect(left).toEqual([ids.oldPending, ids.recentSent].sort());
    expect(await deleteFinishedBefore(store.db, now - 30 * DAY_MS)).toBe(0);
  });
});
