import { sql, type Kysely } from "kysely";
import { createTrigger, dropTrigger } from "./postgres.ts";

// Frozen once landed: later changes come as new migrations.
export async function up(db: Kysely<any>): Promise<void> {
  // The network admin's console (issue 20). A deactivated account keeps its row and everything its
  // member wrote; it cannot sign in and leaves the directory while `deactivated_at` is set.
  await db.schema.alterTable("user").addColumn("deactivated_at", "integer").execute();
  await db.schema.alterTable("user").addColumn("deactivated_by", "text").execute();
  // The last sign-in, for the console's filter ("never", "over 30 days"): read from a column rather
  // than from the audit log, which a network of years would scan whole for every listing. Filled
  // from the audit's sign-in entries for the accounts that already signed in.
  await db.schema.alterTable("user").addColumn("last_sign_in_at", "integer").execute();
  await db
    .updateTable("user")
    .set((eb) => ({
      last_sign_in_at: eb
        .selectFrom("audit_log")
        .select((a) => a.fn.max("audit_log.created_at").as("at"))
        .whereRef("audit_log.actor_id", "=", "user.id")
        .where("audit_log.event", "=", "sign_in"),
    }))
    .execute();
  // The network's own settings beside its name and language: a logo (a stored image's key) and the
  // mail sender, each null while the deployment's default (MAIL_FROM, the Cercle mark) holds.
  await db.schema.alterTable("network").addColumn("logo_key", "text").execute();
  await db.schema.alterTable("network").addColumn("mail_from_name", "text").execute();
  await db.schema.alterTable("network").addColumn("mail_from_address", "text").execute();
  // A deactivated profile leaves the directory at once, and comes back with the account: the
  // directory's index (migration 20261205_0100) is read again when the version moves.
  // Raw SQL: Kysely's schema builder has no triggers; PostgreSQL gets its own.
  await createTrigger(db, "directory_user_deactivated", `AFTER UPDATE OF deactivated_at ON "user"`, "UPDATE directory_version SET version = version + 1 WHERE id = 1;");
}

export async function down(db: Kysely<any>): Promise<void> {
  await dropTrigger(db, "directory_user_deactivated", `"user"`);
  for (const column of ["mail_from_address", "mail_from_name", "logo_key"]) await db.schema.alterTable("network").dropColumn(column).execute();
  for (const column of ["last_sign_in_at", "deactivated_by", "deactivated_at"]) await db.schema.alterTable("user").dropColumn(column).execute();
}
