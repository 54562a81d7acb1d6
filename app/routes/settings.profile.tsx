import { getFormProps, getInputProps } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useState, type ReactNode } from "react";
import { audienceOf, currentProfileInput } from "#db/queries/people.ts";
import { AUDIENCES, LANGUAGES, LISTINGS, OPEN_TO_NAMES, REGIONS, SECTORS, type Audience, type Listing, type ProfileField } from "#db/profile-fields.ts";
import { PROFESSIONAL_STATUSES } from "#db/schema.ts";
import { transact } from "#db/transact.ts";
import { saveProfile } from "#app/accounts/commands.server.ts";
import { FieldErrors, SelectField, TextField } from "#app/components/ui/field.tsx";
import { useZodForm } from "#app/components/ui/use-zod-form.ts";
import { CommentEditor } from "#app/editor/CommentEditor.tsx";
import { checkCommentContent } from "#app/editor/content-pool.server.ts";
import { useLocale, useT } from "#app/i18n/react.tsx";
import { languageName } from "#app/people/format.ts";
import { MAX_SKILLS, profileSchema, skillsOf } from "#app/people/profile-form.ts";
import { PhotoField } from "#app/people/PhotoField.tsx";
import { SkillsInput } from "#app/people/SkillsInput.tsx";
import { photoUrl } from "#app/urls.ts";
import { FIELD_LABELS, WhoCanSee } from "#app/people/WhoCanSee.tsx";
import { acting } from "#app/utils/acting.server.ts";
import { requireSignedIn } from "#app/utils/auth.server.ts";
import { getDb } from "#app/utils/db.server.ts";
import { redirectWithFlash } from "#app/utils/http.server.ts";
import { pageTitle } from "#app/utils/meta.ts";

/** Every zone the runtime knows ("Europe/Paris", "America/Montreal"…), for the select. */
const TIME_ZONES = Intl.supportedValuesOf("timeZone");

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "profile.title");

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { user } = await requireSignedIn(request, context);
  const db = getDb();
  const [p, audiences] = await Promise.all([currentProfileInput(db, user.id), audienceOf(db, user.id)]);
  return {
    id: user.id,
    email: user.email,
    photoUrl: user.photo_id ? photoUrl(user.id, user.photo_id, "l") : null,
    bioJson: p.bio.json || null,
    skills: p.skills,
    profile: {
      displayName: p.displayName,
      headline: p.headline,
      sectors: p.sectors,
      region: p.region,
      city: p.city,
      professionalStatus: p.professionalStatus ?? "",
      languages: p.languages,
      website: p.website,
      linkedin: p.linkedin,
      openTo: p.openTo,
      availableFrom: p.availableFrom ?? "",
      listing: p.listing,
      vis: p.visibility,
      locale: p.locale ?? "fr",
      timeZone: p.timeZone,
    },
    audiences: { clubPeople: audiences.clubPeople, networkPeople: audiences.networkPeople, spaces: audiences.spaces.map((s) => ({ slug: s.slug, name: s.name, others: s.others })) },
    timeZones: TIME_ZONES.includes(user.time_zone) ? TIME_ZONES : [user.time_zone, ...TIME_ZONES],
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const signedIn = await requireSignedIn(request, context);
  const submission = parseWithZod(await request.formData(), { schema: profileSchema });
  if (submission.status !== "success") return data(submission.reply(), { status: 400 });
  const v = submission.value;
  const skills = skillsOf(v);
  if (skills.length > MAX_SKILLS) return data(submission.reply({ fieldErrors: { skills: ["v.tooManySkills"] } }), { status: 400 });
  // The bio, checked in its worker with the comment node list, before the transaction.
  const bio = v.bio.trim() === "" ? null : await checkCommentContent(v.bio);
  if (bio && !bio.ok && bio.error !== "empty") {
    return data(submission.reply({ fieldErrors: { bio: [bio.error === "bad_url" ? "v.bioBadUrl" : "v.bioRefused"] } }), { status: 400 });
  }
  const ctx = acting(signedIn, context);
  await transact(getDb(), (trx) =>
    saveProfile(trx, ctx, {
      displayName: v.displayName,
      headline: v.headline,
      bio: bio && bio.ok ? { json: bio.json, html: bio.html } : { json: "", html: "" },
      skills,
      sectors: v.sectors,
      region: v.region,
      city: v.city,
      professionalStatus: v.professionalStatus || null,
      languages: v.languages,
      website: v.website,
      linkedin: v.linkedin,
      openTo: v.openTo,
      availableFrom: v.availableFrom || null,
      listing: v.listing,
      visibility: v.vis,
      locale: v.locale,
      timeZone: v.timeZone,
    }),
  );
  return redirectWithFlash("/settings/profile", { key: "profile.saved" });
}

