import type { MenuTextMatch } from "@lexical/react/LexicalTypeaheadMenuPlugin";
import { $createTextNode, $insertNodes, type TextNode } from "lexical";
import { PageIcon } from "../icons.tsx";
import { $createPageLinkNode } from "../nodes/PageLinkNode.ts";
import { isPageId } from "../url.ts";
import { TypeaheadMenuPlugin } from "./TypeaheadMenu.tsx";
import { wikiSearchUrl } from "#app/urls.ts";

export type PageSuggestion = { id: string; title: string };

const MAX_QUERY = 80;
const MAX_RESULTS = 10;

/**
 * "[[" followed by anything but brackets and line breaks, right before the
 * caret, opens the picker; the text after "[[" is the query.
 */
export function matchPageLinkTrigger(text: string): MenuTextMatch | null {
  const match = /(^|[^[])\[\[([^[\]\n]*)$/.exec(text);
  if (!match || match[2].length > MAX_QUERY) return null;
  return { leadOffset: match.index + match[1].length, matchingString: match[2], replaceableString: `[[${match[2]}` };
}

/** Keeps only well-formed suggestions from the search endpoint's answer. */
export function parseSuggestions(data: unknown): PageSuggestion[] {
  const pages = (data as { pages?: unknown } | null)?.pages;
  if (!Array.isArray(pages)) return [];
  return pages
    .filter(
      (page): page is PageSuggestion =>
        typeof page === "object" && page !== null && isPageId((page as PageSuggestion).id) && typeof (page as PageSuggestion).title === "string",
    )
    .slice(0, MAX_RESULTS)
    .map((page) => ({ id: page.id, title: page.title.trim() || page.id }));
}

// Already inside editor.update (LexicalMenu calls this from one).
function $insertPageLink(page: PageSuggestion, nodeToReplace: TextNode | null) {
  const link = $createPageLinkNode(page.id);
  link.append($createTextNode(page.title));
  if (nodeToReplace) nodeToReplace.replace(link);
  else $insertNodes([link]);
  link.selectNext();
}

function renderPage(page: PageSuggestion) {
  return (
    <>
      <PageIcon />
      <span>{page.title}</span>
    </>
  );
}

/**
 * Typing "[[" opens a list of the space's pages, searched by title as one
 * types (GET /spaces/<slug>/wiki/search?q=…, answering {pages: [{id, title}]});
 * choosing one inserts a PageLinkNode titled like the page.
 */
export function PageLinkPlugin({ spaceSlug }: { spaceSlug: string }) {
  return (
    <TypeaheadMenuPlugin<PageSuggestion>
      endpoint={wikiSearchUrl(spaceSlug)}
      parse={parseSuggestions}
      debounceMs={150}
      triggerFn={matchPageLinkTrigger}
      onSelect={$insertPageLink}
      messages="editor.pageLink"
      className="typeahead"
      renderItem={renderPage}
    />
  );
}
