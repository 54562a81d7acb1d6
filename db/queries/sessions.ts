import { sha256 } from "@oslojs/crypto/sha2";
import { constantTimeEqual } from "@oslojs/crypto/subtle";
import type { Executor } from "../client.ts";
import { preparedFirst } from "../prepared.ts";
import type { Session, User } from "../schema.ts";
import { newId } from "../ids.ts";
import { newSecret } from "../tokens.ts";

/**
 * Sessions as the Lucia guide ("Sessions", lucia-auth.com) builds them: the
 * token is `id.secret`; only SHA-256(secret) is stored and compared in
 * constant time, so reading the session table does not let anyone sign in.
 */

export interface SessionLifetimes {
  /** A session unused this long ends. */
  idleMs: number;
  /** A session ends this long after sign-in, however busy. */
  absoluteMs: number;
}

/** last_seen_at is written at most this often, so reads stay reads. */
const TOUCH_EVERY_MS = 60_000;

function hashSecret(secret: string): Uint8Array {
  return sha256(new TextEncoder().encode(secret));
}

export async function createSession(
  db: Executor,
  input: { userId: string; userAgent: string; ip: string; now: number },
): Promise<{ token: string; session: Session }> {
  const id = newId();
  const secret = newSecret();
  const session: Session = {
    id,
    user_id: input.userId,
    secret_hash: hashSecret(secret),
    created_at: input.now,
    last_seen_at: input.now,
    user_agent: input.userAgent.slice(0, 512),
    ip: input.ip.slice(0, 64),
  };
  await db.insertInto("session").values(session).execute();
  return { token: `${id}.${secret}`, session };
}

export function isExpired(session: Pick<Session, "created_at" | "last_seen_at">, lifetimes: SessionLifetimes, now: number) {
  return now - session.last_seen_at >= lifetimes.idleMs || now - session.created_at >= lifetimes.absoluteMs;
}

// Every request runs it: compiled once (db/prepared.ts).
const sessionWithUser = preparedFirst((db, id: string) =>
  db
    .selectFrom("session")
    .innerJoin("user", "user.id", "session.user_id")
    .selectAll("user")
    .select([
      "session.id as session_id",
      "session.secret_hash",
      "session.created_at as session_created_at",
      "session.last_seen_at",
      "session.user_agent",
      "session.ip",
    ])
    .where("session.id", "=", id),
);

export async function validateSessionToken(
  db: Executor,
  token: string,
  lifetimes: SessionLifetimes,
  now: number,
): Promise<{ session: Session; user: User } | null> {
  const parts = token.split(".");
  if (parts.length !== 2 || !parts[0] || !parts[1]) return null;
  const [id, secret] = parts;
  const row = await sessionWithUser(db, id);
  if (!row) return null;
  if (!constantTimeEqual(new Uint8Array(row.secret_hash), hashSecret(secret))) return null;

  const { session_id, secret_hash, session_created_at, last_seen_at, user_agent, ip, ...user } = row;
  const session: Session = {
    id: session_id,
    user_id: user.id,
    secret_hash,
    created_at: session_created_at,
    last_seen_at,
    user_agent,
    ip,
  };
  // Deactivated by a network admin: its sessions were deleted then, and any started since (a password reset) is refused too.
  if (isExpired(session, lifetimes, now) || user.deactivated_at !== null) {
    await deleteSession(db, session.id);
    return null;
  }
  if (now - session.last_seen_at >= TOUCH_EVERY_MS) {
    await db.updateTable("session").set({ last_seen_at: now }).where("id", "=", session.id).execute();
    session.last_seen_at = now;
  }
  return { session, user };
}

export async function deleteSession(db: Executor, sessionId: string) {
  await db.deleteFrom("session").where("id", "=", sessionId).execute();
}

/** Deletes one of the user's sessions; a session id of someone else's deletes nothing. */
export async function deleteUserSession(db: Executor, userId: string, sessionId: string): Promise<boolean> {
  const result = await db
    .deleteFrom("session")
    .where("id", "=", sessionId)
    .where("user_id", "=", userId)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export async function deleteOtherSessions(db: Executor, userId: string, keepSessionId: string | null) {
  let query = db.deleteFrom("session").where("user_id", "=", userId);
  if (keepSessionId) query = query.where("id", "!=", keepSessionId);
  const result = await query.executeTakeFirst();
  return Number(result.numDeletedRows);
}

export function listUserSessions(db: Executor, userId: string) {
  return db
    .selectFrom("session")
    .select(["id", "created_at", "last_seen_at", "user_agent", "ip"])
    .where("user_id", "=", userId)
    .orderBy("last_seen_at", "desc")
    .execute();
}

/** Sessions past either lifetime: they can no longer sign anyone in, only fill the table. Returns how many went. */
export async function deleteExpiredSessions(db: Executor, lifetimes: SessionLifetimes, now: number): Promise<number> {
  const result = await db
    .deleteFrom("session")
    .where((eb) => eb.or([eb("last_seen_at", "<=", now - lifetimes.idleMs), eb("created_at", "<=", now - lifetimes.absoluteMs)]))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
