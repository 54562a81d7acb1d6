import type { Invitation, Space, User } from "#db/schema.ts";
import {
  approvalNeededMail,
  cooptApprovedMail,
  cooptRefusedMail,
  invitationMail,
  joinApprovedMail,
  joinRefusedMail,
  joinRequestMail,
} from "#app/mail/messages.ts";
import type { LinkSigner } from "#app/mail/links.server.ts";
import type { Chosen } from "#app/mail/messages.ts";
import type { QueuedMail } from "#app/mail/outbox.server.ts";
import { unsubscribeUrl } from "#app/mail/unsubscribe.server.ts";
import type { Letterhead } from "#app/utils/acting.server.ts";
import { localeOf } from "#app/utils/network.server.ts";
import * as urls from "#app/urls.ts";

/**
 * The mails membership commands queue, composed from what the command knows
 * and the letterhead (network name and language, BASE_URL). Composing is
 * pure: the commands queue them inside their transaction, the route sends
 * them after the commit.
 */

type Recipient = Pick<User, "email" | "locale" | "display_name">;
/** Someone who chose to hear of this kind (notify.server.ts): their id signs the unsubscribe link. */
type Chooser = Recipient & Pick<User, "id">;

/** Why the mail came, where to change it, and the one-click way out (app/mail/unsubscribe.server.ts). */
function chosen(kind: Chosen["kind"], person: Pick<User, "id">, letterhead: Letterhead, signer: LinkSigner): Chosen {
  return { kind, settingsUrl: link(letterhead, "/settings/notifications"), unsubscribeUrl: unsubscribeUrl(signer, letterhead.baseUrl, person.id, kind) };
}

const link = (letterhead: Letterhead, path: string) => new URL(path, letterhead.baseUrl).toString();

export const invitationUrl = (letterhead: Letterhead, secret: string) => link(letterhead, `/invitations/${secret}`);
const approvalsUrl = (letterhead: Letterhead, space: Pick<Space, "slug">) => link(letterhead, urls.approvalsUrl(space.slug));

/**
 * The mail carrying an invitation's link, queued with the invitation's id (the
 * members page reads it back when it failed). The newcomer has no language
 * setting yet: it is written in the sponsor's.
 */
export function invitationLinkMail(
  invitation: Pick<Invitation, "id" | "email" | "message">,
  secret: string,
  context: { sponsor: Recipient | undefined | null; space: Pick<Space, "name">; letterhead: Letterhead },
): QueuedMail {
  const { network } = context.letterhead;
  return {
    invitationId: invitation.id,
    mail: invitationMail({
      to: invitation.email,
      locale: localeOf(context.sponsor ?? undefined, network.locale),
      network: network.name,
      sponsor: context.sponsor?.display_name ?? "",
      space: context.space.name,
      message: invitation.message,
      url: invitationUrl(context.letterhead, secret),
    }),
  };
}

/** A co-optation waiting for approval: a word to each admin of the space. */
export function approvalNeededMails(
  admins: Chooser[],
  context: { sponsor: Recipient; invitation: Pick<Invitation, "email" | "message">; space: Pick<Space, "name" | "slug">; letterhead: Letterhead; signer: LinkSigner },
): QueuedMail[] {
  const { network } = context.letterhead;
  return admins.map((admin) => ({
    mail: approvalNeededMail({
      to: admin.email,
      locale: localeOf(admin, network.locale),
      network: network.name,
      sponsor: context.sponsor.display_name,
      email: context.invitation.email,
      space: context.space.name,
      message: context.invitation.message,
      url: approvalsUrl(context.letterhead, context.space),
      chosen: chosen("approvalWaiting", admin, context.letterhead, context.signer),
    }),
  }));
}

/** To the sponsor: their co-optation was approved, or refused (with the reason given). */
export function cooptDecidedMail(
  sponsor: Chooser,
  context: { admin: Recipient; email: string; space: Pick<Space, "name">; letterhead: Letterhead; signer: LinkSigner } & (
    | { approved: true }
    | { approved: false; reason: string }
  ),
): QueuedMail {
  const { network } = context.letterhead;
  const common = {
    to: sponsor.email,
    locale: localeOf(sponsor, network.locale),
    network: network.name,
    admin: context.admin.display_name,
    email: context.email,
    space: context.space.name,
    chosen: chosen("cooptationResult", sponsor, context.letterhead, context.signer),
  };
  return { mail: context.approved ? cooptApprovedMail(common) : cooptRefusedMail({ ...common, reason: context.reason }) };
}

/** A join request: a word to each admin of the space. */
export function joinRequestMails(
  admins: Chooser[],
  context: { requester: Recipient; message: string; space: Pick<Space, "name" | "slug">; letterhead: Letterhead; signer: LinkSigner },
): QueuedMail[] {
  const { network } = context.letterhead;
  return admins.map((admin) => ({
    mail: joinRequestMail({
      to: admin.email,
      locale: localeOf(admin, network.locale),
      network: network.name,
      name: context.requester.display_name,
      space: context.space.name,
      message: context.message,
      url: approvalsUrl(context.letterhead, context.space),
      chosen: chosen("approvalWaiting", admin, context.letterhead, context.signer),
    }),
  }));
}

/** To whoever asked to join: welcome in, or refused (with the reason given). */
export function joinDecidedMail(
  requester: Chooser,
  context: { space: Pick<Space, "name" | "slug">; letterhead: Letterhead; signer: LinkSigner } & ({ approved: true } | { approved: false; reason: string }),
): QueuedMail {
  const { network } = context.letterhead;
  const common = {
    to: requester.email,
    locale: localeOf(requester, network.locale),
    network: network.name,
    space: context.space.name,
    chosen: chosen("joinAnswered", requester, context.letterhead, context.signer),
  };
  return {
    mail: context.approved
      ? joinApprovedMail({ ...common, url: link(context.letterhead, urls.spaceUrl(context.space.slug)) })
      : joinRefusedMail({ ...common, reason: context.reason }),
  };
}
