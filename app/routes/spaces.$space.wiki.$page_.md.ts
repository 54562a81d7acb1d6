import type { LoaderFunctionArgs } from "@remix-run/node";
import { attachment } from "#app/utils/http.server.ts";
import { loadPage } from "#app/wiki/load.server.ts";

/** One page as a Markdown file. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { page } = await loadPage(request, params);
  // Loaded at the first export, not at start (Lexical's Markdown conversion).
  const { pageToMarkdown } = await import("#app/wiki/markdown.server.ts");
  return new Response(pageToMarkdown(page.title, page.content_json), {
    headers: {
      "Content-Type": "text/markdown; charset=utf-8",
      "Content-Disposition": attachment(`${page.slug}.md`),
      "X-Content-Type-Options": "nosniff",
      "Cache-Control": "private, no-store",
    },
  });
}
