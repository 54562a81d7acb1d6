import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import UAParser from "ua-parser-js";
import { listUserSessions } from "#db/queries/sessions.ts";
import { transact } from "#db/transact.ts";
import { endSessions } from "#app/accounts/commands.server.ts";
import { MonitorIcon, PhoneIcon } from "#app/components/icons.tsx";
import { useFormatDate, useT } from "#app/i18n/react.tsx";
import { acting } from "#app/utils/acting.server.ts";
import { requireSignedIn } from "#app/utils/auth.server.ts";
import { getDb } from "#app/utils/db.server.ts";
import { badRequest, notFound, redirectWithFlash } from "#app/utils/http.server.ts";
import { pageTitle } from "#app/utils/meta.ts";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "sessions.title");

function describeDevice(userAgent: string): { browser: string; os: string; mobile: boolean } | null {
  if (!userAgent) return null;
  const ua = new UAParser(userAgent).getResult();
  if (!ua.browser.name) return null;
  return {
    browser: [ua.browser.name, ua.browser.major].filter(Boolean).join(" "),
    os: [ua.os.name, ua.os.version].filter(Boolean).join(" ") || "?",
    mobile: ua.device.type === "mobile" || ua.device.type === "tablet",
  };
}

export async function loader({ request }: LoaderFunctionArgs) {
  const { user, session } = await requireSignedIn(request);
  const sessions = await listUserSessions(getDb(), user.id);
  return {
    sessions: sessions.map((s) => ({
      id: s.id,
      current: s.id === session.id,
      device: describeDevice(s.user_agent),
      ip: s.ip,
      createdAt: s.created_at,
      lastSeenAt: s.last_seen_at,
    })),
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const signedIn = await requireSignedIn(request);
  const form = await request.formData();
  const intent = form.get("intent");
  const ctx = acting(signedIn, context);
  if (intent === "revoke-others") {
    const ended = await transact(getDb(), (trx) => endSessions(trx, ctx, { allBut: signedIn.session.id }));
    if (!ended.ok) notFound();
    return redirectWithFlash("/settings/sessions", { key: "sessions.othersRevoked", params: { count: ended.count } });
  }
  if (intent === "revoke") {
    const sessionId = form.get("sessionId");
    if (typeof sessionId !== "string" || !sessionId) badRequest();
    const ended = await transact(getDb(), (trx) => endSessions(trx, ctx, { sessionId }));
    if (!ended.ok) notFound();
    if (sessionId === signedIn.session.id) return redirectWithFlash("/login", { kind: "info", key: "flash.signedOut" });
    return redirectWithFlash("/settings/sessions", { key: "sessions.revoked" });
  }
  badRequest();
}

export default function Sessions() {
  const t = useT();
  const formatDate = useFormatDate();
  const { sessions } = useLoaderData<typeof loader>();
  const others = sessions.filter((s) => !s.current).length;
  return (
    <section className="card" aria-labelledby="sessions-title">
      <div className="page-head">
        <div>
          <h2 id="sessions-title">{t("sessions.title")}</h2>
          <p>{t("sessions.intro")}</p>
        </div>
        {others > 0 ? (
          <Form method="post">
            <input type="hidden" name="intent" value="revoke-others" />
            <button type="submit" className="btn btn-danger">
              {t("sessions.revokeOthers")}
            </button>
          </Form>
        ) : null}
      </div>
      <ul className="list">
        {sessions.map((s) => (
          <li key={s.id} data-testid="session">
            <span className="device-icon">{s.device?.mobile ? <PhoneIcon /> : <MonitorIcon />}</span>
            <span className="grow">
              <strong>{s.device ? t("sessions.browserOn", { browser: s.device.browser, os: s.device.os }) : t("sessions.unknownDevice")}</strong>{" "}
              {s.current ? <span className="badge badge-accent">{t("sessions.current")}</span> : null}
              <br />
              <span className="muted small">
                {t("sessions.lastSeen", { date: formatDate(s.lastSeenAt) })} · {t("sessions.signedIn", { date: formatDate(s.createdAt) })}
                {s.ip ? ` · ${t("sessions.address", { ip: s.ip })}` : ""}
              </span>
            </span>
            {!s.current ? (
              <Form method="post">
                <input type="hidden" name="intent" value="revoke" />
                <input type="hidden" name="sessionId" value={s.id} />
                <button type="submit" className="btn btn-small">
                  {t("sessions.revoke")}
                </button>
              </Form>
            ) : null}
          </li>
        ))}
      </ul>
      {others === 0 ? <p className="muted small">{t("sessions.onlyThis")}</p> : null}
    </section>
  );
}
