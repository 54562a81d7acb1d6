import { Form, useNavigation } from "@remix-run/react";
import { useEffect, useId, useState } from "react";
import { Avatar } from "#app/components/avatar.tsx";
import { ConfirmDialog } from "#app/components/ui/confirm-dialog.tsx";
import { useT } from "#app/i18n/react.tsx";

const ACTION = "/settings/profile/photo";

/**
 * The photo on the profile form: its own multipart form (a form cannot hold
 * another), working without JavaScript; with it, the chosen file is
 * previewed, cropped square as the server will crop it, before it is sent.
 */
export function PhotoField({ name, photoUrl }: { name: string; photoUrl: string | null }) {
  const t = useT();
  const id = useId();
  const navigation = useNavigation();
  const [preview, setPreview] = useState<string | null>(null);
  useEffect(() => () => void (preview && URL.revokeObjectURL(preview)), [preview]);
  const sending = navigation.state === "submitting" && navigation.formAction === ACTION;
  return (
    <section className="photo-field" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`} className="field-label">
        {t("photo.title")}
      </h3>
      <div className="photo-field-body">
        {preview ? <img className="avatar avatar-xl avatar-photo" src={preview} alt={t("photo.preview")} width={128} height={128} /> : <Avatar name={name} photoUrl={photoUrl} size="xl" />}
        <div className="stack">
          <Form method="post" action={ACTION} encType="multipart/form-data" className="photo-form">
            <label htmlFor={`${id}-file`} className="field-label">
              {t("photo.choose")}
            </label>
            <input
              id={`${id}-file`}
              type="file"
              name="photo"
              accept="image/jpeg,image/png,image/webp,image/heic,image/heif,image/avif"
              aria-describedby={`${id}-hint`}
              required
              onChange={(e) => {
                const file = e.currentTarget.files?.[0];
                setPreview(file ? URL.createObjectURL(file) : null);
              }}
            />
            <p id={`${id}-hint`} className="field-hint">
              {t("photo.hint")}
            </p>
            <div className="actions">
              <button type="submit" className="btn btn-primary btn-small" disabled={sending}>
                {t("photo.save")}
              </button>
            </div>
          </Form>
          {photoUrl ? (
            <ConfirmDialog
              trigger={
                <button type="button" className="btn btn-small">
                  {t("photo.remove")}
                </button>
              }
              title={t("photo.remove")}
              description={t("photo.removeConfirm")}
              confirmLabel={t("photo.remove")}
              action={ACTION}
              fields={{ intent: "remove" }}
            />
          ) : null}
        </div>
      </div>
    </section>
  );
}
