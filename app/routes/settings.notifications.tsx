import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { listForUser } from "#db/queries/spaces.ts";
import { transact } from "#db/transact.ts";
import { chooseMails, renewCalendarToken, renewFeedToken } from "#app/accounts/commands.server.ts";
import { ConfirmDialog } from "#app/components/ui/confirm-dialog.tsx";
import { useT } from "#app/i18n/react.tsx";
import { acting } from "#app/utils/acting.server.ts";
import { requireSignedIn } from "#app/utils/auth.server.ts";
import { getDb } from "#app/utils/db.server.ts";
import { getEnv } from "#app/utils/env.server.ts";
import { badRequest, redirectWithFlash } from "#app/utils/http.server.ts";
import { pageTitle } from "#app/utils/meta.ts";
import { calendarFeedUrl, spaceFeedUrl } from "#app/urls.ts";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "notifySettings.title");

export async function loader({ request }: LoaderFunctionArgs) {
  const { user } = await requireSignedIn(request);
  const spaces = await listForUser(getDb(), user.id);
  return {
    mail: {
      onMention: user.mail_on_mention === 1,
      onReply: user.mail_on_reply === 1,
      onWorkshop: user.mail_on_workshop === 1,
      workshopReminders: user.mail_workshop_reminders === 1,
    },
    hasFeedToken: user.feed_token_hash !== null,
    hasCalendarToken: user.calendar_token_hash !== null,
    spaces: spaces.filter((s) => s.archived_at === null).map((s) => ({ slug: s.slug, name: s.name })),
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const signedIn = await requireSignedIn(request);
  const form = await request.formData();
  const db = getDb();
  const ctx = acting(signedIn, context);
  switch (form.get("intent")) {
    case "mail":
      await transact(db, (trx) =>
        chooseMails(trx, ctx, {
          onMention: form.get("onMention") === "on",
          onReply: form.get("onReply") === "on",
          onWorkshop: form.get("onWorkshop") === "on",
          workshopReminders: form.get("workshopReminders") === "on",
        }),
      );
      return redirectWithFlash("/settings/notifications", { key: "notifySettings.saved" });
    case "reset-feed": {
      // The addresses are shown this once: only the token's hash is kept, and the old ones stop working now.
      const { token } = await transact(db, (trx) => renewFeedToken(trx, ctx));
      const base = getEnv().baseUrl;
      const spaces = await listForUser(db, signedIn.user.id);
      return data({
        network: new URL(`/feeds/${token}/network`, base).href,
        spaces: spaces.filter((s) => s.archived_at === null).map((s) => ({ name: s.name, url: new URL(spaceFeedUrl(token, s.slug), base).href })),
      });
    }
    case "reset-calendar": {
      // Shown this once, as the feeds: only the token's hash is kept, and the old address stops working now.
      const { token } = await transact(db, (trx) => renewCalendarToken(trx, ctx));
      return data({ calendar: new URL(calendarFeedUrl(token), getEnv().baseUrl).href });
    }
    default:
      badRequest();
  }
}

export default function NotificationSettings() {
  const t = useT();
  const { mail, hasFeedToken, hasCalendarToken } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const created = answer && "network" in answer ? answer : undefined;
  const calendar = answer && "calendar" in answer ? answer.calendar : undefined;
  const navigation = useNavigation();
  const busy = navigation.state === "submitting";
  return (
    <div className="stack">
      <section className="card form-card" aria-labelledby="mail-title">
        <h2 id="mail-title">{t("notifySettings.title")}</h2>
        <p className="muted">{t("notifySettings.intro")}</p>
        <Form method="post" className="stack">
          <input type="hidden" name="intent" value="mail" />
          <fieldset className="checks">
            <legend>{t("notifySettings.mailLegend")}</legend>
            <label className="check">
              <input type="checkbox" name="onMention" defaultChecked={mail.onMention} />
              {t("notifySettings.onMention")}
            </label>
            <label className="check">
              <input type="checkbox" name="onReply" defaultChecked={mail.onReply} />
              {t("notifySettings.onReply")}
            </label>
            <label className="check">
              <input type="checkbox" name="onWorkshop" defaultChecked={mail.onWorkshop} />
              {t("notifySettings.onWorkshop")}
            </label>
            <label className="check">
              <input type="checkbox" name="workshopReminders" defaultChecked={mail.workshopReminders} />
              {t("notifySettings.workshopReminders")}
            </label>
          </fieldset>
          <div className="form-actions">
            <button type="submit" className="btn btn-primary" disabled={busy}>
              {t("common.save")}
            </button>
          </div>
        </Form>
      </section>

      <section className="card form-card" aria-labelledby="feeds-title">
        <h2 id="feeds-title">{t("feeds.title")}</h2>
        <p className="muted">{t("feeds.intro")}</p>
        {created ? (
          <div className="notice notice-success stack" role="status">
            <p>{t("feeds.createdOnce")}</p>
            <FeedAddress label={t("feeds.networkLabel")} url={created.network} />
            {created.spaces.map((s) => (
              <FeedAddress key={s.url} label={s.name} url={s.url} />
            ))}
          </div>
        ) : (
          <p>{hasFeedToken ? t("feeds.exists") : t("feeds.none")}</p>
        )}
        {hasFeedToken && !created ? (
          <ConfirmDialog
            trigger={
              <button type="button" className="btn">
                {t("feeds.reset")}
              </button>
            }
            title={t("feeds.resetTitle")}
            description={t("feeds.resetText")}
            confirmLabel={t("feeds.reset")}
            tone="primary"
            fields={{ intent: "reset-feed" }}
          />
        ) : !created ? (
          <Form method="post">
            <input type="hidden" name="intent" value="reset-feed" />
            <button type="submit" className="btn btn-primary" disabled={busy}>
              {t("feeds.create")}
            </button>
          </Form>
        ) : null}
      </section>

      <section className="card form-card" aria-labelledby="calendar-title">
        <h2 id="calendar-title">{t("calendarFeed.title")}</h2>
        <p className="muted">{t("calendarFeed.intro")}</p>
        {calendar ? (
          <div className="notice notice-success stack" role="status">
            <p>{t("calendarFeed.createdOnce")}</p>
            <FeedAddress label={t("calendarFeed.label")} url={calendar} />
          </div>
        ) : (
          <p>{hasCalendarToken ? t("calendarFeed.exists") : t("calendarFeed.none")}</p>
        )}
        {hasCalendarToken && !calendar ? (
          <ConfirmDialog
            trigger={
              <button type="button" className="btn">
                {t("calendarFeed.reset")}
              </button>
            }
            title={t("calendarFeed.resetTitle")}
            description={t("calendarFeed.resetText")}
            confirmLabel={t("calendarFeed.reset")}
            tone="primary"
            fields={{ intent: "reset-calendar" }}
          />
        ) : !calendar ? (
          <Form method="post">
            <input type="hidden" name="intent" value="reset-calendar" />
            <button type="submit" className="btn btn-primary" disabled={busy}>
              {t("calendarFeed.create")}
            </button>
          </Form>
        ) : null}
      </section>
    </div>
  );
}

function FeedAddress({ label, url }: { label: string; url: string }) {
  return (
    <div className="field">
      <label>
        {label}
        <input type="text" readOnly value={url} className="mono" onFocus={(e) => e.currentTarget.select()} />
      </label>
    </div>
  );
}
