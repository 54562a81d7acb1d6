/**
 * Where a popup (a menu's list) is portalled: inside the landmark its trigger
 * sits in, not at the end of <body>, outside every landmark, where a screen
 * reader's user moving by region never meets it (axe's "region" rule).
 * Dialogs need none of this: a dialog is a region of its own. The menus are
 * not modal: a modal Radix menu sets aria-hidden on everything but itself,
 * the landmark it now sits in included (and the focusable links in it).
 *
 * Read while rendering an open popup, so in the browser; on the server (or if
 * the landmark is missing) it answers undefined and Radix falls back to <body>.
 */
export function landmark(name: "banner" | "main"): HTMLElement | undefined {
  if (typeof document === "undefined") return undefined;
  return document.querySelector<HTMLElement>(name === "banner" ? "header.topbar" : "main") ?? undefined;
}
