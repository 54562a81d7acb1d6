import { getFormProps, getInputProps } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { DELETION_GRACE_DAYS, ownWriting } from "#db/queries/account-deletion.ts";
import { transact } from "#db/transact.ts";
import { requestAccountDeletion, whatHoldsBack } from "#app/accounts/deletion.server.ts";
import { FormErrors } from "#app/components/auth-card.tsx";
import { ChoiceField, FieldErrors, TextField } from "#app/components/ui/field.tsx";
import { useZodForm } from "#app/components/ui/use-zod-form.ts";
import { formatDate, isLocale } from "#app/i18n/index.ts";
import { useT } from "#app/i18n/react.tsx";
import { send } from "#app/mail/outbox.server.ts";
import { membersUrl } from "#app/urls.ts";
import { acting, letterhead } from "#app/utils/acting.server.ts";
import { endSession, requireSignedIn } from "#app/utils/auth.server.ts";
import { getDb } from "#app/utils/db.server.ts";
import { redirectWithFlash } from "#app/utils/http.server.ts";
import { getTranslator } from "#app/utils/locale.server.ts";
import { pageTitle } from "#app/utils/meta.ts";
import { clientIp } from "#app/utils/request.server.ts";
import { checkPassword } from "#app/utils/sign-in.server.ts";

const MODES = ["anonymise", "remove"] as const;

const schema = z.object({
  mode: z.enum(MODES, { error: "v.required" }),
  password: z.string({ error: "v.required" }).min(1, { error: "v.required" }).max(256),
  confirm: z.literal("on", { error: "deletion.confirmRequired" }),
});

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "deletion.title");

/** What holds the member back (spaces they alone administer), and what they wrote, counted: the page says what stays and what goes. */
async function facts(actor: Parameters<typeof whatHoldsBack>[1]) {
  const db = getDb();
  const [held, own] = await Promise.all([whatHoldsBack(db, actor), ownWriting(db, actor.id)]);
  return {
    held: held ? (held.error === "last-admin" ? { spaces: held.spaces.map((s) => ({ name: s.name, url: membersUrl(s.slug) })), network: false } : { spaces: [], network: true }) : null,
    counts: { posts: own.posts.length, comments: own.comments.length, pages: own.pages.length, files: own.files.length, asks: own.asks.length },
  };
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { actor } = await requireSignedIn(request, context);
  return { ...(await facts(actor)), graceDays: DELETION_GRACE_DAYS };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const signedIn = await requireSignedIn(request, context);
  const { user } = signedIn;
  const ip = clientIp(context);
  const { t, locale } = await getTranslator(request);
  let throttled = false;
  const submission = await parseWithZod(await request.formData(), {
    schema: schema.superRefine(async (v, ctx) => {
      // Deleting an account from a stolen session needs its password, through the sign-in throttle.
      const check = await checkPassword({ email: user.email, password: v.password, ip, request }, { reauthentication: true });
      if (check.ok) return;
      throttled = check.reason === "throttled";
      const message = check.reason === "throttled" ? t("login.throttled", { minutes: check.minutes }) : "deletion.wrongPassword";
      ctx.addIssue({ code: "custom", path: ["password"], message });
    }),
    async: true,
  });
  if (submission.status !== "success") {
    return data(submission.reply({ hideFields: ["password"] }), { status: throttled ? 429 : 400 });
  }
  const head = await letterhead();
  const ctx = { ...acting(signedIn, context), letterhead: head };
  const result = await transact(getDb(), (trx) => requestAccountDeletion(trx, ctx, { mode: submission.value.mode }));
  if (!result.ok) {
    const message =
      result.error === "last-admin" ? t("deletion.lastAdmin", { spaces: result.spaces.map((s) => s.name).join(", ") }) : t("deletion.lastNetworkAdmin");
    return data(submission.reply({ formErrors: [message], hideFields: ["password"] }), { status: 400 });
  }
  send(result.mailIds);
  // Every session ended in the transaction; this browser's cookie goes too.
  const clear = await endSession(request);
  const shownIn = isLocale(user.locale) ? user.locale : locale;
  return redirectWithFlash("/login", { kind: "info", key: "deletion.requestedFlash", params: { date: formatDate(shownIn, result.dueAt, "date") } }, [clear]);
}

export default function AccountSettings() {
  const t = useT();
  const { held, counts, graceDays } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const navigation = useNavigation();
  const [form, fields] = useZodForm(schema, { lastResult, defaultValue: { mode: "anonymise" } });
  const confirm = getInputProps(fields.confirm, { type: "checkbox" });
  return (
    <section className="card form-card" aria-labelledby="deletion-title">
      <h2 id="deletion-title">{t("deletion.title")}</h2>
      <p>{t("deletion.intro", { days: graceDays })}</p>
      <ul className="deletion-facts">
        <li>{t("deletion.atOnce")}</li>
        <li>{t("deletion.always")}</li>
        <li>{t("deletion.coopted")}</li>
      </ul>
      {held ? <FormErrors errors={form.errors} id={form.errorId} /> : null}
      {held ? (
        <div className="notice notice-warning" role="status">
          {held.network ? (
            <p>{t("deletion.heldNetwork")}</p>
          ) : (
            <>
              <p>{t("deletion.held", { count: held.spaces.length })}</p>
              <ul>
                {held.spaces.map((s) => (
                  <li key={s.url}>
                    <Link to={s.url}>{t("deletion.handOver", { space: s.name })}</Link>
                  </li>
                ))}
              </ul>
            </>
          )}
        </div>
      ) : (
        <Form method="post" {...getFormProps(form)} className="stack">
          <FormErrors errors={form.errors} id={form.errorId} />
          <p className="muted">
            {t("deletion.counts", { posts: counts.posts, comments: counts.comments, pages: counts.pages, files: counts.files, asks: counts.asks })}
          </p>
          <ChoiceField
            meta={fields.mode}
            legend={t("deletion.mode")}
            options={[
              { value: "anonymise", label: t("deletion.mode.anonymise"), help: t("deletion.mode.anonymiseHelp") },
              { value: "remove", label: t("deletion.mode.remove"), help: t("deletion.mode.removeHelp") },
            ]}
          />
          <input type="text" name="username" autoComplete="username" hidden readOnly />
          <TextField meta={fields.password} label={t("deletion.password")} type="password" autoComplete="current-password" />
          <div className={`field${fields.confirm.errors?.length ? " field-invalid" : ""}`}>
            <label className="checkbox">
              <input {...confirm} key={confirm.key} aria-describedby={fields.confirm.errors?.length ? fields.confirm.errorId : undefined} />
              {t("deletion.confirm", { days: graceDays })}
            </label>
            <FieldErrors id={fields.confirm.errorId} errors={fields.confirm.errors} />
          </div>
          <div className="form-actions">
            <button type="submit" className="btn btn-danger solid" disabled={navigation.state === "submitting"}>
              {t("deletion.submit")}
            </button>
          </div>
        </Form>
      )}
    </section>
  );
}
