import { sql, type Kysely } from "kysely";

// Frozen once landed: later changes come as new migrations.
export async function up(db: Kysely<any>): Promise<void> {
  // The hash of the token in a member's personal calendar address (like every link secret).
  await db.schema.alterTable("user").addColumn("calendar_token_hash", "text").execute();
  await db.schema.createIndex("user_calendar_token").on("user").column("calendar_token_hash").unique().execute();
  // Reminders before a workshop, in minutes; null turns one off (the space's admins choose).
  await db.schema.alterTable("space").addColumn("reminder_early_minutes", "integer", (c) => c.defaultTo(1440)).execute();
  await db.schema.alterTable("space").addColumn("reminder_late_minutes", "integer", (c) => c.defaultTo(60)).execute();

  await db.schema
    .createTable("workshop")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("space_id", "text", (c) => c.notNull().references("space.id").onDelete("cascade"))
    .addColumn("title", "text", (c) => c.notNull())
    // proposed | declined | scheduled | cancelled; "past" is read from ends_at, never stored.
    .addColumn("state", "text", (c) => c.notNull())
    // UTC ms, and the IANA zone they were given in (shown to readers in theirs, this one named).
    .addColumn("starts_at", "integer", (c) => c.notNull())
    .addColumn("ends_at", "integer", (c) => c.notNull())
    .addColumn("time_zone", "text", (c) => c.notNull())
    .addColumn("place", "text")
    .addColumn("video_url", "text")
    // A facilitator from outside the network, by name; members facilitate through workshop_facilitator.
    .addColumn("outside_speaker", "text")
    .addColumn("capacity", "integer")
    .addColumn("registration_closes_at", "integer")
    .addColumn("description_json", "text", (c) => c.notNull())
    .addColumn("description_html", "text", (c) => c.notNull())
    .addColumn("description_text", "text", (c) => c.notNull())
    .addColumn("cover_file_id", "text", (c) => c.references("file.id").onDelete("set null"))
    // space | network (members of other clubs read it and register; never from a secret space)
    .addColumn("visibility", "text", (c) => c.notNull().defaultTo("space"))
    // iCalendar SEQUENCE: raised by every change a calendar must follow.
    .addColumn("sequence", "integer", (c) => c.notNull().defaultTo(0))
    // The workshop this one continues ("schedule the next session"): a series without recurrence rules.
    .addColumn("previous_id", "text", (c) => c.references("workshop.id").onDelete("set null"))
    .addColumn("notes_page_id", "text", (c) => c.references("page.id").onDelete("set null"))
    .addColumn("proposed_by", "text", (c) => c.references("user.id").onDelete("set null"))
    .addColumn("decided_by", "text", (c) => c.references("user.id").onDelete("set null"))
    .addColumn("decided_at", "integer")
    .addColumn("decline_reason", "text")
    .addColumn("cancelled_at", "integer")
    .addColumn("cancel_reason", "text")
    .addColumn("attendance_recorded_at", "integer")
    // Number of the current version; an edit must name it (stale edits are refused).
    .addColumn("revision", "integer", (c) => c.notNull().defaultTo(1))
    .addColumn("created_by", "text", (c) => c.references("user.id").onDelete("set null"))
    .addColumn("created_at", "integer", (c) => c.notNull())
    .addColumn("updated_by", "text", (c) => c.references("user.id").onDelete("set null"))
    .addColumn("updated_at", "integer", (c) => c.notNull())
    .addColumn("deleted_at", "integer")
    .addColumn("deleted_by", "text", (c) => c.references("user.id").onDelete("set null"))
    .addCheckConstraint("workshop_ends_after_start", sql`ends_at > starts_at`)
    .addCheckConstraint("workshop_capacity_positive", sql`capacity IS NULL OR capacity > 0`)
    .execute();
  await db.schema.createIndex("workshop_space_start").on("workshop").columns(["space_id", "starts_at"]).execute();
  await db.schema.createIndex("workshop_network_start").on("workshop").columns(["visibility", "state", "starts_at"]).execute();

  await db.schema
    .createTable("workshop_facilitator")
    .addColumn("workshop_id", "text", (c) => c.notNull().references("workshop.id").onDelete("cascade"))
    .addColumn("user_id", "text", (c) => c.notNull().references("user.id").onDelete("cascade"))
    .addPrimaryKeyConstraint("workshop_facilitator_pk", ["workshop_id", "user_id"])
    .execute();
  await db.schema.createIndex("workshop_facilitator_user").on("workshop_facilitator").column("user_id").execute();

  await db.schema
    .createTable("workshop_registration")
    .addColumn("workshop_id", "text", (c) => c.notNull().references("workshop.id").onDelete("cascade"))
    .addColumn("user_id", "text", (c) => c.notNull().references("user.id").onDelete("cascade"))
    // going | waiting | maybe | not_going
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("note", "text")
    // Arrival order within the workshop, given in the registering transaction (1, 2, …): the waitlist's order.
    .addColumn("arrival", "integer", (c) => c.notNull())
    .addColumn("created_at", "integer", (c) => c.notNull())
    .addColumn("updated_at", "integer", (c) => c.notNull())
    .addPrimaryKeyConstraint("workshop_registration_pk", ["workshop_id", "user_id"])
    .execute();
  await db.schema.createIndex("workshop_registration_status").on("workshop_registration").columns(["workshop_id", "status", "arrival"]).execute();
  await db.schema.createIndex("workshop_registration_user").on("workshop_registration").column("user_id").execute();

  // Who came, recorded after the workshop: the registered ticked off, plus walk-ins among the members.
  await db.schema
    .createTable("workshop_attendance")
    .addColumn("workshop_id", "text", (c) => c.notNull().references("workshop.id").onDelete("cascade"))
    .addColumn("user_id", "text", (c) => c.notNull().references("user.id").onDelete("cascade"))
    .addColumn("walk_in", "integer", (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint("workshop_attendance_pk", ["workshop_id", "user_id"])
    .execute();

  // Materials: a wiki page or a file of the space; `shared` shows it to the network when the workshop is open to it.
  await db.schema
    .createTable("workshop_material")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("workshop_id", "text", (c) => c.notNull().references("workshop.id").onDelete("cascade"))
    .addColumn("page_id", "text", (c) => c.references("page.id").onDelete("cascade"))
    .addColumn("file_id", "text", (c) => c.references("file.id").onDelete("cascade"))
    .addColumn("shared", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("position", "integer", (c) => c.notNull())
    .addColumn("added_by", "text", (c) => c.references("user.id").onDelete("set null"))
    .addColumn("added_at", "integer", (c) => c.notNull())
    .addCheckConstraint("workshop_material_one_target", sql`(page_id IS NULL) <> (file_id IS NULL)`)
    .execute();
  await db.schema.createIndex("workshop_material_workshop").on("workshop_material").columns(["workshop_id", "position"]).execute();
  await db.schema.createIndex("workshop_material_file").on("workshop_material").column("file_id").execute();
  await db.schema.createIndex("workshop_material_page").on("workshop_material").column("page_id").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("workshop_material").execute();
  await db.schema.dropTable("workshop_attendance").execute();
  await db.schema.dropTable("workshop_registration").execute();
  await db.schema.dropTable("workshop_facilitator").execute();
  await db.schema.dropTable("workshop").execute();
  await db.schema.alterTable("space").dropColumn("reminder_late_minutes").execute();
  await db.schema.alterTable("space").dropColumn("reminder_early_minutes").execute();
  await db.schema.dropIndex("user_calendar_token").execute();
  await db.schema.alterTable("user").dropColumn("calendar_token_hash").execute();
}
