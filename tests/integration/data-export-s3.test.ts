import { afterAll, beforeAll, expect, test } from "vitest";
import { migrateToLatest } from "#db/migrations/index.ts";
import { findForUser } from "#db/queries/data-exports.ts";
import { transact } from "#db/transact.ts";
import { createStorage } from "#storage/index.ts";
import type { StorageDriver } from "#storage/types.ts";
import { requestExport } from "#app/exports/commands.server.ts";
import { purgeExpiredExports } from "#app/exports/expiry.server.ts";
import { buildNextExport } from "#app/exports/job.server.ts";
import { createNetwork } from "#tests/factories.ts";
import { tempDatabase } from "#tests/helpers/db.ts";
import { s3Config, startS3rver, type TestS3Server } from "#tests/helpers/s3rver.ts";
import { PAUL_PRIVATE, seedMember, type Seeded } from "#tests/helpers/data-export-seed.ts";
import { readZip } from "#tests/helpers/data-export-zip.ts";

/**
 * The same export on S3 (s3rver on loopback): the member's files are read
 * from the bucket and the zip is written back to it through the driver's
 * put(stream), then read as the download reads it, and deleted with the export.
 */

let store: Awaited<ReturnType<typeof tempDatabase>>;
let s3: TestS3Server;
let storage: StorageDriver;
let seeded: Seeded;

beforeAll(async () => {
  store = await tempDatabase();
  await migrateToLatest(store.db);
  s3 = await startS3rver();
  storage = createStorage({ driver: "s3", ...s3Config(s3) });
  await createNetwork(store.db);
  seeded = await seedMember(store.db, storage);
});

afterAll(async () => {
  await store?.remove();
  await s3?.close();
});

test("built into the bucket, read back whole, gone with the export", async () => {
  const asked = await transact(store.db, (trx) => requestExport(trx, { user: seeded.lea, ip: "192.0.2.9", now: Date.now() }));
  const outcome = await buildNextExport({
    db: store.db,
    storage,
    letterhead: { network: { name: "Réseau", locale: "fr" }, baseUrl: new URL("https://cercle.example.test"), mailConfigured: false, mailFrom: "c@example.test", mailReplyTo: null },
    sendMails: () => {},
  });
  expect(outcome?.state).toBe("ready");
  const row = (await findForUser(store.db, seeded.lea.id, asked.export.id))!;
  const { body, size } = await storage.get(row.storage_key!);
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(chunk as Buffer);
  const bytes = Buffer.concat(chunks);
  expect(bytes.length).toBe(size);
  expect(size).toBe(row.size);
  const zip = await readZip(bytes);
  for (const [name, expected] of seeded.files) expect(zip.bytes.get(name)?.equals(expected), name).toBe(true);
  for (const [name, entry] of zip.bytes) for (const secret of PAUL_PRIVATE) expect(entry.toString("utf8").includes(secret), `${secret} in ${name}`).toBe(false);
  expect(await s3.pendingMultipartUploads()).toEqual([]);

  await store.db.updateTable("data_export").set({ expires_at: Date.now() - 1 }).where("id", "=", row.id).execute();
  expect(await purgeExpiredExports(store.db, storage, Date.now())).toBe(1);
  expect(await storage.head(row.storage_key!)).toBeNull();
});
