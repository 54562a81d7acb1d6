import { findById } from "#db/queries/users.ts";
import { transact } from "#db/transact.ts";
import { queueDigest } from "#app/digests/commands.server.ts";
import { lastSendingMoment } from "#app/digests/schedule.ts";
import { chooseNotifications } from "#app/notifications/commands.server.ts";
import { CHOICES } from "#app/notifications/choices.ts";
import type { DemoWorld } from "./demo-world.ts";

const DAY = 24 * 60 * 60 * 1000;

/**
 * The digests' part of the demo. Julien chose his digest every morning, and
 * to hear of comments on what he wrote and of new workshops in it rather
 * than by mail. Amélie keeps the weekly default and has not opened Cercle
 * this week: her digest is queued through the job's own command, covering
 * the seven days since her last one, and lands in the outbox (or SMTP_URL)
 * once Cercle starts.
 */
export async function seedDemoDigests(world: DemoWorld): Promise<void> {
  const julien = world.people.julien;
  const gathered = new Set(["commentOnMine", "workshopAnnounced"]);
  await transact(world.db, (trx) =>
    chooseNotifications(
      trx,
      { user: julien, now: world.now },
      { choices: CHOICES.map((c) => ({ kind: c.kind, delivery: gathered.has(c.kind) ? "digest" : c.byDefault })), levels: [], digest: "daily" },
    ),
  );
  await world.db.updateTable("user").set({ digest_until: world.now }).where("id", "=", julien.id).execute();

  const amelie = world.people.amelie;
  await world.db.updateTable("user").set({ digest_until: world.now - 7 * DAY }).where("id", "=", amelie.id).execute();
  const member = (await findById(world.db, amelie.id))!;
  await transact(world.db, (trx) => queueDigest(trx, member, lastSendingMoment(world.now, member.time_zone, "weekly"), world.now));
}
