import { linkSigner } from "#app/mail/links.server.ts";
import { unsubscribeUrl } from "#app/mail/unsubscribe.server.ts";
import type { Executor } from "#db/client.ts";
import type { Locale, Space, Workshop } from "#db/schema.ts";
import { findCalendarWorkshop } from "#db/queries/workshop-calendar.ts";
import * as recipients from "#db/queries/workshop-mail.ts";
import { isLocale } from "#app/i18n/index.ts";
import { queueMails } from "#app/mail/outbox.server.ts";
import type { Letterhead } from "#app/utils/acting.server.ts";
import { workshopUrl } from "#app/urls.ts";
import { notify } from "#app/notifications/commands.server.ts";
import { workshopAnnouncementMail, workshopRegisteredMail, type RegisteredChange } from "./mail.ts";

/**
 * Queues the workshop mails inside the caller's transaction (so they exist
 * exactly when its change committed); the caller sends the ids it gets back
 * once committed. Who gets one is each person's choice (notify() says who
 * takes the kind by mail): an announcement, to the club's members; a
 * change, a cancellation or a promotion, to those it concerns.
 */

type WorkshopFacts = Pick<Workshop, "id" | "title" | "starts_at" | "ends_at" | "time_zone" | "place" | "video_url">;

const localeOf = (person: { locale: string | null }, head: Letterhead): Locale => (isLocale(person.locale) ? person.locale : head.network.locale);
const absolute = (path: string, head: Letterhead) => new URL(path, head.baseUrl).href;

/**
 * "A new workshop in your club": the space's members hear of it as each
 * chose (notify: in the app, by mail, not at all), but the one who
 * scheduled it; the mail is this one, with what a calendar needs.
 */
export async function announceWorkshop(
  trx: Executor,
  input: { workshop: WorkshopFacts; space: Pick<Space, "id" | "name" | "slug">; by: { id: string; display_name: string }; proposedBy?: string | null; head: Letterhead; now: number },
): Promise<string[]> {
  const { workshop, space, by, head } = input;
  const { mailTo } = await notify(trx, {
    kind: "workshopAnnounced",
    spaceId: space.id,
    owner: { kind: "workshop", id: workshop.id },
    actorId: by.id,
    // Its proposer hears that it was accepted (workshopAccepted), not that it was announced.
    recipients: await recipients.memberIds(trx, space.id, input.proposedBy ? [by.id, input.proposedBy] : [by.id]),
    ownMail: true,
    now: input.now,
  });
  const people = await recipients.peopleByIds(trx, workshop.id, mailTo);
  const url = absolute(workshopUrl(space.slug, workshop.id), head);
  const signer = await linkSigner(trx);
  const mails = people.map((p) => ({
    mail: workshopAnnouncementMail({
      to: p.email,
      locale: localeOf(p, head),
      network: head.network.name,
      readerZone: p.time_zone,
      workshop,
      space: space.name,
      url,
      name: by.display_name,
      settingsUrl: absolute("/settings/notifications", head),
      unsubscribeUrl: unsubscribeUrl(signer, head.baseUrl, p.id, "workshopAnnounced"),
    }),
  }));
  return queueMails(trx, mails, input.now);
}

/** The choice (app/notifications/choices.ts) each change's mail is heard by. */
const CHANGE_KIND = { changed: "workshopChanged", cancelled: "workshopCancellation", promoted: "workshopPromoted" } as const satisfies Record<RegisteredChange, string>;

/** Who hears of a change to what they registered for: those going, waiting or maybe (not those who said no). */
const CONCERNED = ["going", "waiting", "maybe"] as const;

/**
 * To those registered (or only `userIds`): the workshop changed, was
 * cancelled, or a seat freed up for them. Each mail carries the event as that
 * person's calendar should now hold it (their own answer in it; METHOD:CANCEL
 * once cancelled), read from the workshop as this transaction leaves it, so
 * the SEQUENCE is the one just raised and the calendar updates itself.
 */
export async function mailRegistered(
  trx: Executor,
  input: {
    workshop: WorkshopFacts;
    space: Pick<Space, "id" | "name" | "slug">;
    change: RegisteredChange;
    reason?: string | null;
    userIds?: string[];
    head: Letterhead;
    now: number;
  },
): Promise<string[]> {
  const { workshop, space, head } = input;
  const people = input.userIds ? await recipients.peopleByIds(trx, workshop.id, input.userIds) : await recipients.registeredRecipients(trx, workshop.id, CONCERNED);
  if (people.length === 0) return [];
  const url = absolute(workshopUrl(space.slug, workshop.id), head);
  const current = await findCalendarWorkshop(trx, space.id, workshop.id);
  // Loaded at the first such mail, not at start (ical-generator, Luxon), as the .ics route does.
  const { workshopInvitation } = await import("./ics.server.ts");
  const signer = await linkSigner(trx);
  const mails = people.map((p) => {
    const locale = localeOf(p, head);
    const calendar = current
      ? workshopInvitation(
          { ...current, space_slug: space.slug },
          {
            baseUrl: head.baseUrl,
            networkName: head.network.name,
            organizerEmail: head.mailFrom,
            locale,
            now: input.now,
            // Those it concerns registered: they may come, so their calendar has the call's link.
            mayAttend: true,
            attendee: { name: p.display_name, email: p.email, status: p.status ?? null },
          },
        )
      : undefined;
    return {
      mail: workshopRegisteredMail({
        to: p.email,
        locale,
        network: head.network.name,
        readerZone: p.time_zone,
        workshop,
        space: space.name,
        url,
        change: input.change,
        reason: input.reason ?? null,
        calendar,
        unsubscribeUrl: unsubscribeUrl(signer, head.baseUrl, p.id, CHANGE_KIND[input.change]),
      }),
    };
  });
  return queueMails(trx, mails, input.now);
}
