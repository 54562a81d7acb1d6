import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { expect, test } from "vitest";

/**
 * Landed migrations are frozen: a database that already ran one never runs it
 * again, so an edit reaches new databases only and the two drift apart
 * silently. Three were edited after landing before this test existed
 * (foundation, wiki, blog); their checksums are of their text as of
 * 2026-12-04, history left as it is.
 *
 * 2026-12-06 (issue 21): eleven landed migrations learnt PostgreSQL's
 * spelling (db/migrations/postgres.ts), each behind `onPostgres(db)`, with
 * what they run on SQLite left as it was; their checksums are of that text.
 * The test below holds them to it: the schema they build on SQLite is the
 * one they built before.
 *
 * Adding a migration: create it, list it in db/migrations/index.ts, run
 * `sha256sum db/migrations/<file>` and add the line to LANDED below.
 */
const LANDED: Record<string, string> = {
  "20261122_0900_foundation.ts": "f4fd12a12121143359333f9757400aacbe5991c4c50a323fcd5d5e8a5bd88eb3",
  "20261122_1000_wiki.ts": "89755d8c751bdbf4291ade37143d5558fc40caf598030d48dc9df9c7004a9839",
  "20261122_1100_files.ts": "f6c9a3740917c4b1771908bef5ad51e26329ce1bae216bf1d5f29748097f4d99",
  "20261122_1300_upload_lock.ts": "fb304aed18d0778678e01781014e089f013aecd98e17ea59db323b83cfb89dd6",
  "20261122_1400_blog.ts": "e8ac3fe4289bcdc62373d7744fdc7f3dffade3a4949632254c68228c1649fcc0",
  "20261204_0920_known_device.ts": "8ecfc95468e834b392374f1275976387534b6619cb16fe2c7670314c871b6144",
  "20261204_0930_mail_outbox.ts": "37dd320543758446df3f5770d8c7d3f66b2e4ddac574abc53533151b33c96f6e",
  "20261204_0940_upload_activity.ts": "9e0a6b3ad81a1e313fb0d2fec2791da35b5ec14a39e586fb8d27d2ce43babb63",
  "20261204_1100_job_run.ts": "672634dff6fbe21af403fb25ba3f1c816067dc00ed27dfc693a8add8fe8eea66",
  "20261204_1100_notification_owner.ts": "68056ee909778d1992390fd067d424bb8417c96f790da7b0209b5c1b440c8d62",
  "20261204_1800_workshops.ts": "93d5b5cbf66777a255c771d7168ba8c6edbfac88d91532960fc3a859f0726c9b",
  "20261204_1940_workshop_mail.ts": "3246b147136262f4ac815ee9c6c0af42856995402eb850c416a109ee917b941e",
  "20261205_0100_people.ts": "849f2c0430c4390b713abd46c835db686478f3560ee36cd9ebe319c131082486",
  "20261205_1000_directory_spaces.ts": "715db8ea910053ead740d7ae3fa04bbafe7bbaacde45c081b4374a8b52884a38",
  "20261205_1200_contact.ts": "7edbc1e41cf29bb39021db3cdfd298866c3d4c7cc9e7f404b3a3a165db5929a2",
  "20261205_1400_asks.ts": "3e39cf268f9db564f702bb22c653ad8ec2903f2f28e483af9149452debcacfcb",
  "20261205_1600_conversations.ts": "4fa8f541ef58d92e49dddb0c7fafa8ef84f74c652a316a4d642a7ba8eaa8f2b6",
  "20261206_0900_search.ts": "2eab895d496f0f1dc45aa5f32b965c79b5756437f4db3d4a1eee5a110c8f665c",
  "20261207_0900_search_newest_first.ts": "34616bd20494b8ea8cffced8eb7d48407821935209d82ae851873357fffd0a6f",
  "20261208_0900_home.ts": "ce928189fd46469510f5fa8675c5c90e7e1809fa1de3ea1c71eab5b0cee24dd2",
  "20261208_1000_notification_choices.ts": "7c879ad1b23bc0cf90f9cc68cfa7a2bfd98aedebed5cbdcfd61604de493d3a64",
  "20261209_0900_digests.ts": "2e7a2a01ec483ed90233a13409bcccce20ca2e986496649bc8aab1b99282c972",
  "20261209_1000_reply_addresses.ts": "bf52601f4eddeb44f091987775bf142c904529bb11763bd641580b0d1ea7d40d",
  "20261210_0900_data_exports.ts": "5f75366476c8599a123e7d950951788af6277e7d3639dbcab161f35ee32dd441",
  "20261210_1000_account_deletion.ts": "3932500d91c3461ed8363f97dcd9cb3cddd2ffa16ff2fdae953da81b649d3919",
  "20261210_1100_share_links.ts": "f34ae202aec34f663c306d6c2b88828f68d7bcc90b03ce7741af04f5b2e64d62",
  "20261211_0900_second_factor.ts": "95659297497bcda69ab5448b4f8ae98b0255afca937ee957137818d458f29c97",
  "20261211_1100_backups.ts": "8b094510840bcd63c458a860260fd72446465e3fd33bb8d74aee2d30cef5f0ab",
  "20261212_0900_passkeys.ts": "07f0b20715edfbd373950e4ea366f11d1e5539553a3e2e58afef8f86c7a5c531",
  "20261211_1000_admin_console.ts": "6e41097c090b30cbe10c3e5143b9fbbb53d5c6061875575886783a8557e0e86c",
  "20261213_0900_postgres.ts": "ba3db41a688a80212d1f858e62fe9e53385132e3e95232a32cca4df0cd617a0f",
  "20261213_1000_servers.ts": "285431c80ba459a07d9bf5b4e1faeb23b96195d0b9957192b71be86249479e3c",
  "20261214_0900_search_own_changes.ts": "da0f994338f911c317ee5314d92d73ab92c97fbf7e6a4650f0deb7f4d76d3270",
};

