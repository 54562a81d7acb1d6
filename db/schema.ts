import type { Generated, Insertable, Selectable, Updateable } from "kysely";
import type { NotificationOwnerKind, OwnerKind } from "./owners.ts";
import type { Audience, Listing, Region } from "./profile-fields.ts";

/** Times are integer milliseconds since the epoch; booleans are 0/1 integers. */

export const SPACE_KINDS = ["trade_club", "regional_circle", "project_group"] as const;
export type SpaceKind = (typeof SPACE_KINDS)[number];

export const VISIBILITIES = ["secret", "listed", "open"] as const;
export type Visibility = (typeof VISIBILITIES)[number];

export const JOIN_POLICIES = ["admins_invite", "coopt_approval", "coopt_direct"] as const;
export type JoinPolicy = (typeof JOIN_POLICIES)[number];

export const ROLES = ["admin", "editor", "member", "guest"] as const;
export type Role = (typeof ROLES)[number];

export const PROFESSIONAL_STATUSES = ["independent", "company", "partner", "retired", "other"] as const;
export type ProfessionalStatus = (typeof PROFESSIONAL_STATUSES)[number];

/**
 * Who may write to a member directly, by their own choice (issue 16):
 * members of their clubs; those, and any network member after a contact
 * request the member accepts; nobody.
 */
export const CONTACT_POLICIES = ["clubs", "network", "nobody"] as const;
export type ContactPolicy = (typeof CONTACT_POLICIES)[number];

export const LOCALES = ["fr", "en"] as const;
export type Locale = (typeof LOCALES)[number];

export type InvitationStatus = "pending_approval" | "sent" | "accepted" | "refused" | "revoked";
export type JoinRequestStatus = "pending" | "approved" | "refused" | "withdrawn";

export interface NetworkTable {
  id: string;
  name: string;
  default_locale: Locale;
  created_at: number;
  /** 1: network admins and space admins must have a second factor (issue 20, migration 20261211_0900). */
  second_factor_required: Generated<number>;
  /** The admin console's settings (migration 20261211_1000): the logo's storage key and the mail sender; null keeps the default. */
  logo_key: Generated<string | null>;
  mail_from_name: Generated<string | null>;
  mail_from_address: Generated<string | null>;
}

export interface SetupTokenTable {
  token_hash: string;
  created_at: number;
}

export interface UserTable {
  id: string;
  email: string;
  display_name: string;
  password_hash: string;
  is_network_admin: number;
  headline: string;
  bio: string;
  /** JSON array of strings */
  skills: string;
  /** A code of REGIONS (db/profile-fields.ts), or "" when not said. */
  region: Region | "";
  professional_status: ProfessionalStatus | null;
  locale: Locale | null;
  sponsor_id: string | null;
  created_at: number;
  updated_at: number;
  /** IANA zone the person types dates in (a scheduled post's moment). */
  time_zone: Generated<string>;
  /** SHA-256 of the token in their private feed addresses; null until they ask for one; making new ones replaces it, recovering the account (reset or change of password) clears it. */
  feed_token_hash: string | null;
  /** Hash of the token in the personal calendar address (shown once, reset in settings). */
  calendar_token_hash: string | null;
  // The profile (issue 15). `bio` holds Lexical JSON (the comment node list), bio_html its allow-listed HTML.
  bio_html: Generated<string>;
  city: Generated<string>;
  /** JSON arrays of SECTORS and LANGUAGES codes. */
  sectors: Generated<string>;
  languages: Generated<string>;
  /** https addresses, or "". */
  website: Generated<string>;
  linkedin: Generated<string>;
  /** Bits of OPEN_TO. */
  open_to: Generated<number>;
  /** YYYY-MM-DD, or null. */
  available_from: string | null;
  /** The current photo (its sizes are stored under photoKey), or null: initials. */
  photo_id: string | null;
  /**
   * Searchable forms (db/text.ts searchable): folded, words separated by
   * single spaces, with a leading space so that one LIKE '% word%' is a
   * word-prefix match. Written with the text they come from.
   */
  name_search: Generated<string>;
  headline_search: Generated<string>;
  skills_search: Generated<string>;
  /** Who finds the profile: the whole network, or only the members of my clubs. */
  listing: Generated<Listing>;
  vis_photo: Generated<Audience>;
  vis_headline: Generated<Audience>;
  vis_bio: Generated<Audience>;
  vis_skills: Generated<Audience>;
  vis_sectors: Generated<Audience>;
  vis_region: Generated<Audience>;
  vis_city: Generated<Audience>;
  vis_status: Generated<Audience>;
  vis_languages: Generated<Audience>;
  vis_links: Generated<Audience>;
  vis_open_to: Generated<Audience>;
  vis_email: Generated<Audience>;
  /** Who may write to them (CONTACT_POLICIES); "network" by default: strangers may only ask. */
  contact_policy: Generated<ContactPolicy>;
  /** The latest visit of the home, and the moment before which its items count as seen (the previous visit). */
  home_visit_at: number | null;
  home_seen_at: number | null;
  /** How often the digest comes (app/digests); weekly by default. */
  digest_frequency: Generated<DigestFrequency>;
  /** The end of what their last digest covered; null before the first. */
  digest_until: number | null;
  /** Account deletion (migration 20261210_1000, app/accounts/deletion.server.ts): asked at, carried out from, what happens to what they wrote; deleted_at once done. */
  deletion_requested_at: Generated<number | null>;
  deletion_due_at: Generated<number | null>;
  deletion_mode: Generated<DeletionMode | null>;
  deleted_at: Generated<number | null>;
  /** Deactivated by a network admin (migration 20261211_1000, app/admin/): no sign-in, out of the directory, content kept; null when active. */
  deactivated_at: Generated<number | null>;
  deactivated_by: Generated<string | null>;
  /** The latest sign-in (password or other factor), for the admin console; null before the first. */
  last_sign_in_at: Generated<number | null>;
}

