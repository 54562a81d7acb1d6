import { Form } from "@remix-run/react";
import { useFormatDate } from "#app/i18n/react.tsx";
import { Breadcrumb } from "#app/components/breadcrumb.tsx";

export interface TrashedItem {
  id: string;
  title: string;
  at: number;
  by: string | null;
}

/**
 * A trash of whole items (wiki pages, articles): who deleted each and when,
 * and a Restore button posting `intent=restore` with the item's id in
 * `idField`. The route's action decides; this only lays out the list.
 */
export function TrashCard({
  headingId,
  back,
  breadcrumbLabel,
  title,
  intro,
  emptyText,
  restoreLabel,
  deletedBy,
  idField,
  items,
}: {
  headingId: string;
  back: { href: string; label: string };
  breadcrumbLabel: string;
  title: string;
  intro: string;
  emptyText: string;
  restoreLabel: string;
  deletedBy: (name: string, date: string) => string;
  idField: string;
  items: TrashedItem[];
}) {
  const formatDate = useFormatDate();
  return (
    <section className="card" aria-labelledby={headingId}>
      <Breadcrumb label={breadcrumbLabel} items={[{ to: back.href, label: back.label }]} />
      <h2 id={headingId}>{title}</h2>
      <p className="muted">{intro}</p>
      {items.length === 0 ? (
        <p className="empty">{emptyText}</p>
      ) : (
        <ul className="list">
          {items.map((item) => (
            <li key={item.id}>
              <span className="grow">
                <strong>{item.title}</strong>
                <br />
                <span className="muted small">{deletedBy(item.by ?? "—", formatDate(item.at))}</span>
              </span>
              <Form method="post">
                <input type="hidden" name="intent" value="restore" />
                <input type="hidden" name={idField} value={item.id} />
                <button type="submit" className="btn btn-small">
                  {restoreLabel}
                  <span className="sr-only"> {item.title}</span>
                </button>
              </Form>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
