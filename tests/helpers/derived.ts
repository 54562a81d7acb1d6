import { processContent } from "#app/editor/content.server.ts";
import type { DerivedDocument } from "#app/editor/document.ts";
import { doc, paragraph } from "./lexical.ts";

/** A one-paragraph document through the server's own content check, as a command receives it from a route. */
export function derived(text: string): DerivedDocument {
  const result = processContent(doc(paragraph(text)));
  if (!result.ok) throw new Error(`test content refused: ${result.error}`);
  return result;
}
