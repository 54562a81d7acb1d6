import { createElement, type ReactElement } from "react";
import { renderToString } from "react-dom/server";
import { createStaticHandler, createStaticRouter, StaticRouterProvider } from "react-router-dom/server";
import { describe, expect, it } from "vitest";
import { Editor } from "#app/editor/Editor.tsx";
import { RichTextView } from "#app/editor/RichTextView.tsx";

/** Server-renders an element under a "root" route whose loader data carries the locale, as Remix does. */
async function renderOnServer(element: ReactElement, locale = "en") {
  const routes = [{ id: "root", path: "/", loader: () => ({ locale }), Component: () => element }];
  const handler = createStaticHandler(routes);
  const context = await handler.query(new Request("http://localhost/"));
  if (context instanceof Response) throw new Error("unexpected response");
  const router = createStaticRouter(handler.dataRoutes, context);
  return renderToString(createElement(StaticRouterProvider, { router, context, hydrate: false }));
}

const DOCUMENT = JSON.stringify({
  root: {
    type: "root",
    version: 1,
    direction: null,
    format: "",
    indent: 0,
    children: [{ type: "paragraph", version: 1, direction: null, format: "", indent: 0, textFormat: 0, textStyle: "", children: [{ type: "text", version: 1, text: "Hello <world>", format: 0, detail: 0, mode: "normal", style: "" }] }],
  },
});

describe("Editor on the server", () => {
  it("renders without a DOM: toolbar, editable and hidden field", async () => {
    const html = await renderOnServer(createElement(Editor, { name: "content", initialJson: DOCUMENT, spaceSlug: "club", ariaLabel: "Page content" }));

    expect(html).toContain('role="toolbar"');
    expect(html).toContain('aria-label="Formatting: Page content"');
    expect(html).toMatch(/contenteditable="true"[^>]*|role="textbox"/);
    expect(html).toContain('aria-label="Page content"');
    expect(html).toContain('aria-multiline="true"');

    // The hidden input carries the stored document until the editor takes over.
    const input = /<input type="hidden" name="content" value="([^"]*)"/.exec(html);
    expect(input).not.toBeNull();
    expect(input![1].replaceAll("&quot;", '"').replaceAll("&lt;", "<").replaceAll("&gt;", ">").replaceAll("&amp;", "&")).toBe(DOCUMENT);

    // Every toolbar control is a labelled button, never a submit button.
    const toolbar = html.slice(html.indexOf('role="toolbar"'), html.indexOf("</div>", html.indexOf('role="toolbar"')));
    const buttons = toolbar.match(/<button[^>]*>/g) ?? [];
    expect(buttons.length).toBe(14); // block style, 5 formats, 3 lists, link, table, rule, undo, redo
    for (const button of buttons) {
      expect(button).toContain('type="button"');
      expect(button).toMatch(/aria-label="[^"]+"/);
    }
    // Roving tabindex: exactly one tab stop.
    expect(buttons.filter((b) => b.includes('tabindex="0"'))).toHaveLength(1);
    expect(buttons.filter((b) => b.includes('tabindex="-1"'))).toHaveLength(13);
    // Toggles say whether they are on.
    for (const label of ["Bold", "Italic", "Underline", "Strikethrough", "Code", "Bulleted list", "Numbered list", "Check list", "Link"]) {
      expect(buttons.find((b) => b.includes(`aria-label="${label}"`))).toContain('aria-pressed="false"');
    }
    expect(buttons.find((b) => b.includes('aria-label="Undo"'))).toContain('aria-disabled="true"');
    // The block style menu button says which style the text has.
    expect(buttons[0]).toContain('aria-label="Block style: Paragraph"');
    expect(buttons[0]).toContain('aria-haspopup="menu"');
    // No image button unless an upload function is given.
    expect(html).not.toContain('aria-label="Insert an image"');
    expect(html).toContain("Alt+F10");
  });

  it("renders in French, with an empty field for a new document", async () => {
    const html = await renderOnServer(createElement(Editor, { name: "body", initialJson: null, spaceSlug: "club", ariaLabel: "Contenu" }), "fr");
    expect(html).toContain('aria-label="Mise en forme : Contenu"');
    expect(html).toContain('aria-label="Gras"');
    expect(html).toContain('<input type="hidden" name="body" value=""/>');
  });

  it("shows the image and file buttons when the space's files are given, and neither without them", async () => {
    const files = {
      search: async () => [],
      upload: async () => {
        throw new Error("not in this test");
      },
    };
    const html = await renderOnServer(createElement(Editor, { name: "content", initialJson: null, spaceSlug: "club", ariaLabel: "Page content", files }));
    expect(html).toContain('aria-label="Insert an image"');
    expect(html).toContain('aria-label="Link to a file"');
    const without = await renderOnServer(createElement(Editor, { name: "content", initialJson: null, spaceSlug: "club", ariaLabel: "Page content" }));
    expect(without).not.toContain('aria-label="Insert an image"');
    expect(without).not.toContain('aria-label="Link to a file"');
  });
});

describe("RichTextView", () => {
  it("renders the stored HTML inside .rich-text", () => {
    expect(renderToString(createElement(RichTextView, { html: '<p class="rt-p">Hi</p>' }))).toBe('<div class="rich-text"><p class="rt-p">Hi</p></div>');
  });
});