export default function Profile() {
  const t = useT();
  const locale = useLocale();
  const { id, email, photoUrl: photo, bioJson, skills, profile, audiences, timeZones } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const navigation = useNavigation();
  const [form, fields] = useZodForm(profileSchema, { lastResult, defaultValue: profile });
  // The audiences live in state so that "who can see my profile" follows each choice at once.
  const [vis, setVis] = useState<Record<ProfileField, Audience>>(profile.vis);
  const [listing, setListing] = useState<Listing>(profile.listing);
  const visFields = fields.vis.getFieldset();

  const visibility = ({ field }: { field: ProfileField }) => (
    <VisibilitySelect field={field} name={visFields[field].name} value={vis[field]} errors={visFields[field].errors} errorId={visFields[field].errorId} onChange={(a) => setVis((v) => ({ ...v, [field]: a }))} />
  );

  const checkboxes = <V extends string>(name: "sectors" | "languages" | "openTo", legend: string, values: readonly V[], label: (v: V) => string, chosen: readonly string[], field: ProfileField) => (
    <Row aside={visibility({ field })}>
      <fieldset className="field checkbox-group">
        <legend>{legend}</legend>
        <div className="checkbox-grid">
          {values.map((v) => (
            <label key={v} className="checkbox">
              <input type="checkbox" name={name} value={v} defaultChecked={chosen.includes(v)} />
              {label(v)}
            </label>
          ))}
        </div>
        <FieldErrors id={fields[name].errorId} errors={fields[name].errors} />
      </fieldset>
    </Row>
  );

  return (
    <div className="profile-settings">
      <section className="card form-card" aria-labelledby="profile-title">
        <h2 id="profile-title">{t("profile.title")}</h2>
        <p className="muted">{t("profile.intro")}</p>
        <PhotoField name={profile.displayName} photoUrl={photo} />
        <Form method="post" {...getFormProps(form)} className="stack">
          <fieldset className="profile-section">
            <legend>{t("profile.sectionIdentity")}</legend>
            <TextField meta={fields.displayName} label={t("profile.displayName")} autoComplete="name" />
            <div className="label-row">
              <span className="field-label">{t("profile.photoAudience")}</span>
              {visibility({ field: "photo" })}
            </div>
            <Row aside={visibility({ field: "headline" })}>
              <TextField meta={fields.headline} label={t("profile.headline")} hint={t("profile.headlineHint")} optional />
            </Row>
            <div className="field">
              <div className="label-row">
                <span className="field-label">{t("profile.bio")}</span>
                {visibility({ field: "bio" })}
              </div>
              <CommentEditor
                name="bio"
                initialJson={bioJson}
                ariaLabel={t("profile.bio")}
                onSubmit={() => (document.getElementById(form.id) as HTMLFormElement | null)?.requestSubmit()}
                placeholder={t("profile.bioHint")}
                hint={t("profile.bioHintShort")}
                keysHint={t("profile.bioKeys")}
                invalid={Boolean(fields.bio.errors?.length)}
                ariaDescribedBy={fields.bio.errors?.length ? fields.bio.errorId : undefined}
              />
              <FieldErrors id={fields.bio.errorId} errors={fields.bio.errors} />
            </div>
          </fieldset>

          <fieldset className="profile-section">
            <legend>{t("profile.sectionWork")}</legend>
            <Row aside={visibility({ field: "skills" })}>
              <SkillsInput
                initial={skills}
                label={t("profile.skills")}
                hint={t("profile.skillsHintTags")}
                max={MAX_SKILLS}
                invalid={Boolean(fields.skills.errors?.length)}
                errorId={fields.skills.errorId}
              />
            </Row>
            <FieldErrors id={fields.skills.errorId} errors={fields.skills.errors} />
            {checkboxes("sectors", t("profile.sectors"), SECTORS, (s) => t(`sector.${s}`), profile.sectors, "sectors")}
            <Row aside={visibility({ field: "status" })}>
              <SelectField
                meta={fields.professionalStatus}
                label={t("profile.status")}
                options={[{ value: "", label: t("profile.statusNone") }, ...PROFESSIONAL_STATUSES.map((s) => ({ value: s, label: t(`status.${s}`) }))]}
              />
            </Row>
            {checkboxes("languages", t("profile.languages"), LANGUAGES, (l) => languageName(locale, l), profile.languages, "languages")}
          </fieldset>

          <fieldset className="profile-section">
            <legend>{t("person.location")}</legend>
            <Row aside={visibility({ field: "region" })}>
              <SelectField meta={fields.region} label={t("profile.region")} options={[{ value: "", label: t("profile.regionNone") }, ...REGIONS.map((r) => ({ value: r, label: t(`region.${r}`) }))]} />
            </Row>
            <Row aside={visibility({ field: "city" })}>
              <TextField meta={fields.city} label={t("profile.city")} optional autoComplete="address-level2" />
            </Row>
          </fieldset>

          <fieldset className="profile-section">
            <legend>{t("profile.sectionContact")}</legend>
            <Row aside={visibility({ field: "email" })}>
              <div className="field">
                <label htmlFor="profile-email">{t("profile.email")}</label>
                <input id="profile-email" type="email" value={email} readOnly />
              </div>
            </Row>
            <Row aside={visibility({ field: "links" })}>
              <TextField meta={fields.website} label={t("profile.website")} hint={t("profile.linkHint")} type="url" optional placeholder="https://" />
            </Row>
            <TextField meta={fields.linkedin} label={t("profile.linkedin")} hint={t("profile.linkHint")} type="url" optional placeholder="https://www.linkedin.com/in/…" />
          </fieldset>

          <fieldset className="profile-section">
            <legend>{t("profile.sectionAvailability")}</legend>
            {checkboxes("openTo", t("profile.openTo"), OPEN_TO_NAMES, (o) => t(`openToFilter.${o}`), profile.openTo, "openTo")}
            <div className="field">
              <label htmlFor={fields.availableFrom.id}>
                {t("profile.availableFrom")} <span className="field-optional">({t("common.optional")})</span>
              </label>
              <input {...getInputProps(fields.availableFrom, { type: "date", ariaDescribedBy: `${fields.availableFrom.id}-hint` })} key={fields.availableFrom.key} />
              <p id={`${fields.availableFrom.id}-hint`} className="field-hint">
                {t("profile.availableFromHint")}
              </p>
              <FieldErrors id={fields.availableFrom.errorId} errors={fields.availableFrom.errors} />
            </div>
          </fieldset>

          <fieldset className="profile-section field choice">
            <legend>{t("profile.listing")}</legend>
            {LISTINGS.map((l) => (
              <label key={l} className="checkbox">
                <input type="radio" name="listing" value={l} checked={listing === l} onChange={() => setListing(l)} />
                {t(`profile.listing.${l}`)}
              </label>
            ))}
            <p className="field-hint">{t("profile.listingHint")}</p>
          </fieldset>

          <fieldset className="profile-section">
            <legend>{t("profile.sectionSettings")}</legend>
            <SelectField
              meta={fields.locale}
              label={t("profile.locale")}
              options={[
                { value: "fr", label: t("locale.fr") },
                { value: "en", label: t("locale.en") },
              ]}
            />
            <SelectField
              meta={fields.timeZone}
              label={t("profile.timeZone")}
              hint={t("profile.timeZoneHint")}
              options={timeZones.map((z) => ({ value: z, label: z.replaceAll("_", " ").replaceAll("/", " / ") }))}
            />
          </fieldset>

          <div className="form-actions">
            <button type="submit" className="btn btn-primary" disabled={navigation.state === "submitting"}>
              {t("common.save")}
            </button>
          </div>
        </Form>
      </section>
      <WhoCanSee memberId={id} listing={listing} vis={vis} audiences={audiences} />
    </div>
  );
}

/** A field's "visible to" select. Outside the page's component, so a change re-renders it without remounting the fields. */
function VisibilitySelect({
  field,
  name,
  value,
  errors,
  errorId,
  onChange,
}: {
  field: ProfileField;
  name: string;
  value: Audience;
  errors?: string[];
  errorId: string;
  onChange(a: Audience): void;
}) {
  const t = useT();
  return (
    <span className="vis-wrap">
      <span className={`vis-select vis-${value}`}>
        <select aria-label={t("profile.visibleToField", { field: t(FIELD_LABELS[field]) })} name={name} value={value} onChange={(e) => onChange(e.target.value as Audience)} aria-invalid={errors?.length ? true : undefined} aria-describedby={errors?.length ? errorId : undefined}>
          {AUDIENCES.map((a) => (
            <option key={a} value={a}>
              {t(`audience.${a}`)}
            </option>
          ))}
        </select>
      </span>
      <FieldErrors id={errorId} errors={errors} />
    </span>
  );
}

/** A field with its visibility select beside it. */
function Row({ aside, children }: { aside: ReactNode; children: ReactNode }) {
  return (
    <div className="profile-row">
      {children}
      {aside}
    </div>
  );
}