/** What a deleted account's writing becomes: kept under "Former member", or removed where it is theirs alone. */
export type DeletionMode = "anonymise" | "remove";

export type DigestFrequency = "daily" | "weekly" | "off";

/** One member's digest for one period: the (user, period) pair is its claim. */
export interface DigestTable {
  id: string;
  user_id: string;
  /** The local day (YYYY-MM-DD, the member's zone) of the 8:00 it is sent at. */
  period: string;
  frequency: Exclude<DigestFrequency, "off">;
  since: number;
  until: number;
  /** What it held when queued; 0 means nothing to say, and no mail went. */
  items: number;
  created_at: number;
}

/** What a reply address answers (app/mail/replies.server.ts): one member, one thread, until it expires. */
export interface ReplyAddressTable {
  id: string;
  user_id: string;
  thread: "comment" | "conversation";
  /** A comment's thread: its space, what it is about, the comment answered. */
  space_id: string | null;
  owner_kind: OwnerKind | null;
  owner_id: string | null;
  comment_id: string | null;
  conversation_id: string | null;
  created_at: number;
  expires_at: number;
}

/** A key that signs links in mails (unsubscribe, replies), made once and shared by every server. */
export interface SigningKeyTable {
  name: string;
  /** base64 of 32 random bytes. */
  secret: string;
  created_at: number;
}

/** A member who blocked another: the blocked one can no longer write or ask for contact, and is not told. */
export interface UserBlockTable {
  blocker_id: string;
  blocked_id: string;
  created_at: number;
}

/** One row (id 1): raised by triggers with every change the directory's in-memory index holds. */
export interface DirectoryVersionTable {
  id: number;
  version: number;
}

/** One skill of a member's, by its folded key: "Négociation" and "negociation" are one skill. */
export interface UserSkillTable {
  user_id: string;
  /** fold(label), trimmed, single spaces. */
  skill_key: string;
  /** As the member wrote it. */
  label: string;
  position: number;
}

export interface SessionTable {
  id: string;
  user_id: string;
  secret_hash: Uint8Array;
  created_at: number;
  last_seen_at: number;
  user_agent: string;
  ip: string;
}

export interface PasswordResetTable {
  id: string;
  user_id: string;
  token_hash: string;
  created_at: number;
  expires_at: number;
  used_at: number | null;
  /** Set when a newer link replaced this one. */
  superseded_at: number | null;
}

export interface SignInAttemptTable {
  id: string;
  email: string;
  ip: string;
  succeeded: number;
  created_at: number;
  /** The known device (of this account) that made the attempt; null for a browser unknown to it. */
  device_id: string | null;
  /** What was typed: a password, or an authenticator or recovery code (issue 20). */
  factor: Generated<"password" | "second_factor">;
}

