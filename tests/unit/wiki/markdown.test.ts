import { describe, expect, test } from "vitest";
import { splitTitle } from "#app/wiki/markdown.ts";
import { markdownToJson, pageToMarkdown } from "#app/wiki/markdown.server.ts";

type Node = { type: string; children?: Node[]; [k: string]: unknown };

function nodesOf(json: string): Node[] {
  return (JSON.parse(json) as { root: Node }).root.children ?? [];
}

function all(nodes: Node[]): Node[] {
  return nodes.flatMap((n) => [n, ...all(n.children ?? [])]);
}

const SAMPLE = `Intro with **bold**, *italic*, ~~struck~~ and \`code\`.

## Méthode

- un
- deux

1. premier
2. second

- [ ] à faire
- [x] fait

> Une citation.

***

| Outil | Usage |
| --- | --- |
| Excel | suivi |
| Power BI | tableaux |

Voir [la page sœur](/pages/abcdefghij1234567890) et [le site](https://example.org).

![Schéma](/spaces/club/files/schema.png)
`;

describe("Markdown import", () => {
  const nodes = nodesOf(markdownToJson(SAMPLE));
  const types = all(nodes).map((n) => n.type);

  test("makes headings, lists, check lists, quotes, rules and tables", () => {
    expect(nodes.find((n) => n.type === "heading")).toMatchObject({ tag: "h2" });
    const lists = nodes.filter((n) => n.type === "list").map((n) => n.listType);
    expect(lists).toEqual(["bullet", "number", "check"]);
    expect(types).toContain("quote");
    expect(types).toContain("horizontalrule");
    const table = nodes.find((n) => n.type === "table");
    expect(table?.children).toHaveLength(3);
    const headerCells = table!.children![0].children!;
    expect(headerCells.map((c) => c.headerState)).toEqual([1, 1]);
    const bodyCells = table!.children![1].children!;
    expect(bodyCells.map((c) => c.headerState)).toEqual([0, 0]);
  });

  test("keeps inline formats as Lexical format bits", () => {
    const texts = all(nodes).filter((n) => n.type === "text");
    const bold = texts.find((t) => t.text === "bold");
    const code = texts.find((t) => t.text === "code");
    expect(bold?.format).toBe(1);
    expect(code?.format).toBe(16);
  });

  test("turns /pages/<id> links into internal page links and keeps others as links", () => {
    const pageLink = all(nodes).find((n) => n.type === "page-link");
    expect(pageLink).toMatchObject({ pageId: "abcdefghij1234567890" });
    const link = all(nodes).find((n) => n.type === "link");
    expect(link).toMatchObject({ url: "https://example.org" });
  });

  test("brings in same-origin images only", () => {
    expect(all(nodes).find((n) => n.type === "image")).toMatchObject({ src: "/spaces/club/files/schema.png", altText: "Schéma" });
    const remote = all(nodesOf(markdownToJson("![x](https://evil.example/a.png) ![y](//evil.example/b.png)")));
    expect(remote.some((n) => n.type === "image")).toBe(false);
  });
});

describe("Markdown export", () => {
  test("writes the title as the first heading and round-trips what it imported", () => {
    const md = pageToMarkdown("Compte rendu", markdownToJson(SAMPLE));
    expect(md.startsWith("# Compte rendu\n\n")).toBe(true);
    for (const piece of [
      "## Méthode",
      "- un",
      "1. premier",
      "- [ ] à faire",
      "- [x] fait",
      "> Une citation.",
      "| Outil | Usage |",
      "| --- | --- |",
      "| Power BI | tableaux |",
      "[la page sœur](/pages/abcdefghij1234567890)",
      "[le site](https://example.org)",
      "![Schéma](/spaces/club/files/schema.png)",
      "**bold**",
      "`code`",
    ]) {
      expect(md).toContain(piece);
    }
    // Exporting what was exported gives the same text: nothing drifts.
    const again = pageToMarkdown("Compte rendu", markdownToJson(splitTitle(md).body));
    expect(again).toBe(md);
  });
});

describe("splitTitle", () => {
  test("takes a leading # heading as the title", () => {
    expect(splitTitle("# Mon titre\n\ncorps")).toEqual({ title: "Mon titre", body: "\ncorps" });
    expect(splitTitle("\uFEFF#  Titre  #\ntexte")).toEqual({ title: "Titre", body: "texte" });
  });
  test("leaves documents without one alone", () => {
    expect(splitTitle("## Sous-titre\ntexte")).toEqual({ title: null, body: "## Sous-titre\ntexte" });
    expect(splitTitle("texte")).toEqual({ title: null, body: "texte" });
  });
});
