import { describe, expect, test } from "vitest";
import { invitationMail, mentionMail, replyMail } from "#app/mail/messages.ts";

const comment = {
  to: "claire@example.org",
  network: "Réseau Conseil",
  name: "Julien Moreau",
  space: "Club Achats",
  title: "Contrat cadre",
  body: "Voir <b>ceci</b> & cela",
  url: "https://cercle.example/notifications/n1",
  unsubscribeUrl: "https://cercle.example/mail/unsubscribe?t=x",
    settingsUrl: "https://cercle.example/settings/notifications",
};

describe("mail small print", () => {
  test("a mail nobody asked for (an invitation) says to ignore it if unexpected", () => {
    const mail = invitationMail({ to: "new@example.org", locale: "fr", network: "Réseau Conseil", sponsor: "Claire", space: "Club", message: "", url: "https://cercle.example/i/x" });
    expect(mail.text).toContain("Si vous n’attendiez pas ce message, ignorez-le simplement.");
    expect(mail.html).toContain("Si vous n’attendiez pas ce message, ignorez-le simplement.");
  });

  test.each([
    ["mention", mentionMail, "des mentions"],
    ["reply", replyMail, "des réponses"],
  ] as const)("a %s mail, asked for in the settings, says why it came and where to stop it — after the link, not before", (_kind, build, what) => {
    const mail = build({ ...comment, locale: "fr" });
    for (const body of [mail.text, mail.html]) {
      expect(body).not.toContain("ignorez-le");
      expect(body).toContain(`prévenu par e-mail ${what}`);
      const settings = body.indexOf(comment.settingsUrl);
      expect(settings).toBeGreaterThan(body.indexOf(comment.url));
      expect(settings).toBeLessThan(body.indexOf("Réseau Conseil", settings));
    }
    // What the person wrote is quoted, escaped in HTML.
    expect(mail.text).toContain("> Voir <b>ceci</b> & cela");
    expect(mail.html).toContain("Voir &lt;b&gt;ceci&lt;/b&gt; &amp; cela");
  });

  test("in English too", () => {
    const mail = mentionMail({ ...comment, locale: "en" });
    expect(mail.text).not.toContain("If you were not expecting this message");
    expect(mail.text).toContain(comment.settingsUrl);
  });
});
