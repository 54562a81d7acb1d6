import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useSubmit } from "@remix-run/react";
import { useEffect, useId, useState, type ReactNode } from "react";
import { transact } from "#db/transact.ts";
import { shownName } from "#app/accounts/names.ts";
import { GeneralErrorBoundary } from "#app/components/error-boundary.tsx";
import { formatList } from "#app/i18n/index.ts";
import { useFormatDate, useLocale, useT } from "#app/i18n/react.tsx";
import { visitHome } from "#app/home/commands.server.ts";
import { homeParams, loadHome, type HomeItem, type HomeView } from "#app/home/load.server.ts";
import { requireSignedIn } from "#app/utils/auth.server.ts";
import { getDb } from "#app/utils/db.server.ts";
import { pageTitle } from "#app/utils/meta.ts";
import { WorkshopTime } from "#app/workshops/WorkshopTime.tsx";
import { messagesUrl, networkAsksUrl } from "#app/urls.ts";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "home.title");

/**
 * "Quoi de neuf": the member's home across their clubs (app/home/). Signed
 * out, the sign-in page, which comes back here. The first page of a visit moves the line between
 * new and seen (app/home/commands.server.ts), in its own short transaction.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const { user, actor } = await requireSignedIn(request, context);
  const params = homeParams(new URL(request.url));
  const db = getDb();
  const now = Date.now();
  const seenAt = params.before === null ? (await transact(db, (trx) => visitHome(trx, { user, now }))).seenAt : user.home_seen_at;
  return loadHome(db, { actor, user }, params, { now, seenAt });
}

const homeUrl = (club: string | null, before?: string) => {
  const query = new URLSearchParams();
  if (club) query.set("club", club);
  if (before) query.set("before", before);
  const text = query.toString();
  return text ? `/?${text}` : "/";
};

export default function Home() {
  const t = useT();
  const view = useLoaderData<typeof loader>();
  const { items, club, next, firstPage, afterNew, seenAt, waiting, workshops } = view;
  const formatDate = useFormatDate();
  const newCount = items.filter((i) => i.isNew).length;
  // The line goes after the last new item (two lists, the line between them); at the top when nothing is new since the previous visit.
  const lineBetween = seenAt !== null && newCount > 0 && newCount < items.length;
  const lineOnTop = seenAt !== null && firstPage && newCount === 0;
  // A later page whose first items are the first seen ones: the line opens it.
  const lineOpens = afterNew && newCount === 0 && items.length > 0;
  // Everything new and nothing older: the line closes the list.
  const lineAtEnd = seenAt !== null && items.length > 0 && newCount === items.length && next === null;
  const list = (part: HomeItem[]) => (
    <ol className="home-list list-reset">
      {part.map((item) => (
        <HomeEntry key={item.key} item={item} readerZone={view.readerZone} />
      ))}
    </ol>
  );
  const upToDate = seenAt !== null ? formatDate(seenAt) : "";
  return (
    <>
      <div className="page-head">
        <div>
          <h1>{t("home.title")}</h1>
          <p>{t("home.intro")}</p>
        </div>
        <ClubFilter clubs={view.clubs} club={club} />
      </div>
      <div className="home-layout">
        {waiting ? <Waiting waiting={waiting} /> : null}
        <section className="home-feed" aria-labelledby="home-feed-title">
          <h2 id="home-feed-title" className="sr-only">
            {t("home.feed")}
          </h2>
          {lineOnTop ? (
            <p className="home-uptodate" role="status">
              {t("home.nothingNew", { when: upToDate })}
            </p>
          ) : null}
          {lineOpens ? <p className="home-uptodate">{t("home.upToDate", { when: upToDate })}</p> : null}
          {items.length === 0 ? (
            <div className="card empty-state">
              <p>{firstPage ? t(club ? "home.emptyClub" : "home.empty") : t("home.noOlder")}</p>
              {firstPage && !club ? (
                <p className="small">
                  <Link to="/clubs">{t("home.findClubs")}</Link>
                </p>
              ) : null}
            </div>
          ) : lineBetween ? (
            <>
              {list(items.slice(0, newCount))}
              <p className="home-uptodate">{t("home.upToDate", { when: upToDate })}</p>
              {list(items.slice(newCount))}
            </>
          ) : (
            list(items)
          )}
          {lineAtEnd ? <p className="home-uptodate">{t("home.upToDateEnd", { when: upToDate })}</p> : null}
          <nav className="pagination" aria-label={t("home.pagination")}>
            {firstPage ? <span /> : <Link to={homeUrl(club)}>{t("home.newest")}</Link>}
            {next ? (
              <Link to={homeUrl(club, next)} rel="next" className="btn btn-small">
                {t("home.older")}
              </Link>
            ) : items.length > 0 && !lineAtEnd ? (
              <span className="muted small">{t("home.end")}</span>
            ) : (
              <span />
            )}
          </nav>
        </section>
        {firstPage ? <NextWorkshops workshops={workshops} readerZone={view.readerZone} /> : null}
      </div>
    </>
  );
}

/**
 * One club or all: a GET form, applied at once with JavaScript, by its
 * button without. The select follows the address (back and forward too)
 * without being rebuilt, so keyboard focus stays on it.
 */
