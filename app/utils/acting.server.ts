import type { Locale, Space, SpaceMember, User } from "#db/schema.ts";
import type { Actor } from "#app/policies/actor.ts";
import { getEnv } from "./env.server.ts";
import { mailConfigured } from "./mail.server.ts";
import { networkInfo } from "./network.server.ts";
import { clientIp } from "./request.server.ts";

/**
 * The acting context a command receives, built here from what the route
 * already knows (the signed-in user, the space it loaded) and the request's
 * circumstances. Commands read nothing else of the request: a background job
 * or a test builds the same object by hand.
 */

/** When and from where: what every command records (audit lines, times). */
export interface Moment {
  ip: string;
  now: number;
}

/** A signed-in person acting. */
export interface Acting extends Moment {
  actor: Actor;
  user: User;
}

/** A signed-in person acting in one space, as loadSpace found it. */
export interface ActingInSpace extends Acting {
  space: Space;
  membership: SpaceMember | undefined;
}

/**
 * The part of ActingInSpace a command reads, named field by field: a route
 * passes its whole context, a job or a test builds only these. Every
 * feature's commands take this one context (no CommentActing, FileActing…
 * of their own shape).
 */
export type ActingParts<K extends keyof ActingInSpace> = Pick<ActingInSpace, K>;

/**
 * The server's own housekeeping acting in a space (the trash's purge after
 * its retention period): nobody signed in, so no actor; the audit entries it
 * leaves say "automatic".
 */
export interface Housekeeping extends Moment {
  space: Pick<Space, "id">;
  actor: null;
}

/**
 * What the mails a command queues need. Read before the transaction opens:
 * a transaction holds the one connection until it ends.
 */
export interface Letterhead {
  network: { name: string; locale: Locale };
  /** BASE_URL: links in mails never follow the Host a request named. */
  baseUrl: URL;
  /** Whether an SMTP server is configured; without one an invitation's link is shown to its sender. */
  mailConfigured: boolean;
  /** MAIL_FROM: the sender, and the organizer a calendar invitation names. */
  mailFrom: string;
  /** MAIL_REPLY_TO: where answers by mail go (app/mail/replies.server.ts); unset, mails cannot be answered. */
  mailReplyTo?: string | null;
}

/** Adds the moment (the visitor's address, now) to who acts. */
export function acting<T extends object>(who: T, loadContext: unknown, now = Date.now()): T & Moment {
  return { ...who, ip: clientIp(loadContext), now };
}

export async function letterhead(): Promise<Letterhead> {
  const env = getEnv();
  return { network: await networkInfo(), baseUrl: env.baseUrl, mailConfigured: mailConfigured(), mailFrom: env.mailFrom, mailReplyTo: env.mailReplyTo };
}
