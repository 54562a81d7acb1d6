import { getFormProps } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { LOCALES, PROFESSIONAL_STATUSES } from "#db/schema.ts";
import { parseSkills } from "#db/queries/users.ts";
import { currentProfileInput } from "#db/queries/people.ts";
import { transact } from "#db/transact.ts";
import { saveProfile } from "#app/accounts/commands.server.ts";
import { SelectField, TextareaField, TextField } from "#app/components/ui/field.tsx";
import { useZodForm } from "#app/components/ui/use-zod-form.ts";
import { useT } from "#app/i18n/react.tsx";
import { acting } from "#app/utils/acting.server.ts";
import { requireSignedIn } from "#app/utils/auth.server.ts";
import { getDb } from "#app/utils/db.server.ts";
import { redirectWithFlash } from "#app/utils/http.server.ts";
import { pageTitle } from "#app/utils/meta.ts";
import { multilineText, nameField, optionalText, parseSkillList } from "#app/utils/validation.ts";
import { isTimeZone } from "#app/blog/schedule.ts";

const schema = z.object({
  displayName: nameField,
  headline: optionalText(140),
  bio: multilineText(4000),
  skills: optionalText(1000),
  region: optionalText(100),
  professionalStatus: z.enum(PROFESSIONAL_STATUSES).or(z.literal("")).default(""),
  locale: z.enum(LOCALES, { error: "v.invalid" }),
  timeZone: z.string().refine(isTimeZone, { error: "v.invalid" }),
});

/** Every zone the runtime knows ("Europe/Paris", "America/Montreal"…), for the select. */
const TIME_ZONES = Intl.supportedValuesOf("timeZone");

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "profile.title");

export async function loader({ request }: LoaderFunctionArgs) {
  const { user } = await requireSignedIn(request);
  return {
    email: user.email,
    profile: {
      displayName: user.display_name,
      headline: user.headline,
      bio: user.bio,
      skills: parseSkills(user.skills).join(", "),
      region: user.region,
      professionalStatus: user.professional_status ?? "",
      locale: user.locale ?? "fr",
      timeZone: user.time_zone,
    },
    timeZones: TIME_ZONES.includes(user.time_zone) ? TIME_ZONES : [user.time_zone, ...TIME_ZONES],
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const signedIn = await requireSignedIn(request);
  const submission = parseWithZod(await request.formData(), { schema });
  if (submission.status !== "success") return data(submission.reply(), { status: 400 });
  const v = submission.value;
  const ctx = acting(signedIn, context);
  await transact(getDb(), async (trx) =>
    saveProfile(trx, ctx, {
      // Work in progress (issue 15): the form is being rebuilt around the new profile.
      ...(await currentProfileInput(trx, signedIn.user.id)),
      displayName: v.displayName,
      headline: v.headline,
      skills: parseSkillList(v.skills),
      professionalStatus: v.professionalStatus || null,
      locale: v.locale,
      timeZone: v.timeZone,
    }),
  );
  return redirectWithFlash("/settings/profile", { key: "profile.saved" });
}

export default function Profile() {
  const t = useT();
  const { email, profile, timeZones } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const navigation = useNavigation();
  const [form, fields] = useZodForm(schema, { lastResult, defaultValue: profile });
  return (
    <section className="card form-card" aria-labelledby="profile-title">
      <h2 id="profile-title">{t("profile.title")}</h2>
      <p className="muted">{t("profile.intro")}</p>
      <Form method="post" {...getFormProps(form)} className="stack">
        <div className="field">
          <label htmlFor="profile-email">{t("profile.email")}</label>
          <input id="profile-email" type="email" value={email} readOnly />
        </div>
        <TextField meta={fields.displayName} label={t("profile.displayName")} autoComplete="name" />
        <TextField meta={fields.headline} label={t("profile.headline")} hint={t("profile.headlineHint")} optional />
        <TextField meta={fields.skills} label={t("profile.skills")} hint={t("profile.skillsHint")} optional />
        <SelectField
          meta={fields.professionalStatus}
          label={t("profile.status")}
          options={[{ value: "", label: t("profile.statusNone") }, ...PROFESSIONAL_STATUSES.map((s) => ({ value: s, label: t(`status.${s}`) }))]}
        />
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
        <div className="form-actions">
          <button type="submit" className="btn btn-primary" disabled={navigation.state === "submitting"}>
            {t("common.save")}
          </button>
        </div>
      </Form>
    </section>
  );
}
