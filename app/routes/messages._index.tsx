import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { GeneralErrorBoundary } from "#app/components/error-boundary.tsx";
import { loadConversationList } from "#app/conversations/load.server.ts";
import { useFormatDate, useT } from "#app/i18n/react.tsx";
import { requireSignedIn } from "#app/utils/auth.server.ts";
import { getDb } from "#app/utils/db.server.ts";
import { pageTitle } from "#app/utils/meta.ts";
import { conversationUrl, messagesUrl, newConversationUrl } from "#app/urls.ts";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "messages.title");

/** The member's conversations, latest first, with the last message; contact requests to answer stand out. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const { user } = await requireSignedIn(request, context);
  return loadConversationList(getDb(), user, new URL(request.url).searchParams.get("after"));
}

export default function Messages() {
  const t = useT();
  const formatDate = useFormatDate();
  const { conversations, next } = useLoaderData<typeof loader>();
  return (
    <div className="stack">
      <div className="page-head">
        <div>
          <h1>{t("messages.title")}</h1>
          <p>{t("messages.intro")}</p>
        </div>
        <Link to={newConversationUrl()} className="btn btn-primary">
          {t("messages.new")}
        </Link>
      </div>
      {conversations.length === 0 ? (
        <p className="card empty-state">{t("messages.empty")}</p>
      ) : (
        <ul className="list-reset card conversation-list" aria-label={t("messages.listLabel")}>
          {conversations.map((c) => {
            const names = c.others.map((o) => o.name).join(", ") || t("messages.nobodyLeft");
            return (
              <li key={c.id} className={`conversation-row${c.unread ? " is-unread" : ""}`}>
                <Link to={conversationUrl(c.id)} className="conversation-link">
                  <span className="conversation-names">
                    {c.unread ? <span className="sr-only">{t("messages.unread")} </span> : null}
                    {names}
                  </span>
                  <span className="conversation-when">{formatDate(c.at)}</span>
                  <span className="conversation-last">
                    {c.request === "toAnswer" ? (
                      <span className="badge badge-accent">{t("messages.requestToAnswer")}</span>
                    ) : c.request === "waiting" ? (
                      <span className="badge">{t("messages.requestWaiting")}</span>
                    ) : null}
                    {c.muted ? <span className="badge">{t("messages.mutedBadge")}</span> : null}{" "}
                    {c.last.deleted ? (
                      <em>{t("messages.deleted")}</em>
                    ) : c.last.by === "me" ? (
                      t("messages.lastByMe", { text: c.last.text ?? "" })
                    ) : c.last.by ? (
                      t("messages.lastBy", { name: c.last.by, text: c.last.text ?? "" })
                    ) : (
                      c.last.text
                    )}
                  </span>
                </Link>
              </li>
            );
          })}
        </ul>
      )}
      {next ? (
        <p>
          <Link to={`${messagesUrl}?after=${next}`} className="btn">
            {t("messages.older")}
          </Link>
        </p>
      ) : null}
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