function ClubFilter({ clubs, club }: { clubs: HomeView["clubs"]; club: string | null }) {
  const t = useT();
  const submit = useSubmit();
  const id = useId();
  const [chosen, setChosen] = useState(club ?? "");
  useEffect(() => setChosen(club ?? ""), [club]);
  if (clubs.length < 2) return null;
  return (
    <Form method="get" action="/" className="home-filter">
      <label htmlFor={id}>{t("home.club")}</label>
      <select
        id={id}
        name="club"
        value={chosen}
        onChange={(e) => {
          setChosen(e.currentTarget.value);
          submit(e.currentTarget.form, { replace: true, preventScrollReset: true });
        }}
      >
        <option value="">{t("home.allClubs")}</option>
        {clubs.map((c) => (
          <option key={c.slug} value={c.slug}>
            {c.name}
          </option>
        ))}
      </select>
      <noscript>
        <button type="submit" className="btn btn-small">
          {t("people.apply")}
        </button>
      </noscript>
    </Form>
  );
}

function HomeEntry({ item, readerZone }: { item: HomeItem; readerZone: string }) {
  const t = useT();
  const locale = useLocale();
  const formatDate = useFormatDate();
  const who = item.actor ? item.actor.url ? <Link to={item.actor.url}>{item.actor.name}</Link> : item.actor.name : t("activity.someone");
  return (
    <li className={`home-item${item.isNew ? " is-new" : ""}`}>
        <p className="home-meta small">
          <span className={`home-kind home-kind-${item.kind}`}>{t(`home.kind.${item.kind}`)}</span>
          <span>{item.club.name}</span>
          <time dateTime={new Date(item.at).toISOString()}>{formatDate(item.at)}</time>
          {item.isNew ? <span className="badge badge-brand">{t("home.new")}</span> : null}
        </p>
        {item.kind === "member" ? (
          <p className="home-title">
            <Slot text={t("home.memberJoined", { name: SLOT, club: item.club.name })}>
              <Link to={item.url}>{item.title}</Link>
            </Slot>
          </p>
        ) : (
          <h3 className="home-title">
            <Link to={item.url} className={item.kind === "workshop" && item.cancelled ? "is-cancelled" : undefined}>
              {item.title}
            </Link>
          </h3>
        )}
        <p className="home-line muted small">
          {item.kind === "post" ? <Slot text={t("home.postBy", { name: SLOT })}>{who}</Slot> : null}
          {item.kind === "page" ? <Slot text={t(item.created ? "home.pageCreated" : "home.pageEdited", { name: SLOT })}>{who}</Slot> : null}
          {item.kind === "file" ? <Slot text={item.version > 1 ? t("home.fileVersion", { name: SLOT, version: item.version }) : t("home.fileAdded", { name: SLOT })}>{who}</Slot> : null}
          {item.kind === "workshop" ? (
            <>
              {item.cancelled ? <span className="badge badge-warning">{t("workshops.state.cancelled")}</span> : null}{" "}
              <WorkshopTime locale={locale} startsAt={item.startsAt} endsAt={item.endsAt} timeZone={item.timeZone} readerZone={readerZone} />
            </>
          ) : null}
          {item.kind === "ask" ? (
            <>
              <Slot text={t("home.askBy", { name: SLOT, kind: t(`asks.kind.${item.askKind}`) })}>{who}</Slot>
              {item.skills.length > 0 ? <span className="home-match"> · {t("home.askSkills", { skills: item.skills.join(", ") })}</span> : null}
              {item.region ? <span className="home-match"> · {t("home.askRegion")}</span> : null}
              {" · "}
              {t("home.answers", { count: item.answers })}
            </>
          ) : null}
          {item.kind === "member" ? (item.byRequest ? t("home.joinedAtRequest", { name: item.sponsor !== null ? shownName(item.sponsor, t) : t("comments.formerMember") }) : item.sponsor !== null ? t("home.sponsoredBy", { name: shownName(item.sponsor, t) }) : t("home.joinedDirectly")) : null}
        </p>
        {item.kind === "post" && item.excerpt ? <p className="home-excerpt">{item.excerpt}</p> : null}
    </li>
  );
}

