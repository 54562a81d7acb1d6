import type { Executor } from "../client.ts";
import { newId } from "../ids.ts";

export type AuditEvent =
  | "network_created"
  | "sign_in"
  | "sign_in_failed"
  | "sign_in_throttled"
  | "sign_out"
  | "password_changed"
  | "password_reset_requested"
  | "password_reset"
  | "session_revoked"
  | "space_created"
  | "space_updated"
  | "space_archived"
  | "space_unarchived"
  | "invitation_created"
  | "invitation_approved"
  | "invitation_refused"
  | "invitation_revoked"
  | "invitation_accepted"
  | "invitation_link_shown"
  | "invitation_link_renewed"
  | "join_requested"
  | "join_approved"
  | "join_refused"
  | "role_changed"
  | "member_removed"
  | "member_left"
  | "file_purged"
  | "folder_purged"
  | "upload_cancelled"
  | "comment_moderated"
  | "ask_moderated"
  | "conversation_reported"
  | "conversation_report_handled"
  | "workshop_scheduled"
  | "workshop_cancelled"
  | "workshop_deleted"
  | "workshop_restored"
  | "workshop_attendance_recorded"
  | "account_deletion_requested"
  | "account_deletion_cancelled"
  | "account_deleted"
  | "data_export_requested"
  | "data_export_ready"
  | "data_export_downloaded"
  | "share_link_created"
  | "share_link_opened"
  | "share_link_revoked"
  // Second factors at sign-in (issue 20).
  | "second_factor_enabled"
  | "second_factor_disabled"
  | "second_factor_failed"
  | "second_factor_throttled"
  | "second_factor_reset"
  | "second_factor_requirement_changed"
  | "recovery_codes_renewed"
  | "recovery_code_used"
  // Passkeys (issue 20).
  | "passkey_added"
  | "passkey_renamed"
  | "passkey_removed"
  | "passkey_sign_in"
  | "passkey_failed"
  // The network admin's console (issue 20).
  | "account_deactivated"
  | "account_reactivated"
  | "sign_in_deactivated"
  | "network_updated"
  | "audit_exported";

export async function audit(
  db: Executor,
  input: {
    event: AuditEvent;
    actorId: string | null;
    ip: string;
    spaceId?: string | null;
    targetUserId?: string | null;
    data?: Record<string, unknown>;
    now: number;
  },
) {
  await db
    .insertInto("audit_log")
    .values({
      id: newId(),
      actor_id: input.actorId,
      event: input.event,
      space_id: input.spaceId ?? null,
      target_user_id: input.targetUserId ?? null,
      data: JSON.stringify(input.data ?? {}),
      ip: input.ip,
      created_at: input.now,
    })
    .execute();
}

/** Newest first; `before` is the last row of the previous page (time and id: several events can share a millisecond). */
export function listAudit(db: Executor, options: { before?: { at: number; id: string }; event?: string; limit: number }) {
  let query = db
    .selectFrom("audit_log as a")
    .leftJoin("user as actor", "actor.id", "a.actor_id")
    .leftJoin("user as target", "target.id", "a.target_user_id")
    .leftJoin("space as s", "s.id", "a.space_id")
    .select([
      "a.id",
      "a.event",
      "a.data",
      "a.ip",
      "a.created_at",
      "actor.display_name as actor_name",
      "actor.email as actor_email",
      "target.display_name as target_name",
      "s.name as space_name",
      "s.slug as space_slug",
    ]);
  const before = options.before;
  if (before) {
    query = query.where((eb) =>
      eb.or([eb("a.created_at", "<", before.at), eb.and([eb("a.created_at", "=", before.at), eb("a.id", "<", before.id)])]),
    );
  }
  if (options.event) query = query.where("a.event", "=", options.event);
  return query.orderBy("a.created_at", "desc").orderBy("a.id", "desc").limit(options.limit).execute();
}
