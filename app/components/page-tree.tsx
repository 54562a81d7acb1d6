import { Link, useNavigate } from "@remix-run/react";
import { useCallback, useRef, useState, type KeyboardEvent } from "react";
import { useT } from "#app/i18n/react.tsx";
import { wikiPageUrl, wikiTreeUrl } from "#app/urls.ts";

export interface TreeNode {
  id: string;
  title: string;
  slug: string;
  childCount: number;
}

interface State {
  children: Record<string, TreeNode[] | "loading">;
  expanded: Set<string>;
}

/**
 * The wiki's page tree as a WAI-ARIA tree: arrows move and open/close, Enter
 * opens the page, Home/End jump. Branches load when opened, so a wiki of
 * 10,000 pages sends only what the reader unfolds.
 */
export function PageTree({
  spaceSlug,
  roots,
  currentId,
  label,
}: {
  spaceSlug: string;
  roots: TreeNode[];
  currentId?: string;
  label: string;
}) {
  const t = useT();
  const navigate = useNavigate();
  const [state, setState] = useState<State>({ children: {}, expanded: new Set() });
  const [focusId, setFocusId] = useState<string | null>(currentId ?? roots[0]?.id ?? null);
  const treeRef = useRef<HTMLUListElement>(null);
  const href = (node: TreeNode) => wikiPageUrl(spaceSlug, node.slug);

  const load = useCallback(
    async (id: string) => {
      setState((s) => ({ ...s, children: { ...s.children, [id]: "loading" } }));
      const res = await fetch(wikiTreeUrl(spaceSlug, id));
      const data = (await res.json()) as { pages: TreeNode[] };
      setState((s) => ({ ...s, children: { ...s.children, [id]: data.pages } }));
    },
    [spaceSlug],
  );

  const toggle = (node: TreeNode, open?: boolean) => {
    const isOpen = state.expanded.has(node.id);
    const next = open ?? !isOpen;
    if (next === isOpen || node.childCount === 0) return;
    setState((s) => {
      const expanded = new Set(s.expanded);
      if (next) expanded.add(node.id);
      else expanded.delete(node.id);
      return { ...s, expanded };
    });
    if (next && !state.children[node.id]) void load(node.id);
  };

  // The visible items in order, with their parent, for keyboard moves.
  const visible: Array<{ node: TreeNode; parent: string | null }> = [];
  const walk = (nodes: TreeNode[], parent: string | null) => {
    for (const node of nodes) {
      visible.push({ node, parent });
      const kids = state.children[node.id];
      if (state.expanded.has(node.id) && Array.isArray(kids)) walk(kids, node.id);
    }
  };
  walk(roots, null);

  const focus = (id: string) => {
    setFocusId(id);
    treeRef.current?.querySelector<HTMLElement>(`[data-node="${id}"]`)?.focus();
  };

  const onKeyDown = (event: KeyboardEvent<HTMLElement>, node: TreeNode) => {
    const index = visible.findIndex((v) => v.node.id === node.id);
    const entry = visible[index];
    let handled = true;
    switch (event.key) {
      case "ArrowDown":
        if (visible[index + 1]) focus(visible[index + 1].node.id);
        break;
      case "ArrowUp":
        if (visible[index - 1]) focus(visible[index - 1].node.id);
        break;
      case "ArrowRight":
        if (node.childCount > 0 && !state.expanded.has(node.id)) toggle(node, true);
        else if (visible[index + 1]?.parent === node.id) focus(visible[index + 1].node.id);
        break;
      case "ArrowLeft":
        if (state.expanded.has(node.id)) toggle(node, false);
        else if (entry?.parent) focus(entry.parent);
        break;
      case "Home":
        if (visible[0]) focus(visible[0].node.id);
        break;
      case "End":
        if (visible.length) focus(visible[visible.length - 1].node.id);
        break;
      case "Enter":
        navigate(href(node));
        break;
      default:
        handled = false;
    }
    if (handled) {
      event.preventDefault();
      event.stopPropagation();
    }
  };

  const renderNodes = (nodes: TreeNode[], level: number) =>
    nodes.map((node) => {
      const open = state.expanded.has(node.id);
      const kids = state.children[node.id];
      const tabbable = (focusId ?? roots[0]?.id) === node.id;
      return (
        <li
          key={node.id}
          role="treeitem"
          aria-level={level}
          aria-expanded={node.childCount > 0 ? open : undefined}
          aria-current={node.id === currentId ? "page" : undefined}
          aria-label={node.title}
          data-node={node.id}
          tabIndex={tabbable ? 0 : -1}
          onKeyDown={(e) => onKeyDown(e, node)}
          onFocus={(e) => {
            if (e.target === e.currentTarget) setFocusId(node.id);
          }}
          className="tree-item"
        >
          <div className={`tree-row${node.id === currentId ? " tree-current" : ""}`}>
            {node.childCount > 0 ? (
              <button
                type="button"
                className="tree-toggle"
                tabIndex={-1}
                aria-hidden="true"
                onClick={() => toggle(node)}
              >
                <span className={`tree-caret${open ? " open" : ""}`}>▸</span>
              </button>
            ) : (
              <span className="tree-toggle" aria-hidden="true" />
            )}
            <Link to={href(node)} tabIndex={-1} className="tree-link">
              {node.title}
            </Link>
          </div>
          {open ? (
            kids === "loading" || kids === undefined ? (
              <p className="tree-loading small muted">{t("wiki.loading")}</p>
            ) : (
              <ul role="group">{renderNodes(kids, level + 1)}</ul>
            )
          ) : null}
        </li>
      );
    });

  return (
    <ul role="tree" aria-label={label} className="page-tree" ref={treeRef}>
      {renderNodes(roots, 1)}
    </ul>
  );
}
