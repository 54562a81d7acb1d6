import { createHeadlessEditor } from "@lexical/headless";
import { $convertFromMarkdownString, $convertToMarkdownString } from "@lexical/markdown";
import { describe, expect, it } from "vitest";
import { processContent } from "#app/editor/content.server.ts";
import { MARKDOWN_TRANSFORMERS, SHORTCUT_TRANSFORMERS } from "#app/editor/markdown.ts";
import { EDITOR_NODES } from "#app/editor/nodes/index.ts";

// MARKDOWN_TRANSFORMERS (the editor's Markdown, also usable for import and
// export) driven through a headless editor on our node list, the result
// checked by processContent like anything posted.
const editor = createHeadlessEditor({
  nodes: [...EDITOR_NODES],
  onError: (error) => {
    throw error;
  },
});

function markdownToContent(markdown: string) {
  editor.update(() => $convertFromMarkdownString(markdown, MARKDOWN_TRANSFORMERS), { discrete: true });
  return processContent(JSON.stringify(editor.getEditorState().toJSON()));
}

function contentToMarkdown(json: string) {
  editor.setEditorState(editor.parseEditorState(json));
  return editor.getEditorState().read(() => $convertToMarkdownString(MARKDOWN_TRANSFORMERS), { editor });
}

const PAGE = "abcdefghij0123456789";

function ok<T extends { ok: boolean }>(result: T) {
  if (!result.ok) throw new Error(JSON.stringify(result));
  return result as Extract<T, { ok: true }>;
}

describe("Markdown import", () => {
  it("makes every block and inline kind we support", () => {
    const result = ok(
      markdownToContent(
        [
          "# Notes",
          "",
          `Some **bold**, *italic*, ~~struck~~ and \`code\`; see [Budget](/pages/${PAGE}) and [docs](https://example.org/docs).`,
          "",
          "- one",
          "- two",
          "",
          "1. first",
          "",
          "- [x] done",
          "- [ ] to do",
          "",
          "> quoted",
          "",
          "```",
          "let a = 1;",
          "```",
          "",
          "---",
          "",
          "| Name | Role |",
          "| --- | --- |",
          "| Ada | Host |",
          "",
          "![A diagram](/files/diagram.png)",
        ].join("\n"),
      ),
    );
    expect(result.pageIds).toEqual([PAGE]);
    const types = new Set<string>();
    const walk = (node: { type: string; children?: unknown[] }) => {
      types.add(node.type);
      (node.children as Array<{ type: string }> | undefined)?.forEach(walk);
    };
    walk(JSON.parse(result.json).root);
    for (const type of ["heading", "paragraph", "text", "page-link", "link", "list", "listitem", "quote", "code", "horizontalrule", "table", "tablerow", "tablecell", "image"]) {
      expect(types).toContain(type);
    }
    expect(result.html).toContain('<th class="rt-table-cell rt-table-cell-header" scope="col"><p class="rt-p">Name</p></th>');
    expect(result.html).toContain('<a href="/pages/abcdefghij0123456789" data-page-id="abcdefghij0123456789" class="page-link">Budget</a>');
    expect(result.html).toContain('<img src="/files/diagram.png" alt="A diagram" loading="lazy" class="rt-image" />');
  });

  it("keeps unsafe links and images as plain text instead of refusing the file", () => {
    const result = ok(markdownToContent("[evil](javascript:alert(1)) ![x](//evil.example/x.png) [data](data:text/html,hi)"));
    expect(result.text).toBe("[evil](javascript:alert(1)) ![x](//evil.example/x.png) [data](data:text/html,hi)");
    expect(result.html).not.toContain("<a");
    expect(result.html).not.toContain("<img");
  });

  it("treats HTML in Markdown as text", () => {
    const result = ok(markdownToContent("<script>alert(1)</script>\n\n<iframe src=x></iframe>"));
    expect(result.html).toBe('<p class="rt-p">&lt;script&gt;alert(1)&lt;/script&gt;</p><p class="rt-p">&lt;iframe src=x&gt;&lt;/iframe&gt;</p>');
  });

  it("registers with the editor's nodes, shortcuts included", () => {
    // registerMarkdownShortcuts throws when a transformer needs a node the editor lacks.
    for (const transformer of [...MARKDOWN_TRANSFORMERS, ...SHORTCUT_TRANSFORMERS]) {
      if ("dependencies" in transformer) for (const node of transformer.dependencies) expect(editor.hasNode(node)).toBe(true);
    }
  });
});

describe("Markdown export", () => {
  it("writes back what was imported", () => {
    const source = [
      "# Notes",
      "",
      `Some **bold** and a [page](/pages/${PAGE}).`,
      "",
      "- [x] done",
      "- [ ] to do",
      "",
      "---",
      "",
      "| Name | Role |",
      "| --- | --- |",
      "| Ada | Host |",
      "",
      "![A diagram](/files/diagram.png)",
    ].join("\n");
    expect(contentToMarkdown(ok(markdownToContent(source)).json)).toBe(source);
  });
});