/** A browser that has signed in to an account: the hash of its device cookie's secret. */
export interface KnownDeviceTable {
  id: string;
  user_id: string;
  token_hash: string;
  created_at: number;
  last_used_at: number;
}

export interface SpaceTable {
  id: string;
  slug: string;
  name: string;
  kind: SpaceKind;
  description: string;
  visibility: Visibility;
  join_policy: JoinPolicy;
  storage_quota_bytes: number;
  created_by: string | null;
  created_at: number;
  archived_at: number | null;
  /** Minutes before a workshop that those going are reminded; null turns that reminder off. */
  reminder_early_minutes: Generated<number | null>;
  reminder_late_minutes: Generated<number | null>;
  /** 1 when its members may share a file or a page outside the club by a link that expires (issue 19); off by default. */
  share_links: Generated<number>;
}

export interface SpaceMemberTable {
  space_id: string;
  user_id: string;
  role: Role;
  sponsor_id: string | null;
  joined_at: number;
}

export interface InvitationTable {
  id: string;
  space_id: string;
  email: string;
  role: Role;
  message: string;
  sponsor_id: string;
  token_hash: string | null;
  status: InvitationStatus;
  created_at: number;
  expires_at: number | null;
  decided_by: string | null;
  decided_at: number | null;
  refusal_reason: string | null;
  accepted_by: string | null;
  accepted_at: number | null;
  /** When the link was shown to its sender (mail failed or not configured); null while only mail carried it. */
  link_revealed_at: number | null;
}

export interface JoinRequestTable {
  id: string;
  space_id: string;
  user_id: string;
  message: string;
  status: JoinRequestStatus;
  created_at: number;
  decided_by: string | null;
  decided_at: number | null;
  refusal_reason: string | null;
}

export interface ActivityTable {
  id: string;
  space_id: string;
  actor_id: string | null;
  verb: string;
  /** JSON object with what the verb needs to be told (names, roles). */
  data: string;
  created_at: number;
}

export interface AuditLogTable {
  id: string;
  actor_id: string | null;
  event: string;
  space_id: string | null;
  target_user_id: string | null;
  /** JSON object */
  data: string;
  ip: string;
  created_at: number;
}

export interface PageTable {
  id: string;
  space_id: string;
  parent_id: string | null;
  slug: string;
  title: string;
  /** The title folded (lower case, no accents): what title search compares. */
  title_search: string;
  /** Order among siblings, ascending. */
  position: number;
  /** The current revision's content: Lexical JSON, and what the server derived from it. */
  content_json: string;
  content_html: string;
  content_text: string;
  /** Number of the current revision; a save must name it (optimistic concurrency). */
  revision: number;
  created_by: string | null;
  created_at: number;
  updated_by: string | null;
  updated_at: number;
  /** Set while the page is in the space's trash. */
  deleted_at: number | null;
  deleted_by: string | null;
}

export interface PageRevisionTable {
  id: string;
  page_id: string;
  number: number;
  title: string;
  content_json: string;
  content_text: string;
  summary: string;
  author_id: string | null;
  created_at: number;
}

export interface PageAliasTable {
  space_id: string;
  slug: string;
  page_id: string;
}

export interface WikiImageTable {
  id: string;
  space_id: string;
  /** Sniffed from the bytes, never taken from the client. */
  content_type: string;
  size: number;
  sha256: string;
  uploaded_by: string | null;
  created_at: number;
}

export interface PageLinkTable {
  from_page_id: string;
  to_page_id: string;
}

export interface FolderTable {
  id: string;
  space_id: string;
  /** null at the top of the space's files. */
  parent_id: string | null;
  name: string;
  /** The name folded (NFC, lower case): live names in one folder never fold alike. */
  name_key: string;
  created_by: string | null;
  created_at: number;
  updated_at: number;
  deleted_at: number | null;
  deleted_by: string | null;
  /** The trashed folder whose deletion took this one along; null if deleted itself. */
  trashed_with: string | null;
}

export interface FileTable {
  id: string;
  space_id: string;
  folder_id: string | null;
  name: string;
  name_key: string;
  /** Number, size and type of the current version, kept here for listings. */
  version: number;
  size: number;
  content_type: string;
  has_thumbnail: number;
  created_by: string | null;
  created_at: number;
  updated_by: string | null;
  updated_at: number;
  deleted_at: number | null;
  deleted_by: string | null;
  trashed_with: string | null;
}

