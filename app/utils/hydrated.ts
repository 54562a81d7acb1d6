import { useSyncExternalStore } from "react";

const subscribe = () => () => {};

/**
 * False on the server and while the page hydrates, true from then on (and on
 * every render after a client-side navigation). Widgets that do nothing
 * without JavaScript — a menu, a dialog — render their plain trigger until
 * then: their library's set-up is a good share of a page's server render, for
 * markup that cannot be used before hydration anyway.
 */
export function useHydrated(): boolean {
  return useSyncExternalStore(
    subscribe,
    () => true,
    () => false,
  );
}
