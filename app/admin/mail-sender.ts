/**
 * The From of every mail: the deployment's MAIL_FROM, unless the network
 * admin set a name or an address of their own in the console (either one
 * alone keeps the other from MAIL_FROM). Pure: the transport and tests
 * call it. The address must be one the SMTP server may send as (SPF,
 * DKIM): the console says so beside the field.
 */
export type Sender = string | { name: string; address: string };

export function addressOf(mailFrom: string): { name: string; address: string } {
  const match = /^\s*"?([^"<]*?)"?\s*<([^>]+)>\s*$/.exec(mailFrom);
  return match ? { name: match[1].trim(), address: match[2].trim() } : { name: "", address: mailFrom.trim() };
}

export function senderOf(mailFrom: string, network: { mail_from_name: string | null; mail_from_address: string | null } | undefined): Sender {
  if (!network || (network.mail_from_name === null && network.mail_from_address === null)) return mailFrom;
  const fallback = addressOf(mailFrom);
  return { name: network.mail_from_name ?? fallback.name, address: network.mail_from_address ?? fallback.address };
}
