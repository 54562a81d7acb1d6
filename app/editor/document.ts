import type { ContentError, ContentResult } from "./content.server.ts";

/** What a page or an article holds when its writer posted no content at all. */
export const EMPTY_DOCUMENT = JSON.stringify({
  root: {
    type: "root",
    version: 1,
    direction: null,
    format: "",
    indent: 0,
    children: [{ type: "paragraph", version: 1, direction: null, format: "", indent: 0, textFormat: 0, textStyle: "", children: [] }],
  },
});

/** The posted document, or the empty one when the field is missing or blank. */
export function documentOrEmpty(raw: string | null | undefined): string {
  return raw && raw.trim() ? raw : EMPTY_DOCUMENT;
}

/**
 * Refusals after which the posted document must not go back into the editor
 * (it could not be parsed, or took more work than a request is given): a
 * form shows the last saved version instead. The others (a bad link, an
 * empty text) leave the writer's document as it was posted.
 */
export const UNPARSEABLE: ReadonlySet<string> = new Set<ContentError>(["malformed", "unknown_node", "too_deep", "too_large", "too_complex"]);

/** A document as the worker pool checked and derived it (checkDocument): what a save writes. */
export type DerivedDocument = Extract<ContentResult, { ok: true }>;
export type ContentRefusal = Extract<ContentResult, { ok: false }>;
