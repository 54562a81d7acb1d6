import type { Executor } from "#db/client.ts";
import type { Locale } from "#db/schema.ts";
import { setNetworkLogo, updateNetworkSettings } from "#db/queries/admin.ts";
import { audit } from "#db/queries/audit.ts";
import { getNetwork } from "#db/queries/network.ts";
import { canManageAccounts } from "#app/policies/network.ts";
import type { Acting } from "#app/utils/acting.server.ts";

/** The network's settings as the console's form gives them, already validated (app/admin/forms.ts). */
export interface NetworkSettingsInput {
  name: string;
  defaultLocale: Locale;
  /** Null: the deployment's MAIL_FROM holds. */
  mailFromName: string | null;
  mailFromAddress: string | null;
}

/** Saves the network's name, language and mail sender; audited with what changed (before → after). */
export async function saveNetworkSettings(
  trx: Executor,
  ctx: Pick<Acting, "actor" | "ip" | "now">,
  input: NetworkSettingsInput,
): Promise<{ ok: true; changed: string[] } | { ok: false; error: "forbidden" | "not-set-up" }> {
  if (!canManageAccounts(ctx.actor)) return { ok: false, error: "forbidden" };
  const network = await getNetwork(trx);
  if (!network) return { ok: false, error: "not-set-up" };
  const before = { name: network.name, defaultLocale: network.default_locale, mailFromName: network.mail_from_name, mailFromAddress: network.mail_from_address };
  const changes = (Object.keys(before) as Array<keyof typeof before>).filter((k) => before[k] !== input[k]);
  if (changes.length === 0) return { ok: true, changed: [] };
  await updateNetworkSettings(trx, input);
  await audit(trx, {
    event: "network_updated",
    actorId: ctx.actor.id,
    ip: ctx.ip,
    data: { changes: Object.fromEntries(changes.map((k) => [k, { from: before[k], to: input[k] }])) },
    now: ctx.now,
  });
  return { ok: true, changed: changes };
}

/** Points the network at a new logo (already stored), or at none; audited; answers the key it replaces, to delete after the commit. */
export async function changeLogo(
  trx: Executor,
  ctx: Pick<Acting, "actor" | "ip" | "now">,
  input: { logoKey: string | null },
): Promise<{ ok: true; previous: string | null } | { ok: false; error: "forbidden" | "not-set-up" }> {
  if (!canManageAccounts(ctx.actor)) return { ok: false, error: "forbidden" };
  const network = await getNetwork(trx);
  if (!network) return { ok: false, error: "not-set-up" };
  await setNetworkLogo(trx, input.logoKey);
  await audit(trx, { event: "network_updated", actorId: ctx.actor.id, ip: ctx.ip, data: { changes: { logo: { from: network.logo_key, to: input.logoKey } } }, now: ctx.now });
  return { ok: true, previous: network.logo_key };
}
