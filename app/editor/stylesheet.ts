import href from "#app/styles/editor.css?url";

/**
 * The rich-text stylesheet (read view and editor), for a `links` export:
 * `export const links: LinksFunction = () => [EDITOR_STYLESHEET];`
 */
export const EDITOR_STYLESHEET = { rel: "stylesheet", href } as const;