export interface FileVersionTable {
  id: string;
  file_id: string;
  space_id: string;
  number: number;
  storage_key: string;
  size: number;
  /** Sniffed from the bytes on the server, never taken from the client. */
  content_type: string;
  sha256: string;
  thumbnail_key: string | null;
  original_name: string;
  uploaded_by: string | null;
  created_at: number;
}

export interface UploadTable {
  /** The tus upload id, also the storage key of its bytes. */
  id: string;
  space_id: string;
  folder_id: string | null;
  user_id: string;
  /** The file this upload becomes a new version of, if any. */
  file_id: string | null;
  name: string;
  /** Declared length: held against the space's quota while the upload is alive (active_at recent, not finished). */
  size: number;
  created_at: number;
  /** When its parts are swept (a day after its last activity, or after it finished). */
  expires_at: number;
  /** Its last byte received, or its creation. */
  active_at: Generated<number>;
  /** Bytes received so far, as last recorded. */
  received: Generated<number>;
  /** The file it became: set once, in the transaction that records the file. */
  finished_file_id: string | null;
}

/** tus's lock on an upload, shared by every worker process (app/files/upload-locker.server.ts). */
export interface UploadLockTable {
  /** The tus upload id. */
  upload_id: string;
  /** Random id of the lock instance (one request) that holds it. */
  holder: string;
  acquired_at: number;
  /** Pushed forward by the holder's heartbeat; once past, the holder is presumed dead and the lock is free. */
  expires_at: number;
  /** Set by a request waiting for the lock: the holder then winds its request down. */
  release_requested_at: number | null;
}

export interface PageFileTable {
  page_id: string;
  file_id: string;
}


export type PostState = "draft" | "scheduled" | "published" | "unpublished";
export type PostVisibility = "space" | "network";

export interface PostTable {
  id: string;
  space_id: string;
  slug: string;
  title: string;
  excerpt: string;
  /** 1 while the excerpt is derived from the content; 0 once the author wrote one. */
  excerpt_auto: number;
  cover_file_id: string | null;
  content_json: string;
  content_html: string;
  content_text: string;
  state: PostState;
  visibility: PostVisibility;
  /** When a scheduled post goes out (UTC ms). */
  publish_at: number | null;
  published_at: number | null;
  /** Number of the current revision; a save must name it. */
  revision: number;
  author_id: string | null;
  created_at: number;
  updated_by: string | null;
  updated_at: number;
  deleted_at: number | null;
  deleted_by: string | null;
}

export interface PostRevisionTable {
  id: string;
  post_id: string;
  number: number;
  title: string;
  excerpt: string;
  content_json: string;
  content_text: string;
  summary: string;
  author_id: string | null;
  created_at: number;
}

export interface PostTagTable {
  post_id: string;
  tag: string;
  label: string;
}

export interface PostFileTable {
  post_id: string;
  file_id: string;
}

export interface CommentTable {
  id: string;
  space_id: string;
  post_id: string | null;
  page_id: string | null;
  /** An ask's answers (issue 16), a workshop's comments; exactly one of post_id, page_id, ask_id, workshop_id is set. */
  ask_id: string | null;
  workshop_id: string | null;
  /** The comment this one answers (one level only). */
  parent_id: string | null;
  author_id: string | null;
  body_json: string;
  body_html: string;
  body_text: string;
  created_at: number;
  edited_at: number | null;
  deleted_at: number | null;
  deleted_by: string | null;
}

export interface CommentMentionTable {
  comment_id: string;
  user_id: string;
}

/** Any kind app/notifications/kinds.ts names ("mention", "reply", …); the database keeps the text. */
export type NotificationKind = string;

export interface NotificationTable {
  id: string;
  user_id: string;
  kind: NotificationKind;
  space_id: string;
  /** What it is about (db/owners.ts): a page, an article … or the club itself. */
  owner_kind: NotificationOwnerKind;
  owner_id: string;
  /** The comment it is about, when it is about one. */
  comment_id: string | null;
  actor_id: string | null;
  created_at: number;
  read_at: number | null;
  /** 1 when its person takes this kind in the digest: gathered in the next one, while unread. */
  in_digest: Generated<number>;
}

/** pending → sending (claimed by one sender) → sent, or back to pending; failed once given up. */
export type MailState = "pending" | "sending" | "sent" | "failed" | "cancelled";

/** How a member takes one kind of notification (app/notifications/choices.ts); a kind without a row has its default. */
export type Delivery = "app" | "mail" | "digest" | "off";

