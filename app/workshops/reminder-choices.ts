/**
 * The leads a space's admins may choose for the two reminders, in minutes
 * (null: off). Every early choice is longer than every late one, so the two
 * can never swap; and none is beyond a week (reminders.server.ts looks no
 * further ahead).
 */
export const EARLY_CHOICES = [null, 2 * 24 * 60, 24 * 60, 12 * 60] as const;
export const LATE_CHOICES = [null, 3 * 60, 2 * 60, 60, 30] as const;

export type EarlyChoice = (typeof EARLY_CHOICES)[number];
export type LateChoice = (typeof LATE_CHOICES)[number];

/** A choice as a form sends it ("off" or minutes), or undefined when it is none of the list. */
export function parseChoice<T extends number | null>(choices: readonly T[], raw: unknown): T | undefined {
  if (raw === "off") return choices.includes(null as T) ? (null as T) : undefined;
  if (typeof raw !== "string" || !/^[0-9]{1,5}$/.test(raw)) return undefined;
  return choices.find((c) => c === Number(raw));
}
