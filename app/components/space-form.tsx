import { getFormProps, type SubmissionResult } from "@conform-to/react";
import { Form, useNavigation } from "@remix-run/react";
import { useState } from "react";
import { JOIN_POLICIES, SPACE_KINDS, VISIBILITIES } from "#db/schema.ts";
import { useZodForm } from "#app/components/ui/use-zod-form.ts";
import { useT } from "#app/i18n/react.tsx";
import { spaceSchema, type SpaceFormValue } from "#app/utils/space-form.ts";
import { slugify } from "#app/utils/validation.ts";
import { ChoiceField, SelectField, TextareaField, TextField } from "./ui/field.tsx";
import { FormErrors } from "./auth-card.tsx";

export function SpaceForm({
  lastResult,
  defaultValue,
  submitLabel,
  intent,
  quota,
}: {
  lastResult?: SubmissionResult<string[]> | null;
  defaultValue?: Partial<Record<keyof SpaceFormValue, string>>;
  submitLabel: string;
  intent?: string;
  /** The network admin edits the quota; a space admin only sees it. */
  quota: "edit" | "show";
}) {
  const t = useT();
  const navigation = useNavigation();
  // The address follows the name until the user edits it.
  const [slugEdited, setSlugEdited] = useState(Boolean(defaultValue?.slug));
  const [slug, setSlug] = useState(defaultValue?.slug ?? "");
  const [form, fields] = useZodForm(spaceSchema, { lastResult, defaultValue });
  return (
    <Form method="post" {...getFormProps(form)} className="stack">
      <FormErrors errors={form.errors} id={form.errorId} />
      {intent ? <input type="hidden" name="intent" value={intent} /> : null}
      <TextField
        meta={fields.name}
        label={t("spaceForm.name")}
        onChange={(e) => {
          if (!slugEdited) setSlug(slugify(e.currentTarget.value));
        }}
      />
      <TextField
        meta={fields.slug}
        label={t("spaceForm.slug")}
        hint={t("spaceForm.slugHint", { slug: slug || "…" })}
        value={slug}
        onChange={(e) => {
          setSlugEdited(true);
          setSlug(e.currentTarget.value);
        }}
        autoCapitalize="none"
        spellCheck={false}
      />
      <SelectField
        meta={fields.kind}
        label={t("spaceForm.kind")}
        options={SPACE_KINDS.map((k) => ({ value: k, label: t(`kind.${k}`) }))}
      />
      <TextareaField meta={fields.description} label={t("spaceForm.description")} hint={t("spaceForm.descriptionHint")} optional />
      <ChoiceField
        meta={fields.visibility}
        legend={t("spaceForm.visibility")}
        options={VISIBILITIES.map((v) => ({ value: v, label: t(`visibility.${v}`), help: t(`visibility.${v}.help`) }))}
      />
      <ChoiceField
        meta={fields.joinPolicy}
        legend={t("spaceForm.joinPolicy")}
        options={JOIN_POLICIES.map((p) => ({ value: p, label: t(`joinPolicy.${p}`), help: t(`joinPolicy.${p}.help`) }))}
      />
      {quota === "edit" ? (
        <TextField meta={fields.quotaGb} label={t("spaceForm.quota")} type="number" step="0.1" min="0.1" inputMode="decimal" />
      ) : (
        <div className="field">
          <label htmlFor="quota-shown">{t("spaceForm.quota")}</label>
          <input id="quota-shown" value={defaultValue?.quotaGb ?? ""} readOnly aria-describedby="quota-hint" />
          <p className="field-hint" id="quota-hint">
            {t("spaceForm.quotaHint")}
          </p>
        </div>
      )}
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={navigation.state === "submitting"}>
          {submitLabel}
        </button>
      </div>
    </Form>
  );
}
