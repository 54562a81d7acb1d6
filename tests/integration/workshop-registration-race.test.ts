import { execFileSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { OpenedDatabase } from "#db/client.ts";
import type { Space } from "#db/schema.ts";
import type { Client } from "#tests/helpers/http.ts";
import { freePort, spawnServer, waitFor } from "#tests/helpers/process.ts";
import { world, type World } from "#tests/helpers/world.ts";
import { insertWorkshop, registrationsOf } from "#tests/helpers/workshops.ts";

/**
 * 30 people asking at the same moment for the 10 seats of one workshop,
 * through real HTTP requests to the built server running three worker
 * processes on one SQLite file (as `npm start` runs it with
 * WEB_CONCURRENCY=3): exactly 10 going and 20 waiting, every arrival number
 * given once (1..30), the waitlist in the very order the server acknowledged,
 * and a withdrawal then promotes exactly the first waiting person.
 */

const PEOPLE = 30;
const SEATS = 10;
const WORKERS = 3;

let child: ChildProcess;
let output = "";
let dataDir: string;
let origin: string;
let store: OpenedDatabase;
let space: Space;
let w: World<string, "space">;
const names = Array.from({ length: PEOPLE }, (_, i) => `p${String(i).padStart(2, "0")}`);

/** Process ids of the workers (the primary's children). */
function workerPids(): number[] {
  const out = execFileSync("ps", ["-o", "pid=", "--ppid", String(child.pid)], { encoding: "utf8" });
  return out.split("\n").map((l) => Number(l.trim())).filter((n) => n > 0);
}

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), "cercle-registration-race-"));
  const port = await freePort();
  origin = `http://127.0.0.1:${port}`;
  const server = spawnServer(
    { NODE_ENV: "production", DATA_DIR: dataDir, PORT: String(port), HOST: "127.0.0.1", BASE_URL: origin, WEB_CONCURRENCY: String(WORKERS) },
    (chunk) => (output += chunk),
  );
  child = server.child;
  // Generous: on a loaded machine workers have taken over 20 s to start.
  await waitFor(() => output.includes("listening") || child.exitCode !== null, "the cluster to listen", 60_000, () => output);
  if (!output.includes("listening")) throw new Error(`the cluster did not start:\n${output}`);

  const people = Object.fromEntries([["admin", { displayName: "Admin Atelier" }], ...names.map((n) => [n, { displayName: `Participant ${n.slice(1)}` }])]);
  w = await world({
    attach: { url: origin, dbFile: path.join(dataDir, "cercle.db") },
    domain: "course.test",
    people,
    spaces: { space: { createdBy: "admin", slug: "atelier-course", name: "Club de la Course", visibility: "secret", members: Object.fromEntries(names.map((n) => [n, "member" as const])) } },
    signIn: names,
  });
  store = w.store;
  space = w.spaces.space;
}, 180_000);

afterAll(async () => {
  await w?.close();
  child?.kill("SIGKILL");
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/** Each request on a connection of its own, so the primary deals them out to the workers; JSON, to read the acknowledged place. */
const options = { headers: { Connection: "close", Accept: "application/json" } };

describe(`${PEOPLE} registrations at once for ${SEATS} seats, ${WORKERS} worker processes`, () => {
  test("exactly 10 going and 20 waiting, in the order the server acknowledged; a withdrawal promotes exactly the first waiting", async () => {
    expect(output).toContain(`${WORKERS} worker processes`);
    expect(workerPids()).toHaveLength(WORKERS);
    const workshopId = await insertWorkshop(store.db, { spaceId: space.id, createdBy: w.people.admin.id, capacity: SEATS, title: "Atelier très demandé" });
    const url = `/spaces/${space.slug}/workshops/${workshopId}/registration`;
    const clients: Client[] = names.map((n) => w.c[n]);

    const started = performance.now();
    const answers = await Promise.all(clients.map((cl) => cl.post(url, { status: "going", note: "" }, options)));
    const elapsed = performance.now() - started;

    expect(answers.map((a) => a.status)).toEqual(names.map(() => 200));
    const acks = answers.map((a, i) => ({ userId: w.people[names[i]].id, ...(JSON.parse(a.text) as { ok: boolean; status: string; arrival: number; position: number | null }) }));
    const going = acks.filter((a) => a.status === "going");
    const waiting = acks.filter((a) => a.status === "waiting");
    console.log(
      `registration race: ${PEOPLE} requests over ${WORKERS} workers answered in ${Math.round(elapsed)} ms; ${going.length} going, ${waiting.length} waiting`,
    );
    expect(going).toHaveLength(SEATS);
    expect(waiting).toHaveLength(PEOPLE - SEATS);

    // Every arrival number given once, 1..30; the first ten are those going, the others wait in that order.
    const byArrival = [...acks].sort((a, b) => a.arrival - b.arrival);
    expect(byArrival.map((a) => a.arrival)).toEqual(Array.from({ length: PEOPLE }, (_, i) => i + 1));
    expect(byArrival.slice(0, SEATS).every((a) => a.status === "going" && a.position === null)).toBe(true);
    expect(byArrival.slice(SEATS).map((a) => [a.status, a.position])).toEqual(Array.from({ length: PEOPLE - SEATS }, (_, i) => ["waiting", i + 1]));

    // The database holds exactly what was acknowledged.
    const rows = await registrationsOf(store.db, workshopId);
    expect(rows.map((r) => [r.user_id, r.status, r.arrival])).toEqual(byArrival.map((a) => [a.userId, a.status, a.arrival]));

    // One of those going withdraws: exactly the first waiting (arrival 11) is promoted, nobody else moves.
    const leaver = going[0];
    const first = byArrival[SEATS];
    const leaverClient = clients[acks.indexOf(leaver)];
    const left = await leaverClient.post(url, { status: "not_going" }, options);
    expect(JSON.parse(left.text)).toMatchObject({ ok: true, status: "not_going", promoted: 1 });
    const after = await registrationsOf(store.db, workshopId);
    const statusOf = Object.fromEntries(after.map((r) => [r.user_id, r.status]));
    expect(statusOf[leaver.userId]).toBe("not_going");
    expect(statusOf[first.userId]).toBe("going");
    expect(after.filter((r) => r.status === "going")).toHaveLength(SEATS);
    expect(after.filter((r) => r.status === "waiting").map((r) => r.user_id)).toEqual(byArrival.slice(SEATS + 1).map((a) => a.userId));
    const told = await store.db.selectFrom("notification").select("user_id").where("kind", "=", "workshopPromoted").where("owner_id", "=", workshopId).execute();
    expect(told.map((n) => n.user_id)).toEqual([first.userId]);
  }, 120_000);
});
