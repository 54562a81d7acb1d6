import type { Job } from "#app/jobs/scheduler.server.ts";
import { send } from "#app/mail/outbox.server.ts";
import { getDb } from "#app/utils/db.server.ts";
import { sendDueDigests } from "./commands.server.ts";

/**
 * The primary's digest sweep, every five minutes: a member's 8:00 is met
 * within five minutes of it, in any zone (offsets are whole quarter hours).
 */
export const digestJob: Job = { name: "digests", everyMs: 5 * 60_000, run: ({ now }) => sendDueDigests(getDb(), now, send) };
