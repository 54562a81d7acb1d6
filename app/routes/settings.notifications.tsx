import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { listForUser } from "#db/queries/spaces.ts";
import { transact } from "#db/transact.ts";
import { choicesOf, levelsOf } from "#db/queries/notification-choices.ts";
import { renewCalendarToken, renewFeedToken } from "#app/accounts/commands.server.ts";
import { CHOICES, CLUB_LEVELS, DIGEST_FREQUENCIES, deliveryOf, isClubLevel, isDelivery, isDigestFrequency, offersOf } from "#app/notifications/choices.ts";
import { chooseNotifications } from "#app/notifications/commands.server.ts";
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

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { user } = await requireSignedIn(request, context);
  const db = getDb();
  const [spaces, chosen, levels] = await Promise.all([listForUser(db, user.id), choicesOf(db, user.id), levelsOf(db, user.id)]);
  const live = spaces.filter((s) => s.archived_at === null);
  return {
    // What each kind does now: the member's choice, or its default.
    choices: CHOICES.map((c) => ({ kind: c.kind, section: c.section, offers: offersOf(c), delivery: deliveryOf(c.kind, chosen.get(c.kind), undefined) })),
    clubs: live.map((s) => ({ id: s.id, name: s.name, level: levels.get(s.id) ?? ("all" as const) })),
    digest: user.digest_frequency,
    hasFeedToken: user.feed_token_hash !== null,
    hasCalendarToken: user.calendar_token_hash !== null,
    spaces: live.map((s) => ({ slug: s.slug, name: s.name })),
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const signedIn = await requireSignedIn(request, context);
  const form = await request.formData();
  const db = getDb();
  const ctx = acting(signedIn, context);
  switch (form.get("intent")) {
    case "choices": {
      // The form sends one answer per kind and per club of the member's: anything else is not a browser's doing.
      const choices = CHOICES.map((c) => {
        const delivery = form.get(`kind:${c.kind}`);
        if (!isDelivery(delivery, c)) badRequest();
        return { kind: c.kind, delivery };
      });
      const clubs = (await listForUser(db, signedIn.user.id)).filter((s) => s.archived_at === null);
      const levels = clubs.flatMap((club) => {
        const level = form.get(`level:${club.id}`);
        if (level === null) return [];
        if (!isClubLevel(level)) badRequest();
        return [{ spaceId: club.id, level }];
      });
      const digest = form.get("digest");
      if (!isDigestFrequency(digest)) badRequest();
      await transact(db, (trx) => chooseNotifications(trx, ctx, { choices, levels, digest }));
      return redirectWithFlash("/settings/notifications", { key: "notifySettings.saved" });
    }
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

const SECTIONS = ["comments", "asks", "workshops", "clubs", "messages"] as const;

export default function NotificationSettings() {
  const t = useT();
  const { choices, clubs, digest, hasFeedToken, hasCalendarToken } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const created = answer && "network" in answer ? answer : undefined;
  const calendar = answer && "calendar" in answer ? answer.calendar : undefined;
  const navigation = useNavigation();
  const busy = navigation.state === "submitting";
  return (
    <div className="stack">
      <section className="card form-card notify-card" aria-labelledby="notify-title">
        <h2 id="notify-title">{t("notifySettings.title")}</h2>
        <p className="muted">{t("notifySettings.intro")}</p>
        <Form method="post" className="stack">
          <input type="hidden" name="intent" value="choices" />
          <fieldset className="notify-section" aria-describedby="notify-digest-hint">
            <legend>{t("notifySettings.digest")}</legend>
            <p id="notify-digest-hint" className="muted small">
              {t("notifySettings.digest.hint")}
            </p>
            <div className="notify-options">
              {DIGEST_FREQUENCIES.map((f) => (
                <label key={f} className="check">
                  <input type="radio" name="digest" value={f} defaultChecked={digest === f} />
                  {t(`notifySettings.digestFrequency.${f}`)}
                </label>
              ))}
            </div>
          </fieldset>
          {SECTIONS.map((section) => (
            <fieldset key={section} className="notify-section">
              <legend>{t(`notifySettings.section.${section}`)}</legend>
              {choices
                .filter((c) => c.section === section)
                .map((c) => (
                  <fieldset key={c.kind} className="notify-choice" aria-describedby={`notify-${c.kind}-hint`}>
                    <legend>{t(`notifyChoice.${c.kind}`)}</legend>
                    <p id={`notify-${c.kind}-hint`} className="muted small">
                      {t(`notifyChoice.${c.kind}.hint`)}
                    </p>
                    <div className="notify-options">
                      {c.offers.map((d) => (
                        <label key={d} className="check">
                          <input type="radio" name={`kind:${c.kind}`} value={d} defaultChecked={c.delivery === d} />
                          {t(`notifySettings.delivery.${d}`)}
                        </label>
                      ))}
                    </div>
                  </fieldset>
                ))}
            </fieldset>
          ))}
          {clubs.length > 0 ? (
            <fieldset className="notify-section">
              <legend>{t("notifySettings.clubs")}</legend>
              <ul className="muted small notify-levels">
                <li>{t("notifySettings.levelHint.all")}</li>
                <li>{t("notifySettings.levelHint.mine")}</li>
                <li>{t("notifySettings.levelHint.muted")}</li>
              </ul>
              {clubs.map((club) => (
                <div key={club.id} className="notify-club">
                  <label htmlFor={`level-${club.id}`}>{club.name}</label>
                  <select id={`level-${club.id}`} name={`level:${club.id}`} defaultValue={club.level}>
                    {CLUB_LEVELS.map((level) => (
                      <option key={level} value={level}>
                        {t(`notifySettings.level.${level}`)}
                      </option>
                    ))}
                  </select>
                </div>
              ))}
            </fieldset>
          ) : null}
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
