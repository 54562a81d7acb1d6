import * as Dialog from "@radix-ui/react-dialog";
import type { Blocker } from "@remix-run/react";
import { useT } from "#app/i18n/react.tsx";

/**
 * Asks before leaving a form with unsaved changes. Each form decides what
 * "unsaved" means and holds the blocker; this only asks.
 */
export function UnsavedChangesDialog({ blocker, question, leaveLabel }: { blocker: Blocker; question: string; leaveLabel: string }) {
  const t = useT();
  return (
    <Dialog.Root open={blocker.state === "blocked"} onOpenChange={(open) => !open && blocker.reset?.()}>
      <Dialog.Portal>
        <Dialog.Overlay className="dialog-overlay" />
        <Dialog.Content className="dialog">
          <Dialog.Title className="dialog-title">{question}</Dialog.Title>
          <Dialog.Description className="sr-only">{question}</Dialog.Description>
          <div className="dialog-actions">
            <button type="button" className="btn" onClick={() => blocker.reset?.()}>
              {t("common.cancel")}
            </button>
            <button type="button" className="btn btn-danger" onClick={() => blocker.proceed?.()}>
              {leaveLabel}
            </button>
          </div>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