export interface NotificationChoiceTable {
  user_id: string;
  kind: NotificationKind;
  delivery: Delivery;
  updated_at: number;
}

/** How much of one club a member hears; a club without a row is "all". */
export type ClubLevel = "all" | "mine" | "muted";

export interface ClubNotificationLevelTable {
  user_id: string;
  space_id: string;
  level: ClubLevel;
  updated_at: number;
}

export interface MailOutboxTable {
  id: string;
  recipient: string;
  /** JSON of the composed mail (StoredMail); null for a notification's mail and once delivered over SMTP. */
  payload: string | null;
  notification_id: string | null;
  /** A digest's mail, composed when sent (app/digests). */
  digest_id: Generated<string | null>;
  invitation_id: string | null;
  state: MailState;
  attempts: Generated<number>;
  created_at: number;
  claimed_at: number | null;
  sent_at: number | null;
  last_error: string | null;
}

/** One run of a periodic job: the (name, slot) key is its claim (app/jobs/scheduler.server.ts). */
export interface JobRunTable {
  name: string;
  slot: number;
  claimed_by: string;
  claimed_at: number;
  finished_at: number | null;
  error: string | null;
}

/** A live application server on a shared PostgreSQL database (app/servers/presence.server.ts; issue 21). */
export interface AppServerTable {
  id: string;
  host: string;
  pid: number;
  storage_driver: "local" | "s3";
  started_at: number;
  seen_at: number;
}

/** One backup taken (app/backup/): by `npm run backup` ("cli") or the primary's schedule ("schedule"). */
export interface BackupRunTable {
  id: string;
  trigger: "cli" | "schedule";
  started_at: number;
  finished_at: number;
  /** 1: written and verified; 0: failed (error says why). */
  ok: number;
  /** The snapshot's folder (and the copy's bucket/prefix, for S3). */
  location: string;
  database_bytes: number | null;
  object_count: number | null;
  object_bytes: number | null;
  error: string | null;
}

export const WORKSHOP_STATES = ["proposed", "declined", "scheduled", "cancelled"] as const;
/** Stored states; "past" is read from ends_at, never stored. */
export type WorkshopState = (typeof WORKSHOP_STATES)[number];
export type WorkshopVisibility = "space" | "network";
export const REGISTRATION_STATUSES = ["going", "waiting", "maybe", "not_going"] as const;
export type RegistrationStatus = (typeof REGISTRATION_STATUSES)[number];

export interface WorkshopTable {
  id: string;
  space_id: string;
  title: string;
  state: WorkshopState;
  /** UTC ms; time_zone is the IANA zone they were given in. */
  starts_at: number;
  ends_at: number;
  time_zone: string;
  place: string | null;
  /** https only; shown only to those who may attend. */
  video_url: string | null;
  outside_speaker: string | null;
  capacity: number | null;
  registration_closes_at: number | null;
  description_json: string;
  description_html: string;
  description_text: string;
  cover_file_id: string | null;
  visibility: Generated<WorkshopVisibility>;
  /** iCalendar SEQUENCE, raised by every change a calendar must follow. */
  sequence: Generated<number>;
  /** The workshop this one continues ("schedule the next session"). */
  previous_id: string | null;
  notes_page_id: string | null;
  proposed_by: string | null;
  decided_by: string | null;
  decided_at: number | null;
  decline_reason: string | null;
  cancelled_at: number | null;
  cancel_reason: string | null;
  attendance_recorded_at: number | null;
  /** Number of the current version; an edit must name it. */
  revision: Generated<number>;
  created_by: string | null;
  created_at: number;
  updated_by: string | null;
  updated_at: number;
  deleted_at: number | null;
  deleted_by: string | null;
}

export interface WorkshopFacilitatorTable {
  workshop_id: string;
  user_id: string;
}

export interface WorkshopRegistrationTable {
  workshop_id: string;
  user_id: string;
  status: RegistrationStatus;
  note: string | null;
  /** Arrival order within the workshop (1, 2, …), given in the registering transaction: the waitlist's order. */
  arrival: number;
  created_at: number;
  updated_at: number;
}

export interface WorkshopAttendanceTable {
  workshop_id: string;
  user_id: string;
  walk_in: Generated<number>;
}

export interface WorkshopMaterialTable {
  id: string;
  workshop_id: string;
  page_id: string | null;
  file_id: string | null;
  /** 1: shown to the network when the workshop is open to it. */
  shared: Generated<number>;
  position: number;
  added_by: string | null;
  added_at: number;
}

