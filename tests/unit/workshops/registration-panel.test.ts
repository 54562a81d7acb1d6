import { createElement } from "react";
import { renderToString } from "react-dom/server";
import { createStaticHandler, createStaticRouter, StaticRouterProvider } from "react-router-dom/server";
import { describe, expect, it } from "vitest";
import type { RegistrationView } from "#app/workshops/registration.server.ts";
import { RegistrationPanel } from "#app/workshops/RegistrationPanel.tsx";

/**
 * The registration panel as the server renders it (no DOM, no script): what
 * a reader sees before anything hydrates, in both languages. Its behaviour
 * in a browser (clicks, focus, the screen reader's reading) is for the
 * workshop page's Playwright spec once that page exists.
 */

/** Server-renders the panel under a "root" route whose loader data carries the locale, as Remix does. */
async function render(props: { view: RegistrationView; action?: string; canRegister?: boolean }, locale = "fr") {
  const element = createElement(RegistrationPanel, { action: "/spaces/club/workshops/abc/registration", canRegister: true, ...props });
  const routes = [{ id: "root", path: "/", loader: () => ({ locale }), Component: () => element }];
  const handler = createStaticHandler(routes);
  const context = await handler.query(new Request("http://localhost/"));
  if (context instanceof Response) throw new Error("unexpected response");
  const router = createStaticRouter(handler.dataRoutes, context);
  return renderToString(createElement(StaticRouterProvider, { router, context, hydrate: false }));
}

const text = (html: string) => html.replace(/<[^>]+>/g, " ").replace(/&#x27;/g, "'").replace(/\s+/g, " ").trim();
/** The buttons of the answer group, as [value, aria-pressed, label]. */
const buttons = (html: string) =>
  [...html.matchAll(/<button[^>]*name="status" value="([a-z_]+)"[^>]*aria-pressed="(true|false)"[^>]*>([^<]*)<\/button>/g)].map((m) => [m[1], m[2], m[3]]);

const base: RegistrationView = {
  seats: { capacity: 10, going: 3, waiting: 0, left: 7 },
  mine: null,
  attendees: [
    { id: "u1", name: "Claire Dubois", status: "going" },
    { id: "u2", name: "Malik Benali", status: "going" },
    { id: "u3", name: "Sophie Martin", status: "going" },
    { id: "u4", name: "Jean Petit", status: "maybe" },
  ],
  open: true,
  closedBecause: null,
};

describe("RegistrationPanel", () => {
  it("shows the seats left, who is coming with their initials, and three answers none of them pressed", async () => {
    const html = await render({ view: base });
    const t = text(html);
    expect(t).toContain("7 places restantes sur 10");
    expect(t).toContain("Qui vient");
    expect(t).toContain("Claire Dubois");
    expect(html).toContain('<span class="avatar" aria-hidden="true">CD</span>');
    // The maybe list, under its own heading.
    expect(t).toContain("Peut-être JP Jean Petit");
    expect(t).toContain("Vous n’avez pas encore répondu.");
    expect(buttons(html)).toEqual([
      ["going", "false", "Je viens"],
      ["maybe", "false", "Peut-être"],
      ["not_going", "false", "Je ne viens pas"],
    ]);
    // One form posting to the registration address, the answers in a named group inside a fieldset.
    expect(html).toMatch(/<form method="post" action="\/spaces\/club\/workshops\/abc\/registration"/);
    expect(html).toContain("<legend>Votre réponse</legend>");
    expect(html).toMatch(/role="group" aria-label="Votre réponse"/);
    expect(html).toMatch(/<textarea[^>]*name="note"[^>]*maxLength="280"|<textarea[^>]*maxlength="280"[^>]*name="note"/i);
  });

  it("the viewer on the waitlist: their position, and going shown as pressed, in the waitlist's words", async () => {
    const html = await render({ view: { ...base, seats: { capacity: 3, going: 3, waiting: 2, left: 0 }, mine: { status: "waiting", note: "Je peux venir en retard", position: 2 } } });
    const t = text(html);
    expect(t).toContain("Complet sur 3");
    expect(t).toContain("2 personnes en liste d’attente");
    expect(t).toContain("Vous êtes sur la liste d’attente, en position 2.");
    expect(html).toContain("Je peux venir en retard</textarea>");
    expect(buttons(html).map(([v, p]) => [v, p])).toEqual([
      ["going", "true"],
      ["maybe", "false"],
      ["not_going", "false"],
    ]);
    expect(buttons(html)[0][2]).toBe("En liste d’attente");
    expect(html).toMatch(/class="btn btn-waiting"[^>]*value="going"|value="going"[^>]*class="btn btn-waiting"/);
  });

  it("full, for someone not on the list: going becomes 'join the waitlist', and says what it does", async () => {
    const html = await render({ view: { ...base, seats: { capacity: 3, going: 3, waiting: 0, left: 0 }, mine: { status: "maybe", note: null, position: null } } });
    expect(buttons(html)).toEqual([
      ["going", "false", "Liste d’attente"],
      ["maybe", "true", "Peut-être"],
      ["not_going", "false", "Je ne viens pas"],
    ]);
    expect(text(html)).toContain("L’atelier est complet");
  });

  it("in English, without a capacity", async () => {
    const html = await render({ view: { ...base, seats: { capacity: null, going: 3, waiting: 0, left: null }, mine: { status: "going", note: null, position: null } } }, "en");
    const t = text(html);
    expect(t).toContain("3 going");
    expect(t).toContain("You are going.");
    expect(buttons(html)).toEqual([
      ["going", "true", "Going"],
      ["maybe", "false", "Maybe"],
      ["not_going", "false", "Not going"],
    ]);
  });

  for (const [why, said] of [
    ["cancelled", "Cet atelier est annulé : les inscriptions sont fermées."],
    ["past", "Cet atelier est passé : les inscriptions sont fermées."],
    ["deadline", "La date limite d’inscription est passée : les inscriptions sont fermées."],
    ["proposed", "Cet atelier n’est pas encore programmé : les inscriptions ouvriront s’il l’est."],
  ] as const) {
    it(`closed (${why}): says why, and offers no answer`, async () => {
      const html = await render({ view: { ...base, open: false, closedBecause: why } });
      expect(text(html)).toContain(said);
      expect(html).not.toContain("<form");
      expect(buttons(html)).toEqual([]);
      // Nobody is asked for an answer they can no longer give.
      expect(text(html)).not.toContain("Vous n’avez pas encore répondu.");
    });
  }

  it("closed, for one who had answered: their answer stays said", async () => {
    const html = await render({ view: { ...base, open: false, closedBecause: "past", mine: { status: "going", note: null, position: null } } });
    expect(text(html)).toContain("Vous venez.");
  });

  it("someone who may read but not register: told so, no form", async () => {
    const html = await render({ view: base, canRegister: false });
    expect(text(html)).toContain("Vous pouvez lire cet atelier, mais pas vous y inscrire.");
    expect(html).not.toContain("<form");
  });
});
