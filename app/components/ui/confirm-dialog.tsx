import * as Dialog from "@radix-ui/react-dialog";
import { Form } from "@remix-run/react";
import { cloneElement, isValidElement, useState, type ReactNode } from "react";
import { useT } from "#app/i18n/react.tsx";
import { useHydrated } from "#app/utils/hydrated.ts";

/**
 * A destructive action behind a confirmation: an accessible dialog (focus
 * trapped, Escape closes, title read out) around a plain form post, so the
 * server decides, not the dialog.
 */
export function ConfirmDialog({
  trigger,
  title,
  description,
  confirmLabel,
  action,
  fields,
  children,
  tone = "danger",
  dismissLabel,
}: {
  trigger: ReactNode;
  title: string;
  description?: string;
  confirmLabel: string;
  action?: string;
  fields: Record<string, string>;
  /** Extra inputs (a reason) shown inside the form. */
  children?: ReactNode;
  tone?: "danger" | "primary";
  /** The button that closes without acting, when "Cancel" would read as the action itself (cancelling a workshop). */
  dismissLabel?: string;
}) {
  const t = useT();
  const [open, setOpen] = useState(false);
  // The server sends the trigger only, as the closed dialog's trigger renders (see useHydrated).
  const hydrated = useHydrated();
  if (!hydrated && isValidElement<Record<string, unknown>>(trigger)) {
    return cloneElement(trigger, { type: "button", "aria-haspopup": "dialog", "aria-expanded": false, "data-state": "closed" });
  }
  return (
    <Dialog.Root open={open} onOpenChange={setOpen}>
      <Dialog.Trigger asChild>{trigger}</Dialog.Trigger>
      <Dialog.Portal>
        <Dialog.Overlay className="dialog-overlay" />
        <Dialog.Content className="dialog" aria-describedby={description ? undefined : undefined}>
          <Dialog.Title className="dialog-title">{title}</Dialog.Title>
          {description ? <Dialog.Description className="dialog-text">{description}</Dialog.Description> : null}
          <Form method="post" action={action} onSubmit={() => setOpen(false)}>
            {Object.entries(fields).map(([name, value]) => (
              <input key={name} type="hidden" name={name} value={value} />
            ))}
            {children}
            <div className="dialog-actions">
              <Dialog.Close asChild>
                <button type="button" className="btn">
                  {dismissLabel ?? t("common.cancel")}
                </button>
              </Dialog.Close>
              <button type="submit" className={`btn ${tone === "danger" ? "btn-danger" : "btn-primary"}`}>
                {confirmLabel}
              </button>
            </div>
          </Form>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