export type ReminderWhich = "early" | "late";

export interface WorkshopReminderTable {
  workshop_id: string;
  which: ReminderWhich;
  /** The start it announced: a workshop moved to another start is reminded again. */
  starts_at: number;
  sent_at: number;
  /** Mails queued; 0 when passed over (the server was down through its moment). */
  mails: number;
}

/** What an ask is after (issue 16). */
export const ASK_KINDS = ["question", "expert", "introduction", "opportunity"] as const;
export type AskKind = (typeof ASK_KINDS)[number];
/** Who reads an ask: its club's members, or every member of the network (never from a secret club). */
export const ASK_AUDIENCES = ["space", "network"] as const;
export type AskAudience = (typeof ASK_AUDIENCES)[number];

/**
 * An ask for help or an opportunity passed on, answered through the comments.
 * Open until its author resolves it or its deadline passes (closes_at, read
 * from the clock, never stored as a state); kept readable afterwards.
 */
export interface AskTable {
  id: string;
  space_id: string;
  author_id: string | null;
  kind: AskKind;
  audience: AskAudience;
  title: string;
  /** Lexical JSON (the comment editor's node list), its allow-listed HTML, its plain text. */
  body_json: string;
  body_html: string;
  body_text: string;
  /** A code of REGIONS, or "". */
  region: Region | "";
  /** The last day answers are wanted (YYYY-MM-DD), or null. */
  deadline: string | null;
  /** UTC ms of the end of that day in the author's time zone, or null. */
  closes_at: number | null;
  resolved_at: number | null;
  created_at: number;
  updated_at: number;
  /** In the space's trash (moderation, or its author) since, or null. */
  deleted_at: number | null;
  deleted_by: string | null;
}

/** The skills an ask wants, by key (db/text.ts skillKey), in the author's order. */
export interface AskSkillTable {
  ask_id: string;
  skill_key: string;
  label: string;
  position: number;
}

/** Members an ask's author thanked for their help: a profile counts the asks. */
export interface AskThanksTable {
  ask_id: string;
  user_id: string;
  created_at: number;
}

/** A private conversation of two to twenty members (issue 16): only its members ever read it. */
export interface ConversationTable {
  id: string;
  created_by: string | null;
  created_at: number;
  last_message_at: number;
}

export interface ConversationMemberTable {
  conversation_id: string;
  user_id: string;
  joined_at: number;
  /** Left, or declined the contact request it opened: no longer theirs to read. */
  left_at: number | null;
  muted: Generated<number>;
  /** Messages after this moment are unread for them. */
  last_read_at: Generated<number>;
  /** The last mail about unread messages here; none again until they have read since. */
  mailed_at: number | null;
}

export interface MessageTable {
  id: string;
  conversation_id: string;
  author_id: string | null;
  /** Lexical JSON (the comment node list), allow-listed HTML, plain text; emptied when deleted. */
  body_json: string;
  body_html: string;
  body_text: string;
  created_at: number;
  deleted_at: number | null;
}

export const CONTACT_REQUEST_STATES = ["pending", "accepted", "declined"] as const;
export type ContactRequestStatus = (typeof CONTACT_REQUEST_STATES)[number];

/** A first message to a member one shares no club with, waiting for their yes (a no is silent). */
export interface ContactRequestTable {
  id: string;
  from_id: string;
  to_id: string;
  conversation_id: string;
  state: ContactRequestStatus;
  created_at: number;
  decided_at: number | null;
}

/** A conversation reported to the network admins; report_message holds the copy of its messages. */
export interface ConversationReportTable {
  id: string;
  conversation_id: string | null;
  reporter_id: string | null;
  reason: string;
  created_at: number;
  handled_at: number | null;
  handled_by: string | null;
}

export interface ReportMessageTable {
  report_id: string;
  position: number;
  author_id: string | null;
  author_name: string;
  body_text: string;
  created_at: number;
}

export const FILE_TEXT_STATES = ["pending", "done", "unsupported", "failed"] as const;
export type FileTextState = (typeof FILE_TEXT_STATES)[number];

