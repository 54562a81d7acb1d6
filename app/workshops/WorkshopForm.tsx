import { Form, Link, useNavigation } from "@remix-run/react";
import { useId, useMemo, useState, type ReactNode } from "react";
import { CoverPicker, type CoverView } from "#app/components/post-form.tsx";
import { Editor } from "#app/editor/Editor.tsx";
import { spaceFiles } from "#app/files/editor-files.ts";
import type { MessageKey } from "#app/i18n/index.ts";
import { useFormatSize, useT } from "#app/i18n/react.tsx";
import type { WorkshopField, WorkshopFormEcho } from "./form.server.ts";

/**
 * The workshop form (schedule; edit later): plain fields a phone fills with
 * its own date and time pickers, each error beside its field and announced,
 * the description in the editor the wiki and the blog use.
 */
export function WorkshopForm({
  spaceSlug,
  values,
  errors,
  zones,
  submitLabel,
  cancelTo,
  members,
  cover,
  canOpenToNetwork,
  hidden = {},
  children,
}: {
  spaceSlug: string;
  values: WorkshopFormEcho;
  errors?: Partial<Record<WorkshopField, MessageKey>>;
  zones: Array<{ value: string; label: string }>;
  submitLabel: string;
  cancelTo: string;
  /** The space's members, who may lead it. */
  members: Array<{ id: string; name: string }>;
  cover: CoverView | null;
  /** Whether this space may open a workshop to the network (not a secret or archived one). */
  canOpenToNetwork: boolean;
  /** Fields the form carries unseen (the revision an edit started from, the session it follows). */
  hidden?: Record<string, string>;
  /** Said above the fields (a stale edit's conflict). */
  children?: ReactNode;
}) {
  const t = useT();
  const id = useId();
  const formatSize = useFormatSize();
  const files = useMemo(() => spaceFiles(spaceSlug, formatSize), [spaceSlug, formatSize]);
  const busy = useNavigation().state === "submitting";
  const field = (name: WorkshopField, label: string, input: (props: { id: string; "aria-describedby"?: string; "aria-invalid"?: true }) => ReactNode, options: { hint?: string; optional?: boolean } = {}) => {
    const error = errors?.[name];
    const describedBy = [options.hint ? `${id}-${name}-hint` : "", error ? `${id}-${name}-error` : ""].filter(Boolean).join(" ") || undefined;
    return (
      <div className={`field${error ? " field-invalid" : ""}`}>
        <label htmlFor={`${id}-${name}`}>
          {label}
          {options.optional ? <span className="field-optional"> ({t("common.optional")})</span> : null}
        </label>
        {input({ id: `${id}-${name}`, "aria-describedby": describedBy, ...(error ? { "aria-invalid": true as const } : {}) })}
        {options.hint ? (
          <p className="field-hint" id={`${id}-${name}-hint`}>
            {options.hint}
          </p>
        ) : null}
        {error ? (
          <p className="field-error" id={`${id}-${name}-error`}>
            {t(error)}
          </p>
        ) : null}
      </div>
    );
  };
  const hasErrors = errors && Object.keys(errors).length > 0;
  return (
    <Form method="post" className="stack workshop-form" noValidate>
      {Object.entries(hidden).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      {children}
      {hasErrors ? (
        <div className="form-errors" role="alert">
          <p>{t("workshops.form.errors")}</p>
        </div>
      ) : null}
      {field("title", t("workshops.form.title"), (p) => <input {...p} name="title" defaultValue={values.title} maxLength={160} required autoComplete="off" />)}
      <div className="workshop-when">
        {field("date", t("workshops.form.date"), (p) => <input {...p} type="date" name="date" defaultValue={values.date} required />)}
        {field("start", t("workshops.form.start"), (p) => <input {...p} type="time" name="start" defaultValue={values.start} required />)}
        {field("end", t("workshops.form.end"), (p) => <input {...p} type="time" name="end" defaultValue={values.end} required />)}
      </div>
      {field(
        "timeZone",
        t("workshops.form.timeZone"),
        (p) => (
          <select {...p} name="timeZone" defaultValue={values.timeZone}>
            {zones.map((z) => (
              <option key={z.value} value={z.value}>
                {z.label}
              </option>
            ))}
          </select>
        ),
        { hint: t("workshops.form.timeZoneHint") },
      )}
      {field("place", t("workshops.form.place"), (p) => <input {...p} name="place" defaultValue={values.place} maxLength={300} autoComplete="street-address" />, {
        hint: t("workshops.form.placeHint"),
        optional: true,
      })}
      {field("videoUrl", t("workshops.form.videoUrl"), (p) => <input {...p} type="url" name="videoUrl" defaultValue={values.videoUrl} maxLength={500} inputMode="url" />, {
        hint: t("workshops.form.videoUrlHint"),
        optional: true,
      })}
      {field("capacity", t("workshops.form.capacity"), (p) => <input {...p} type="number" name="capacity" defaultValue={values.capacity} min={1} max={10000} step={1} inputMode="numeric" />, {
        hint: t("workshops.form.capacityHint"),
        optional: true,
      })}
      {field("closes", t("workshops.form.closes"), (p) => <input {...p} type="datetime-local" name="closes" defaultValue={values.closes} />, {
        hint: t("workshops.form.closesHint"),
        optional: true,
      })}
      <Facilitators members={members} chosen={values.facilitators} error={errors?.facilitators ? t(errors.facilitators) : null} />
      {field("outsideSpeaker", t("workshops.form.speaker"), (p) => <input {...p} name="outsideSpeaker" defaultValue={values.outsideSpeaker} maxLength={120} />, {
        hint: t("workshops.form.speakerHint"),
        optional: true,
      })}
      <CoverPicker id={`${id}-cover`} files={files} initial={cover} error={errors?.coverFileId ? t(errors.coverFileId) : null} onChange={() => undefined} />
      {canOpenToNetwork || values.network ? (
        <div className={`field${errors?.network ? " field-invalid" : ""}`}>
          <label className="check">
            <input type="checkbox" name="network" defaultChecked={values.network} aria-describedby={`${id}-network-hint`} />
            {t("workshops.form.network")}
          </label>
          <p className="field-hint" id={`${id}-network-hint`}>
            {t("workshops.form.networkHint")}
          </p>
          {errors?.network ? <p className="field-error">{t(errors.network)}</p> : null}
        </div>
      ) : null}
      <div className={`field${errors?.description ? " field-invalid" : ""}`}>
        <span className="field-label" id={`${id}-description-label`}>
          {t("workshops.form.description")} <span className="field-optional">({t("common.optional")})</span>
        </span>
        <Editor
          name="description"
          initialJson={values.description}
          spaceSlug={spaceSlug}
          ariaLabel={t("workshops.form.description")}
          ariaDescribedBy={errors?.description ? `${id}-description-error` : undefined}
          invalid={Boolean(errors?.description)}
          files={files}
        />
        {errors?.description ? (
          <p className="field-error" id={`${id}-description-error`}>
            {t(errors.description)}
          </p>
        ) : null}
      </div>
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

/**
 * Who leads it: the space's members as checkboxes (a phone and a screen
 * reader handle those best), those chosen first, narrowed by a filter when
 * the club is large. Works as plain checkboxes without script.
 */
function Facilitators({ members, chosen, error }: { members: Array<{ id: string; name: string }>; chosen: string[]; error: string | null }) {
  const t = useT();
  const id = useId();
  const [filter, setFilter] = useState("");
  const picked = new Set(chosen);
  const ordered = [...members.filter((m) => picked.has(m.id)), ...members.filter((m) => !picked.has(m.id))];
  const needle = fold(filter);
  return (
    <fieldset className={`field facilitators-field${error ? " field-invalid" : ""}`} aria-describedby={error ? `${id}-error` : undefined}>
      <legend>{t("workshops.form.facilitators")}</legend>
      {members.length > 8 ? (
        <input type="search" className="facilitators-filter" value={filter} onChange={(e) => setFilter(e.target.value)} aria-label={t("workshops.form.facilitatorsFilter")} placeholder={t("workshops.form.facilitatorsFilter")} />
      ) : null}
      <div className="facilitators-list">
        {ordered.map((m) => (
          <label key={m.id} className="check" hidden={needle !== "" && !fold(m.name).includes(needle) && !picked.has(m.id)}>
            <input type="checkbox" name="facilitators" value={m.id} defaultChecked={picked.has(m.id)} />
            {m.name}
          </label>
        ))}
      </div>
      {error ? (
        <p className="field-error" id={`${id}-error`}>
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}

const fold = (s: string) => s.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase().trim();
