import type { Executor } from "#db/client.ts";
import { digestOf } from "#db/queries/digests.ts";
import { getNetwork } from "#db/queries/network.ts";
import { findById } from "#db/queries/users.ts";
import { isLocale } from "#app/i18n/index.ts";
import type { Mail } from "#app/mail/compose.ts";
import { linkSigner } from "#app/mail/links.server.ts";
import { unsubscribeUrl } from "#app/mail/unsubscribe.server.ts";
import { getEnv } from "#app/utils/env.server.ts";
import { digestContent } from "./content.server.ts";
import { digestMail } from "./mail.ts";

/**
 * A digest's mail, composed when the outbox sends it (as a notification's
 * is): what the member may read then, still unseen. Null — the outbox then
 * cancels the mail — when the digest or its member is gone, when they
 * stopped digests meanwhile, or when nothing is left to tell.
 */
export async function composeDigestMail(db: Executor, digestId: string, to: string): Promise<Mail | null> {
  const digest = await digestOf(db, digestId);
  if (!digest) return null;
  const user = await findById(db, digest.user_id);
  if (!user || user.digest_frequency === "off") return null;
  const content = await digestContent(db, user, { since: digest.since, until: digest.until }, Date.now());
  if (content.total === 0) return null;
  const network = await getNetwork(db);
  const baseUrl = getEnv().baseUrl;
  const signer = await linkSigner(db);
  return digestMail({
    to,
    locale: isLocale(user.locale) ? user.locale : isLocale(network?.default_locale) ? network.default_locale : "fr",
    network: network?.name ?? "Cercle",
    name: user.display_name,
    frequency: digest.frequency,
    since: digest.since,
    readerZone: user.time_zone,
    content,
    baseUrl,
    settingsUrl: new URL("/settings/notifications", baseUrl).href,
    unsubscribeUrl: unsubscribeUrl(signer, baseUrl, user.id, "digest"),
  });
}
