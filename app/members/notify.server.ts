import type { Executor } from "#db/client.ts";
import { listAdmins } from "#db/queries/members.ts";
import type { Space } from "#db/schema.ts";
import type { QueuedMail } from "#app/mail/outbox.server.ts";
import { notify } from "#app/notifications/commands.server.ts";
import type { KnownNotificationKind } from "#app/notifications/kinds.ts";

/**
 * Membership's notifications (issue 18): about the club itself, in the bell
 * and as each person chose; the mail, when they take it, is membership's own
 * (it quotes the co-optation's message, names the invitee) — so notify() is
 * told `ownMail` and only says who takes it.
 */

type Admin = Awaited<ReturnType<typeof listAdmins>>[number];

/** A decision waits: each admin of the space but the one who caused it hears of it; the mails go to those who take them. */
export async function tellAdmins(trx: Executor, about: { space: Pick<Space, "id">; actorId: string; now: number }, mails: (admins: Admin[]) => QueuedMail[] | Promise<QueuedMail[]>): Promise<QueuedMail[]> {
  const admins = (await listAdmins(trx, about.space.id)).filter((a) => a.id !== about.actorId);
  const { mailTo } = await notify(trx, {
    kind: "approvalWaiting",
    spaceId: about.space.id,
    owner: { kind: "space", id: about.space.id },
    actorId: about.actorId,
    recipients: admins.map((a) => a.id),
    ownMail: true,
    now: about.now,
  });
  return mails(admins.filter((a) => mailTo.includes(a.id)));
}

/** An answer to one person (a co-optation decided, a request to join answered): whether they take it by mail. */
export async function tellOne(trx: Executor, input: { kind: Extract<KnownNotificationKind, "cooptationResult" | "joinAnswered">; space: Pick<Space, "id">; actorId: string; userId: string; now: number }): Promise<boolean> {
  const { mailTo } = await notify(trx, {
    kind: input.kind,
    spaceId: input.space.id,
    owner: { kind: "space", id: input.space.id },
    actorId: input.actorId,
    recipients: [input.userId],
    ownMail: true,
    now: input.now,
  });
  return mailTo.includes(input.userId);
}
