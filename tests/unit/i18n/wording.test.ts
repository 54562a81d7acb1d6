import { describe, expect, test } from "vitest";
import { catalogues, translate, type MessageKey } from "#app/i18n/index.ts";
import type { Locale } from "#db/schema.ts";

/**
 * Wording that must read well whatever a network is called, and one word
 * for one thing across the French catalogue.
 */

/** Every message that names the network, with the network's name put in. */
function withNetwork(locale: Locale, network: string) {
  return (Object.keys(catalogues[locale]) as MessageKey[])
    .filter((key) => catalogues[locale][key].includes("{network}"))
    .map((key) => {
      // Any other argument gets a plain word, so the message formats.
      const params: Record<string, string> = {};
      for (const m of catalogues[locale][key].matchAll(/\{(\w+)\}/g)) params[m[1]] = m[1] === "network" ? network : "X";
      return { key, text: translate(locale, key, params) };
    });
}

describe("a network's name reads well in every message that names it", () => {
  test.each([
    ["fr", "Réseau des Consultants Associés", /\bréseau\s+(?:«\s*)?Réseau\b/i],
    ["en", "Consultants Network", /Network\s*”?\s+network\b/i],
  ] as const)("%s, a network named “%s”", (locale, network, clumsy) => {
    const messages = withNetwork(locale, network);
    // The invitation page and mail name the network: they are among them.
    expect(messages.map((m) => m.key)).toEqual(expect.arrayContaining(["invite.from", "mail.invitation.body"]));
    for (const { key, text } of messages) expect(text, key).not.toMatch(clumsy);
  });
});

test("French says “e-mail”, never “courriel”, for the same thing", () => {
  const offending = Object.entries(catalogues.fr).filter(([, text]) => /courriel/i.test(text));
  expect(offending).toEqual([]);
  // And says it somewhere: the sign-in form's label.
  expect(catalogues.fr["login.email"]).toMatch(/e-mail/);
});