/** The text inside one file version, extracted in the background (app/files/text/). */
export interface FileTextTable {
  version_id: string;
  file_id: string;
  state: FileTextState;
  text: Generated<string>;
  truncated: Generated<number>;
  /** Why it was given up: too_large, timeout, memory, malformed. */
  reason: string | null;
  attempts: Generated<number>;
  claimed_by: string | null;
  claimed_until: number | null;
  created_at: number;
  finished_at: number | null;
}

/** The kinds of thing search finds in the index (people come from the directory). */
export const SEARCH_KINDS = ["page", "post", "comment", "workshop", "ask", "file", "message"] as const;
export type SearchKind = (typeof SEARCH_KINDS)[number];

/** One indexed thing: what a result shows and what filters read (migration 20261206_0900). */
export interface SearchDocTable {
  id: Generated<number>;
  kind: SearchKind;
  ref_id: string;
  space_id: string | null;
  title: string;
  body: string;
  author_id: string | null;
  at: number;
  access: string;
}

/** The FTS5 index: stems of title and body, and the access tokens; contentless. */
export interface SearchFtsTable {
  rowid: number;
  title: string;
  body: string;
  access: string;
}

/** The titles alone, for suggestions: same row numbers as search_fts. */
export interface SearchTitleTable {
  rowid: number;
  title: string;
  access: string;
}

/** What changed since it was indexed. */
export interface SearchDirtyTable {
  seq: Generated<number>;
  kind: SearchKind;
  ref_id: string;
}

export type DataExportState = "requested" | "building" | "ready" | "failed";

/** A member's export of their data (issue 19, app/exports/): built once in the background, kept 7 days once ready. */
export interface DataExportTable {
  id: string;
  user_id: string;
  state: DataExportState;
  /** Progress, in bytes of what goes in the zip. */
  done: Generated<number>;
  total: Generated<number>;
  /** The process building it, and until when its claim holds (pushed forward as it writes). */
  claimed_by: string | null;
  claimed_until: number | null;
  attempts: Generated<number>;
  /** Once ready: the zip's object, its size and how many of the member's files it holds. */
  storage_key: string | null;
  size: number | null;
  files: number | null;
  /** Once failed: why, for the member (a short code) and the log. */
  error: string | null;
  created_at: number;
  started_at: number | null;
  ready_at: number | null;
  expires_at: number | null;
  downloaded_at: number | null;
}

/** A link that shows one file or one wiki page of a space to an outsider until it expires or is revoked. */
export interface ShareLinkTable {
  id: string;
  /** SHA-256 (hex) of the token in the link; the token is shown once, to its sharer. */
  token_hash: string;
  space_id: string;
  kind: "file" | "page";
  item_id: string;
  created_by: string | null;
  created_at: number;
  expires_at: number;
  revoked_at: number | null;
  revoked_by: string | null;
  open_count: Generated<number>;
  last_opened_at: number | null;
}

/** An account's authenticator (TOTP, RFC 6238); confirmed_at null while its setup waits for a first code. */
export interface TotpFactorTable {
  user_id: string;
  secret: Uint8Array;
  created_at: number;
  confirmed_at: number | null;
  /** The last time step (unix time / 30 s) a code was accepted for: no code is accepted twice. */
  last_step: number | null;
}

/** A single-use recovery code: SHA-256 (hex) of the code, shown once. */
export interface RecoveryCodeTable {
  id: string;
  user_id: string;
  code_hash: string;
  created_at: number;
  used_at: number | null;
}

/** Between a right password and the second factor (verify) or the setup the network requires (enroll). */
export interface SignInChallengeTable {
  id: string;
  secret_hash: string;
  user_id: string;
  purpose: "verify" | "enroll";
  redirect_to: string;
  created_at: number;
  expires_at: number;
}

/** A passkey (WebAuthn credential) of an account (migration 20261212_0900). */
export interface PasskeyTable {
  id: string;
  user_id: string;
  /** The authenticator's credential id, base64url. */
  credential_id: string;
  /** COSE public key, as the authenticator gave it. */
  public_key: Uint8Array;
  counter: number;
  /** JSON array of transports ("internal", "usb", "hybrid"…), handed back to browsers as hints. */
  transports: string;
  device_type: "singleDevice" | "multiDevice";
  backed_up: number;
  name: string;
  created_at: number;
  last_used_at: number | null;
}

/** A WebAuthn challenge until its answer uses it (single use) or it expires. */
export interface WebauthnChallengeTable {
  id: string;
  /** base64url, as given to the browser. */
  challenge: string;
  user_id: string | null;
  purpose: "register" | "sign_in" | "second_factor" | "enroll";
  created_at: number;
  expires_at: number;
}

