import { Zip, ZipDeflate } from "fflate";
import type { Executor } from "#db/client.ts";

interface Node {
  id: string;
  parent_id: string | null;
  slug: string;
  title: string;
  position: number;
}

/**
 * The whole wiki of a space as a zip of Markdown files, the tree as folders:
 * a page is `slug.md`, its sub-pages sit in the folder `slug/` beside it.
 * Streamed: the structure is read first (no content), then one page at a
 * time, so memory stays flat however large the wiki.
 */
export async function wikiZipStream(db: Executor, spaceId: string): Promise<ReadableStream<Uint8Array>> {
  const nodes: Node[] = await db
    .selectFrom("page")
    .select(["id", "parent_id", "slug", "title", "position"])
    .where("space_id", "=", spaceId)
    .where("deleted_at", "is", null)
    .orderBy("position")
    .execute();
  const byParent = new Map<string | null, Node[]>();
  const ids = new Set(nodes.map((n) => n.id));
  for (const n of nodes) {
    // A page whose parent is in the trash goes to the top level of the export.
    const parent = n.parent_id && ids.has(n.parent_id) ? n.parent_id : null;
    byParent.set(parent, [...(byParent.get(parent) ?? []), n]);
  }
  const files: Array<{ id: string; path: string }> = [];
  const walk = (parent: string | null, prefix: string, depth: number) => {
    if (depth > 64) return;
    for (const n of byParent.get(parent) ?? []) {
      files.push({ id: n.id, path: `${prefix}${n.slug}.md` });
      walk(n.id, `${prefix}${n.slug}/`, depth + 1);
    }
  };
  walk(null, "", 0);

  let index = 0;
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const zip = new Zip((error, chunk, final) => {
    if (error) controller.error(error);
    else {
      controller.enqueue(chunk);
      if (final) controller.close();
    }
  });
  return new ReadableStream<Uint8Array>({
    start(c) {
      controller = c;
      if (files.length === 0) zip.end();
    },
    // One page per pull: the client's reading paces the export.
    async pull() {
      if (index >= files.length) return;
      const file = files[index++];
      const page = await db.selectFrom("page").select(["title", "content_json"]).where("id", "=", file.id).executeTakeFirst();
      if (page) {
        // Loaded at the first export, not at start: Lexical's Markdown conversion is not needed by a process at rest.
        const { pageToMarkdown } = await import("./markdown.server.ts");
        const entry = new ZipDeflate(file.path, { level: 6 });
        zip.add(entry);
        entry.push(new TextEncoder().encode(pageToMarkdown(page.title, page.content_json)), true);
      }
      if (index >= files.length) zip.end();
    },
  });
}