/** Decisions, contact requests and mentions waiting for the member; a calm line when nothing does. */
function Waiting({ waiting }: { waiting: NonNullable<HomeView["waiting"]> }) {
  const t = useT();
  const formatDate = useFormatDate();
  const { decisions, requests, mentions, exportReady } = waiting;
  const locale = useLocale();
  const decisionWords = (d: (typeof decisions)[number]) =>
    formatList(locale, [
      ...(d.invitations ? [t("home.invitations", { count: d.invitations })] : []),
      ...(d.requests ? [t("home.requests", { count: d.requests })] : []),
      ...(d.proposals ? [t("home.proposals", { count: d.proposals })] : []),
    ]);
  const nothing = decisions.length === 0 && requests.length === 0 && mentions.length === 0 && !exportReady;
  return (
    <section className="card home-waiting" aria-labelledby="home-waiting-title">
      <h2 id="home-waiting-title">{t("home.waiting")}</h2>
      {nothing ? (
        <p className="muted small">{t("home.nothingWaiting")}</p>
      ) : (
        <ul className="list">
          {exportReady ? (
            <li>
              <span className="grow">
                <Link to={exportReady.url}>{t("home.exportReady")}</Link>
                <span className="block small muted">{t("home.exportUntil", { date: formatDate(exportReady.until) })}</span>
              </span>
            </li>
          ) : null}
          {decisions.map((d) => (
            <li key={d.url}>
              <span className="grow">
                <Link to={d.url}>{t("home.decide", { what: decisionWords(d) })}</Link>
                <span className="block small muted">{d.club}</span>
              </span>
            </li>
          ))}
          {requests.slice(0, 5).map((r) => (
            <li key={r.id}>
              <span className="grow">
                <Link to={r.url}>{t("home.contactRequest", { name: r.from })}</Link>
                <span className="block small muted">{formatDate(r.at)}</span>
              </span>
            </li>
          ))}
          {requests.length > 5 ? (
            <li>
              <Link to={messagesUrl}>{t("home.moreRequests")}</Link>
            </li>
          ) : null}
          {mentions.slice(0, 5).map((m) => (
            <li key={m.id}>
              <span className="grow">
                <a href={m.url}>{t("home.mention", { name: m.by ?? t("activity.someone"), title: m.title })}</a>
                {m.excerpt ? <span className="block small home-quote">{m.excerpt}</span> : null}
                <span className="block small muted">
                  {m.club} · {formatDate(m.at)}
                </span>
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function NextWorkshops({ workshops, readerZone }: { workshops: HomeView["workshops"]; readerZone: string }) {
  const t = useT();
  const locale = useLocale();
  return (
    <section className="card home-workshops" aria-labelledby="home-workshops-title">
      <h2 id="home-workshops-title">{t("home.myWorkshops")}</h2>
      {workshops.length === 0 ? (
        <p className="muted small">{t("home.noWorkshops")}</p>
      ) : (
        <ul className="list-reset stack-sm">
          {workshops.map((w) => (
            <li key={w.id}>
              <Link to={w.url} className={w.cancelled ? "is-cancelled" : undefined}>
                {w.title}
              </Link>{" "}
              {w.cancelled ? <span className="badge badge-warning">{t("workshops.state.cancelled")}</span> : <span className="badge">{t(`home.rsvp.${w.status}`)}</span>}
              <span className="block small muted">
                <WorkshopTime locale={locale} startsAt={w.startsAt} endsAt={w.endsAt} timeZone={w.timeZone} readerZone={readerZone} />
              </span>
              <span className="block small muted">{w.place ? `${w.club} · ${w.place}` : w.club}</span>
            </li>
          ))}
        </ul>
      )}
      <p className="small">
        <Link to="/agenda">{t("home.agenda")}</Link> · <Link to={networkAsksUrl}>{t("home.asks")}</Link> · <Link to="/spaces">{t("nav.mySpaces")}</Link>
      </p>
    </section>
  );
}

/** Where a name goes in a translated line: the catalogue keeps the word order, the page puts a link there. */
const SLOT = "\u2063";

function Slot({ text, children }: { text: string; children: ReactNode }) {
  const at = text.indexOf(SLOT);
  if (at < 0) return <>{text}</>;
  return (
    <>
      {text.slice(0, at)}
      {children}
      {text.slice(at + SLOT.length)}
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
