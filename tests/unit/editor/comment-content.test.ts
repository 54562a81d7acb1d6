import { describe, expect, it } from "vitest";
import { COMMENT_LIMITS, processCommentContent, processContent, type CommentContentResult } from "#app/editor/content.server.ts";

/**
 * The comment profile of the content check: the light node list (paragraphs,
 * line breaks, bold / italic / strikethrough / inline code, links, mentions),
 * smaller limits, the same URL rules, and the mentioned ids collected. The
 * wiki's own profile (content.test.ts) must not change.
 */

type Json = Record<string, unknown>;
const text = (value: string, format = 0, extra: Json = {}): Json => ({ type: "text", version: 1, text: value, format, detail: 0, mode: "normal", style: "", ...extra });
const element = (type: string, children: Json[], extra: Json = {}): Json => ({ type, version: 1, direction: null, format: "", indent: 0, children, ...extra });
const paragraph = (...children: Json[]) => element("paragraph", children, { textFormat: 0, textStyle: "" });
const link = (url: unknown, label = "link", type = "link") => element(type, [text(label)], { url, rel: null, target: null, title: null });
const mention = (userId: unknown, name = "@Alice Martin", extra: Json = {}) => ({ ...text(name, 0, { mode: "token" }), type: "mention", userId, ...extra });
const doc = (...children: Json[]) => JSON.stringify({ root: element("root", children) });

const ALICE = "abcdefghij0123456789abcd";
const BOB = "zyxwvutsrq9876543210zyxw";

function ok(result: CommentContentResult) {
  if (!result.ok) throw new Error(`expected ok, got ${result.error} ${result.detail ?? ""}`);
  return result;
}

