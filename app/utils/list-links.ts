import { useNavigate } from "@remix-run/react";
import type { MouseEvent } from "react";

/**
 * Client-side navigation for plain links: one click handler on a list or a
 * bar instead of a <Link> per item. Each Link resolves its path through
 * router hooks as it renders, about 9 µs of server time; the directory has
 * one per card, and the top bar one per section on every page (README,
 * decision 86). The links are ordinary
 * <a href>, so without JavaScript, with a modifier key, another button or a
 * link elsewhere, the browser does what it always does.
 */
export function useListLinks() {
  const navigate = useNavigate();
  return (event: MouseEvent<HTMLElement>) => {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.altKey || event.ctrlKey || event.shiftKey) return;
    const link = event.target instanceof Element ? event.target.closest("a") : null;
    if (!link || !event.currentTarget.contains(link) || link.target || link.hasAttribute("download") || link.origin !== window.location.origin) return;
    event.preventDefault();
    navigate(`${link.pathname}${link.search}${link.hash}`);
  };
}
