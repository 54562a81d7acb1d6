import { Migrator, type Migration, type MigrationProvider, type Kysely } from "kysely";
import * as foundation from "./20261122_0900_foundation.ts";
import * as wiki from "./20261122_1000_wiki.ts";
import * as files from "./20261122_1100_files.ts";
import * as uploadLock from "./20261122_1300_upload_lock.ts";
import * as blog from "./20261122_1400_blog.ts";
import * as knownDevice from "./20261204_0920_known_device.ts";
import * as mailOutbox from "./20261204_0930_mail_outbox.ts";
import * as uploadActivity from "./20261204_0940_upload_activity.ts";
import * as jobRun from "./20261204_1100_job_run.ts";
import * as notificationOwner from "./20261204_1100_notification_owner.ts";
import * as workshops from "./20261204_1800_workshops.ts";
import * as workshopMail from "./20261204_1940_workshop_mail.ts";
import * as people from "./20261205_0100_people.ts";
import * as directorySpaces from "./20261205_1000_directory_spaces.ts";
import * as contact from "./20261205_1200_contact.ts";
import * as asks from "./20261205_1400_asks.ts";
import * as conversations from "./20261205_1600_conversations.ts";
import * as search from "./20261206_0900_search.ts";
import * as searchNewestFirst from "./20261207_0900_search_newest_first.ts";
import * as home from "./20261208_0900_home.ts";
import * as notificationChoices from "./20261208_1000_notification_choices.ts";
import * as digests from "./20261209_0900_digests.ts";
import * as replyAddresses from "./20261209_1000_reply_addresses.ts";
import * as dataExports from "./20261210_0900_data_exports.ts";
import * as accountDeletion from "./20261210_1000_account_deletion.ts";
import * as shareLinks from "./20261210_1100_share_links.ts";
import * as secondFactor from "./20261211_0900_second_factor.ts";
import * as adminConsole from "./20261211_1000_admin_console.ts";
import * as backups from "./20261211_1100_backups.ts";
import * as passkeys from "./20261212_0900_passkeys.ts";
import * as postgres from "./20261213_0900_postgres.ts";
import * as servers from "./20261213_1000_servers.ts";
import * as searchOwnChanges from "./20261214_0900_search_own_changes.ts";

/**
 * A static list rather than a folder scan, so migrations survive bundling.
 * Names sort by time; append, never edit. (Issue 21 taught the landed ones
 * PostgreSQL through db/migrations/postgres.ts, leaving what they run on
 * SQLite as it was.)
 */
export const migrations: Record<string, Migration> = {
  "20261122_0900_foundation": foundation,
  "20261122_1000_wiki": wiki,
  "20261122_1100_files": files,
  "20261122_1300_upload_lock": uploadLock,
  "20261122_1400_blog": blog,
  "20261204_0920_known_device": knownDevice,
  "20261204_0930_mail_outbox": mailOutbox,
  "20261204_0940_upload_activity": uploadActivity,
  "20261204_1100_job_run": jobRun,
  "20261204_1100_notification_owner": notificationOwner,
  "20261204_1800_workshops": workshops,
  "20261204_1940_workshop_mail": workshopMail,
  "20261205_0100_people": people,
  "20261205_1000_directory_spaces": directorySpaces,
  "20261205_1200_contact": contact,
  "20261205_1400_asks": asks,
  "20261205_1600_conversations": conversations,
  "20261206_0900_search": search,
  "20261207_0900_search_newest_first": searchNewestFirst,
  "20261208_0900_home": home,
  "20261208_1000_notification_choices": notificationChoices,
  "20261209_0900_digests": digests,
  "20261209_1000_reply_addresses": replyAddresses,
  "20261210_0900_data_exports": dataExports,
  "20261210_1000_account_deletion": accountDeletion,
  "20261210_1100_share_links": shareLinks,
  "20261211_0900_second_factor": secondFactor,
  "20261211_1000_admin_console": adminConsole,
  "20261211_1100_backups": backups,
  "20261212_0900_passkeys": passkeys,
  "20261213_0900_postgres": postgres,
  "20261213_1000_servers": servers,
  "20261214_0900_search_own_changes": searchOwnChanges,
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

export function migrator(db: Kysely<any>): Migrator {
  return new Migrator({ db, provider });
}

/** Applies pending migrations; throws with the failing migration's name. */
export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  const { error, results } = await migrator(db).migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === "Error")?.migrationName ?? "unknown";
    throw new Error(`Migration ${failed} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  return (results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName);
}
