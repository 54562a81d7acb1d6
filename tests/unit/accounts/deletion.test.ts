import { describe, expect, test } from "vitest";
import { deletionCancelledMail, deletionRequestedMail } from "#app/accounts/deletion-mail.server.ts";
import { shownName } from "#app/accounts/names.ts";
import { translate } from "#app/i18n/index.ts";

/**
 * The words of leaving (issue 19): the mails in each member's language, with
 * the date, the choice and the way back; and a deleted account's name,
 * cleared in the database, read as "Former member" in the reader's language.
 */

const dueAt = Date.UTC(2026, 11, 20, 11, 0);

describe("the request's mail", () => {
  test("in French: the date, what becomes of what they wrote, and that signing in cancels", () => {
    const mail = deletionRequestedMail({ to: "lea@example.test", locale: "fr", network: "Réseau Achats", mode: "anonymise", dueAt, url: "https://cercle.example/login" });
    expect(mail.subject).toBe("Votre compte Réseau Achats sera supprimé le 20 décembre 2026");
    expect(mail.text).toContain("Reconnectez-vous avant le 20 décembre 2026");
    expect(mail.text).toContain("signé « Ancien membre »");
    expect(mail.text).toContain("https://cercle.example/login");
    expect(mail.text).not.toContain("supprimer ce qui n’est qu’à vous");
  });

  test("in English, for the removal", () => {
    const mail = deletionRequestedMail({ to: "lea@example.test", locale: "en", network: "Buyers", mode: "remove", dueAt, url: "https://cercle.example/login" });
    expect(mail.subject).toBe("Your Buyers account will be deleted on 20 December 2026");
    expect(mail.text).toContain("You chose to remove what is yours alone");
    expect(mail.text).toContain("Sign in before 20 December 2026");
  });

  test("the cancellation's mail says the account stays", () => {
    expect(deletionCancelledMail({ to: "lea@example.test", locale: "fr", network: "Réseau Achats" }).text).toContain("ne sera pas supprimé");
    expect(deletionCancelledMail({ to: "lea@example.test", locale: "en", network: "Buyers" }).subject).toBe("Your Buyers account’s deletion is cancelled");
  });
});

describe("shownName", () => {
  test("a deleted account's cleared name reads “Former member” in the reader's language; any other name as written", () => {
    const fr = (key: Parameters<typeof translate>[1]) => translate("fr", key);
    const en = (key: Parameters<typeof translate>[1]) => translate("en", key);
    expect(shownName("", fr)).toBe("Ancien membre");
    expect(shownName("", en)).toBe("Former member");
    expect(shownName("Léa Départ", fr)).toBe("Léa Départ");
  });
});