describe("comment content", () => {
  it("keeps paragraphs, line breaks, the four formats and links; derives text and HTML", () => {
    const result = ok(
      processCommentContent(
        doc(
          paragraph(text("Bravo ", 0), text("gras", 1), text(" ", 0), text("italique", 2), { type: "linebreak", version: 1 }, text("barré", 4), text("code", 16)),
          paragraph(link("https://example.org/a", "un lien"), text(" et "), link("https://example.org/b", "https://example.org/b", "autolink")),
        ),
      ),
    );
    expect(result.html).toContain('<strong class="rt-text-bold">gras</strong>');
    expect(result.html).toContain('<em class="rt-text-italic">italique</em>');
    expect(result.html).toContain("<br />");
    expect(result.html).toContain('<s class="rt-text-strikethrough">barré</s>');
    expect(result.html).toContain('<code class="rt-text-code">code</code>');
    expect(result.html).toMatch(/<a href="https:\/\/example.org\/a"[^>]*rel="noopener noreferrer nofollow"[^>]*>un lien<\/a>/);
    expect(result.text).toContain("Bravo gras italique");
    expect(result.mentionIds).toEqual([]);
  });

  it("exports a mention as exactly <span class=\"mention\" data-user-id> and collects the ids once each", () => {
    const result = ok(processCommentContent(doc(paragraph(mention(ALICE), text(" et "), mention(BOB, "@Bob"), text(" et "), mention(ALICE)))));
    expect(result.html).toBe(
      `<p class="rt-p"><span class="mention" data-user-id="${ALICE}">@Alice Martin</span> et <span class="mention" data-user-id="${BOB}">@Bob</span> et <span class="mention" data-user-id="${ALICE}">@Alice Martin</span></p>`,
    );
    expect(result.mentionIds).toEqual([ALICE, BOB]);
    expect(JSON.parse(result.json).root.children[0].children[0]).toMatchObject({ type: "mention", userId: ALICE, text: "@Alice Martin" });
  });

  it("drops the formats comments do not offer (underline, highlight…) but keeps the text", () => {
    const result = ok(processCommentContent(doc(paragraph(text("souligné", 8), text("surligné", 128 | 1)))));
    expect(result.html).toBe('<p class="rt-p">souligné<strong class="rt-text-bold">surligné</strong></p>');
    const stored = JSON.parse(result.json).root.children[0].children;
    expect(stored.map((n: Json) => n.format)).toEqual([0, 1]);
  });

  it.each([
    ["heading", element("heading", [text("Titre")], { tag: "h2" })],
    ["quote", element("quote", [text("Citation")])],
    ["list", element("list", [element("listitem", [text("a")], { value: 1 })], { listType: "bullet", start: 1, tag: "ul" })],
    ["code", element("code", [text("x")], { language: null })],
    ["image", { type: "image", version: 1, src: "/files/abcdefghij0123456789/inline", altText: "x" }],
    ["table", element("table", [])],
    ["horizontalrule", { type: "horizontalrule", version: 1 }],
    ["page-link", paragraph(element("page-link", [text("Page")], { pageId: "abcdefghij0123456789" }))],
    ["script", { type: "script", version: 1 }],
  ])("refuses a %s node (unknown in comments)", (type, node) => {
    const result = processCommentContent(doc(node));
    expect(result).toMatchObject({ ok: false, error: "unknown_node" });
    expect(result.ok === false && result.detail).toBe(type);
  });

  it.each([
    "javascript:alert(1)",
    "JavaScript:alert(1)",
    "java\tscript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "//evil.example/x",
    "vbscript:msgbox(1)",
    " javascript:alert(1)",
  ])("refuses the link %j, as a link or an autolink", (url) => {
    expect(processCommentContent(doc(paragraph(link(url))))).toMatchObject({ ok: false, error: "bad_url" });
    expect(processCommentContent(doc(paragraph(link(url, "x", "autolink"))))).toMatchObject({ ok: false, error: "bad_url" });
  });

  it("refuses a mention without a well-formed id, or with a huge text", () => {
    for (const id of [undefined, "", "../../etc", "ABCDEFGHIJKLMNOP", 42, "a b c d e f g h"]) {
      expect(processCommentContent(doc(paragraph(mention(id))))).toMatchObject({ ok: false, error: "malformed" });
    }
    expect(processCommentContent(doc(paragraph(mention(ALICE, `@${"x".repeat(300)}`))))).toMatchObject({ ok: false, error: "malformed" });
  });

  it("never lets HTML through text or a mention's name: it is text", () => {
    const result = ok(processCommentContent(doc(paragraph(text('<img src=x onerror="alert(1)">'), mention(ALICE, '@<script>alert(1)</script>')))));
    expect(result.html).not.toMatch(/<img|<script/);
    expect(result.html).toContain("&lt;img src=x");
    expect(result.html).toContain("&lt;script&gt;");
  });

  it("refuses what is too big or too deep for a comment, and what is empty", () => {
    const big = doc(paragraph(text("x".repeat(COMMENT_LIMITS.maxBytes))));
    expect(processCommentContent(big)).toMatchObject({ ok: false, error: "too_large" });
    let deep: Json = text("deep");
    for (let i = 0; i < COMMENT_LIMITS.maxDepth + 1; i++) deep = element("link", [deep], { url: "https://example.org", rel: null, target: null, title: null });
    expect(processCommentContent(doc(paragraph(deep)))).toMatchObject({ ok: false, error: "too_deep" });
    expect(processCommentContent(doc(paragraph()))).toMatchObject({ ok: false, error: "empty" });
    expect(processCommentContent(doc(paragraph(text("   "))))).toMatchObject({ ok: false, error: "empty" });
    expect(processCommentContent("")).toMatchObject({ ok: false, error: "empty" });
    expect(processCommentContent("{not json")).toMatchObject({ ok: false, error: "malformed" });
    expect(processCommentContent(JSON.stringify({ root: { type: "root", children: [], __proto__: { x: 1 } } }).replace('"children"', '"__proto__":{},"children"'))).toMatchObject({
      ok: false,
      error: "malformed",
    });
  });

  it("leaves the wiki profile as it was: a mention is unknown there, headings still pass", () => {
    expect(processContent(doc(paragraph(mention(ALICE))))).toMatchObject({ ok: false, error: "unknown_node", detail: "mention" });
    expect(processContent(doc(element("heading", [text("Titre")], { tag: "h2" })))).toMatchObject({ ok: true });
  });
});