export interface Database {
  network: NetworkTable;
  share_link: ShareLinkTable;
  setup_token: SetupTokenTable;
  user: UserTable;
  user_skill: UserSkillTable;
  user_block: UserBlockTable;
  directory_version: DirectoryVersionTable;
  session: SessionTable;
  password_reset: PasswordResetTable;
  sign_in_attempt: SignInAttemptTable;
  known_device: KnownDeviceTable;
  totp_factor: TotpFactorTable;
  recovery_code: RecoveryCodeTable;
  sign_in_challenge: SignInChallengeTable;
  passkey: PasskeyTable;
  webauthn_challenge: WebauthnChallengeTable;
  space: SpaceTable;
  space_member: SpaceMemberTable;
  invitation: InvitationTable;
  join_request: JoinRequestTable;
  activity: ActivityTable;
  audit_log: AuditLogTable;
  page: PageTable;
  page_revision: PageRevisionTable;
  page_link: PageLinkTable;
  page_alias: PageAliasTable;
  wiki_image: WikiImageTable;
  folder: FolderTable;
  file: FileTable;
  file_version: FileVersionTable;
  upload: UploadTable;
  upload_lock: UploadLockTable;
  page_file: PageFileTable;
  post: PostTable;
  post_revision: PostRevisionTable;
  post_tag: PostTagTable;
  post_file: PostFileTable;
  comment: CommentTable;
  comment_mention: CommentMentionTable;
  notification: NotificationTable;
  notification_choice: NotificationChoiceTable;
  club_notification_level: ClubNotificationLevelTable;
  mail_outbox: MailOutboxTable;
  job_run: JobRunTable;
  app_server: AppServerTable;
  backup_run: BackupRunTable;
  workshop: WorkshopTable;
  workshop_facilitator: WorkshopFacilitatorTable;
  workshop_registration: WorkshopRegistrationTable;
  workshop_attendance: WorkshopAttendanceTable;
  workshop_material: WorkshopMaterialTable;
  workshop_reminder: WorkshopReminderTable;
  ask: AskTable;
  ask_skill: AskSkillTable;
  ask_thanks: AskThanksTable;
  conversation: ConversationTable;
  conversation_member: ConversationMemberTable;
  message: MessageTable;
  contact_request: ContactRequestTable;
  conversation_report: ConversationReportTable;
  report_message: ReportMessageTable;
  file_text: FileTextTable;
  search_doc: SearchDocTable;
  search_fts: SearchFtsTable;
  search_title: SearchTitleTable;
  search_dirty: SearchDirtyTable;
  digest: DigestTable;
  signing_key: SigningKeyTable;
  reply_address: ReplyAddressTable;
  data_export: DataExportTable;
}

export type User = Selectable<UserTable>;
export type Workshop = Selectable<WorkshopTable>;
export type Ask = Selectable<AskTable>;
export type Message = Selectable<MessageTable>;
export type WorkshopRegistration = Selectable<WorkshopRegistrationTable>;
export type NewUser = Insertable<UserTable>;
export type UserUpdate = Updateable<UserTable>;
export type Session = Selectable<SessionTable>;
export type KnownDevice = Selectable<KnownDeviceTable>;
export type Space = Selectable<SpaceTable>;
export type NewSpace = Insertable<SpaceTable>;
export type SpaceUpdate = Updateable<SpaceTable>;
export type SpaceMember = Selectable<SpaceMemberTable>;
export type Invitation = Selectable<InvitationTable>;
export type JoinRequest = Selectable<JoinRequestTable>;
export type Activity = Selectable<ActivityTable>;
export type AuditLog = Selectable<AuditLogTable>;
export type Network = Selectable<NetworkTable>;
export type Page = Selectable<PageTable>;
export type PageRevision = Selectable<PageRevisionTable>;
export type Folder = Selectable<FolderTable>;
export type StoredFile = Selectable<FileTable>;
export type FileVersion = Selectable<FileVersionTable>;
export type Upload = Selectable<UploadTable>;
export type UploadLock = Selectable<UploadLockTable>;
export type Post = Selectable<PostTable>;
export type PostRevision = Selectable<PostRevisionTable>;
export type Comment = Selectable<CommentTable>;
export type ShareLink = Selectable<ShareLinkTable>;
export type Notification = Selectable<NotificationTable>;
