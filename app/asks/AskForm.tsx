import { getFormProps, type SubmissionResult } from "@conform-to/react";
import { Form, Link, useNavigation } from "@remix-run/react";
import { REGIONS } from "#db/profile-fields.ts";
import { ASK_KINDS } from "#db/schema.ts";
import { ChoiceField, FieldErrors, SelectField, TextField } from "#app/components/ui/field.tsx";
import { useZodForm } from "#app/components/ui/use-zod-form.ts";
import { CommentEditor } from "#app/editor/CommentEditor.tsx";
import { useT } from "#app/i18n/react.tsx";
import type { MessageKey } from "#app/i18n/index.ts";
import { SkillsInput } from "#app/people/SkillsInput.tsx";
import { askSchema, MAX_ASK_SKILLS, MAX_ASK_TITLE } from "./form.ts";

export interface AskFormValues {
  kind: string;
  audience: string;
  title: string;
  body: string | null;
  skills: string[];
  region: string;
  deadline: string;
  updatedAt?: number;
}

/**
 * The form of a new ask and of an edit: what it is after, its words (the
 * comment editor), the skills and region wanted, a deadline, and who reads
 * it (the club, or the whole network where the club may: never a secret
 * one, the choice then disabled with why).
 */
export function AskForm({
  spaceSlug,
  values,
  lastResult,
  canAskNetwork,
  submitLabel,
  cancelTo,
}: {
  spaceSlug: string;
  values: AskFormValues;
  lastResult: SubmissionResult<string[]> | null | undefined;
  canAskNetwork: boolean;
  submitLabel: string;
  cancelTo: string;
}) {
  const t = useT();
  const busy = useNavigation().state === "submitting";
  const [form, fields] = useZodForm(askSchema, {
    lastResult,
    defaultValue: { ...values, body: values.body ?? "", updatedAt: values.updatedAt === undefined ? undefined : String(values.updatedAt) },
  });
  return (
    <Form method="post" {...getFormProps(form)} className="stack ask-form">
      {values.updatedAt !== undefined ? <input type="hidden" name="updatedAt" value={values.updatedAt} /> : null}
      <ChoiceField
        meta={fields.kind}
        legend={t("asks.form.kind")}
        options={ASK_KINDS.map((k) => ({ value: k, label: t(`asks.kind.${k}` as MessageKey), help: t(`asks.kindHelp.${k}` as MessageKey) }))}
      />
      <TextField meta={fields.title} label={t("asks.form.title")} hint={t("asks.form.titleHint")} maxLength={MAX_ASK_TITLE} autoComplete="off" />
      <div className="field">
        <span className="field-label" id={`${form.id}-body-label`}>
          {t("asks.form.body")}
        </span>
        <CommentEditor
          name="body"
          initialJson={values.body}
          spaceSlug={spaceSlug}
          ariaLabel={t("asks.form.body")}
          onSubmit={() => (document.getElementById(form.id) as HTMLFormElement | null)?.requestSubmit()}
          placeholder={t("asks.form.bodyPlaceholder")}
          invalid={Boolean(fields.body.errors?.length)}
          ariaDescribedBy={fields.body.errors?.length ? fields.body.errorId : undefined}
        />
        <FieldErrors id={fields.body.errorId} errors={fields.body.errors} />
      </div>
      <div className="field">
        <SkillsInput
          initial={values.skills}
          label={t("asks.form.skills")}
          hint={t("asks.form.skillsHint")}
          max={MAX_ASK_SKILLS}
          invalid={Boolean(fields.skills.errors?.length)}
          errorId={fields.skills.errorId}
        />
        <FieldErrors id={fields.skills.errorId} errors={fields.skills.errors} />
      </div>
      <div className="ask-form-row">
        <SelectField meta={fields.region} label={t("asks.form.region")} options={[{ value: "", label: t("asks.form.anyRegion") }, ...REGIONS.map((r) => ({ value: r, label: t(`region.${r}`) }))]} />
        <div className={`field${fields.deadline.errors?.length ? " field-invalid" : ""}`}>
          <label htmlFor={fields.deadline.id}>
            {t("asks.form.deadline")}
            <span className="field-optional"> ({t("common.optional")})</span>
          </label>
          <input
            id={fields.deadline.id}
            type="date"
            name={fields.deadline.name}
            defaultValue={values.deadline}
            aria-invalid={fields.deadline.errors?.length ? true : undefined}
            aria-describedby={`${fields.deadline.id}-hint${fields.deadline.errors?.length ? ` ${fields.deadline.errorId}` : ""}`}
          />
          <p id={`${fields.deadline.id}-hint`} className="field-hint">
            {t("asks.form.deadlineHint")}
          </p>
          <FieldErrors id={fields.deadline.errorId} errors={fields.deadline.errors} />
        </div>
      </div>
      {canAskNetwork ? (
        <ChoiceField
          meta={fields.audience}
          legend={t("asks.form.audience")}
          options={[
            { value: "space", label: t("asks.audience.space"), help: t("asks.audienceHelp.space") },
            { value: "network", label: t("asks.audience.network"), help: t("asks.audienceHelp.network") },
          ]}
        />
      ) : (
        <p className="muted small" role="note">
          <input type="hidden" name="audience" value="space" />
          {t("asks.form.secretNote")}
        </p>
      )}
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {submitLabel}
        </button>
        <Link to={cancelTo} className="btn">
          {t("common.cancel")}
        </Link>
      </div>
    </Form>
  );
}
