import { CHOICES } from "#app/notifications/choices.ts";

/**
 * The notification settings form as a browser sends it: every kind with
 * its default unless changed here (`digest`: the digest's frequency, weekly
 * by default), and a level for the clubs named (by id).
 */
export function choicesForm(changes: Record<string, string> = {}, levels: Record<string, string> = {}): Record<string, string> {
  return {
    intent: "choices",
    digest: changes.digest ?? "weekly",
    ...Object.fromEntries(CHOICES.map((c) => [`kind:${c.kind}`, changes[c.kind] ?? c.byDefault])),
    ...Object.fromEntries(Object.entries(levels).map(([spaceId, level]) => [`level:${spaceId}`, level])),
  };
}
