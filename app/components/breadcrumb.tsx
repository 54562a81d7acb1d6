import { Link } from "@remix-run/react";

export interface Crumb {
  to: string;
  label: string;
}

/** Where a page sits: the pages above it, each a link, in a labelled navigation landmark. */
export function Breadcrumb({ label, items }: { label: string; items: Crumb[] }) {
  return (
    <nav aria-label={label} className="breadcrumb">
      <ol>
        {items.map((item) => (
          <li key={item.to}>
            <Link to={item.to}>{item.label}</Link>
          </li>
        ))}
      </ol>
    </nav>
  );
}
