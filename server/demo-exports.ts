import { transact } from "#db/transact.ts";
import { requestExport } from "#app/exports/commands.server.ts";
import { buildNextExport } from "#app/exports/job.server.ts";
import { letterhead } from "#app/utils/acting.server.ts";
import { getStorage } from "#app/utils/storage.server.ts";
import type { DemoWorld } from "./demo-world.ts";

/**
 * The data export's part of the demo: Julien (the member the demo signs in
 * as) asked for his data, and it was built by the job's own command from
 * everything the demo gave him — his profile and photo, clubs, pages,
 * articles, comments, asks, workshops, conversations and files. "Mes
 * données" shows it ready to download; the mail telling him so waits in the
 * outbox and goes out when Cercle starts.
 */
export async function seedDemoExports(world: DemoWorld): Promise<void> {
  const julien = world.people.julien;
  await transact(world.db, (trx) => requestExport(trx, { user: julien, ip: world.ip, now: Date.now() }));
  const outcome = await buildNextExport({ db: world.db, storage: getStorage(), letterhead: await letterhead(), sendMails: () => {} });
  if (outcome?.state !== "ready") throw new Error(`demo: Julien's export did not build (${outcome?.error ?? "nothing to build"})`);
}