const dir = path.resolve(import.meta.dirname, "../../../db/migrations");
// Migrations are named for their time; index.ts lists them, postgres.ts is what they share for PostgreSQL.
const onDisk = readdirSync(dir).filter((f) => /^\d{8}_\d{4}_\w+\.ts$/.test(f));

// A checkout with CRLF line endings (git autocrlf on Windows) holds the same migration.
const checksum = (file: string) => createHash("sha256").update(readFileSync(path.join(dir, file), "utf8").replace(/\r\n/g, "\n")).digest("hex");

test.each(Object.keys(LANDED))("landed migration %s is still there, unchanged", (file) => {
  expect(onDisk, `db/migrations/${file} has landed and must stay: databases in use have run it.`).toContain(file);
  expect(
    checksum(file),
    `db/migrations/${file} changed after landing. Databases that already ran it will never see the change: ` +
      "restore its text (git checkout) and write the change as a new migration instead.",
  ).toBe(LANDED[file]);
});

test("every migration on disk is in the checksum list", () => {
  const unlisted = onDisk.filter((f) => !(f in LANDED));
  expect(
    unlisted,
    `New migration(s) not in LANDED of tests/unit/db/migrations.test.ts. Once a migration is final, add one line each:\n` +
      unlisted.map((f) => `  "${f}": "${checksum(f)}",`).join("\n"),
  ).toEqual([]);
});

/**
 * What the landed migrations build on SQLite, byte for byte (sqlite_schema:
 * every table, index and trigger with its SQL), as they built it on
 * 2026-12-06 before issue 21 taught them PostgreSQL (commit 89a26e0). Only
 * the migrations up to that day run, so a later migration leaves it alone.
 */
test("on SQLite, the landed migrations build the schema they always built", async () => {
  const { tempDatabase } = await import("#tests/helpers/db.ts");
  const { migrator } = await import("#db/migrations/index.ts");
  const store = await tempDatabase();
  try {
    const { error } = await migrator(store.db).migrateTo("20261212_0900_passkeys");
    expect(error).toBeUndefined();
    const rows = store.sqlite.prepare("SELECT type, name, tbl_name, sql FROM sqlite_schema WHERE name NOT LIKE 'kysely%' ORDER BY name").all();
    expect(rows.length).toBe(289);
    expect(createHash("sha256").update(JSON.stringify(rows)).digest("hex")).toBe("bc43eddc0e540897c6b65f5b08c774ffd981e264815a9ab126b0060a2e7bda8a");
  } finally {
    await store.remove();
  }
});
