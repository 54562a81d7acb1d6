import type { Translate } from "#app/i18n/index.ts";

/**
 * A name as shown. A deleted account keeps its row (co-optation records,
 * the audit) but not its name, which is cleared, never replaced by words of
 * one language: it reads "Former member" in the reader's language here, as a
 * null author does wherever content lost its link to them.
 */
export function shownName(name: string, t: Translate): string {
  return name === "" ? t("comments.formerMember") : name;
}
