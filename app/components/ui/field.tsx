import { getInputProps, getSelectProps, getTextareaProps, type FieldMetadata } from "@conform-to/react";
import type { ReactNode } from "react";
import { isMessageKey } from "#app/i18n/index.ts";
import { useT } from "#app/i18n/react.tsx";

/** Errors are message keys from the schemas; shown beside the field and tied to it for screen readers. */
export function FieldErrors({ id, errors }: { id: string; errors?: string[] }) {
  const t = useT();
  if (!errors?.length) return null;
  return (
    <ul id={id} className="field-errors">
      {errors.map((e) => (
        <li key={e}>{isMessageKey(e) ? t(e) : e}</li>
      ))}
    </ul>
  );
}

function Frame({
  meta,
  label,
  hint,
  optional,
  children,
}: {
  meta: FieldMetadata<any>;
  label: string;
  hint?: ReactNode;
  optional?: boolean;
  children: ReactNode;
}) {
  const t = useT();
  return (
    <div className={`field${meta.errors?.length ? " field-invalid" : ""}`}>
      <label htmlFor={meta.id}>
        {label}
        {optional ? <span className="field-optional"> ({t("common.optional")})</span> : null}
      </label>
      {children}
      {hint ? (
        <p id={meta.descriptionId} className="field-hint">
          {hint}
        </p>
      ) : null}
      <FieldErrors id={meta.errorId} errors={meta.errors} />
    </div>
  );
}

type InputType = "text" | "email" | "password" | "url" | "number" | "search";

export function TextField({
  meta,
  label,
  hint,
  type = "text",
  optional,
  ...rest
}: {
  meta: FieldMetadata<any>;
  label: string;
  hint?: ReactNode;
  type?: InputType;
  optional?: boolean;
} & Omit<React.InputHTMLAttributes<HTMLInputElement>, "type">) {
  const { key, defaultValue, ...props } = getInputProps(meta, { type, ariaDescribedBy: hint ? meta.descriptionId : undefined });
  // A controlled input (value given) must not also carry a defaultValue.
  const initial = rest.value === undefined ? { defaultValue } : {};
  return (
    <Frame meta={meta} label={label} hint={hint} optional={optional}>
      <input key={key} {...props} {...initial} {...rest} />
    </Frame>
  );
}

export function TextareaField({
  meta,
  label,
  hint,
  optional,
  ...rest
}: {
  meta: FieldMetadata<any>;
  label: string;
  hint?: ReactNode;
  optional?: boolean;
} & React.TextareaHTMLAttributes<HTMLTextAreaElement>) {
  const { key, ...props } = getTextareaProps(meta, { ariaDescribedBy: hint ? meta.descriptionId : undefined });
  return (
    <Frame meta={meta} label={label} hint={hint} optional={optional}>
      <textarea key={key} rows={4} {...props} {...rest} />
    </Frame>
  );
}

export function SelectField({
  meta,
  label,
  hint,
  options,
}: {
  meta: FieldMetadata<any>;
  label: string;
  hint?: ReactNode;
  options: Array<{ value: string; label: string }>;
}) {
  const { key, ...props } = getSelectProps(meta, { ariaDescribedBy: hint ? meta.descriptionId : undefined });
  return (
    <Frame meta={meta} label={label} hint={hint}>
      <select key={key} {...props}>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </Frame>
  );
}

/** A set of radio buttons with a sentence under each choice (visibility, join policy). */
export function ChoiceField({
  meta,
  legend,
  options,
}: {
  meta: FieldMetadata<any>;
  legend: string;
  options: Array<{ value: string; label: string; help: string }>;
}) {
  const current = meta.value ?? meta.initialValue;
  return (
    <fieldset
      className={`field choice${meta.errors?.length ? " field-invalid" : ""}`}
      aria-describedby={meta.errors?.length ? meta.errorId : undefined}
    >
      <legend>{legend}</legend>
      {options.map((o) => {
        const id = `${meta.id}-${o.value}`;
        return (
          <div className="choice-option" key={o.value}>
            <input
              type="radio"
              id={id}
              name={meta.name}
              form={meta.formId}
              value={o.value}
              defaultChecked={current === o.value}
              aria-describedby={`${id}-help`}
            />
            <label htmlFor={id}>
              <span className="choice-label">{o.label}</span>
              <span id={`${id}-help`} className="choice-help">
                {o.help}
              </span>
            </label>
          </div>
        );
      })}
      <FieldErrors id={meta.errorId} errors={meta.errors} />
    </fieldset>
  );
}
