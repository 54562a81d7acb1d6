import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { getNetwork } from "#db/queries/network.ts";
import { transact } from "#db/transact.ts";
import { AuthCard } from "#app/components/auth-card.tsx";
import { useT } from "#app/i18n/react.tsx";
import { linkSigner } from "#app/mail/links.server.ts";
import { readUnsubscribe } from "#app/mail/unsubscribe.server.ts";
import { stopMail } from "#app/notifications/commands.server.ts";
import { getDb } from "#app/utils/db.server.ts";
import { pageTitle } from "#app/utils/meta.ts";

/**
 * The address in a mail's List-Unsubscribe header (app/mail/unsubscribe.server.ts).
 * No session: the signed token says whom and what. A GET only asks (mail
 * scanners open every link); the POST unsubscribes — a person's button, or
 * a mail client's one-click `List-Unsubscribe=One-Click` (RFC 8058), which
 * comes from another origin by design (server/security.ts lets this one
 * address through). A token that is not ours is 400 and changes nothing.
 */

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "unsubscribe.title");

async function read(request: Request) {
  const db = getDb();
  const found = readUnsubscribe(await linkSigner(db), new URL(request.url).searchParams.get("t"));
  return { db, found };
}

export async function loader({ request }: LoaderFunctionArgs) {
  const { db, found } = await read(request);
  if (!found) return data({ state: "invalid" as const }, { status: 400 });
  const network = await getNetwork(db);
  return { state: "valid" as const, list: found.list, network: network?.name ?? "Cercle" };
}

export async function action({ request }: ActionFunctionArgs) {
  const { db, found } = await read(request);
  if (!found) return data({ done: false as const }, { status: 400 });
  await transact(db, (trx) => stopMail(trx, { userId: found.userId, list: found.list, now: Date.now() }));
  return { done: true as const };
}

export default function Unsubscribe() {
  const t = useT();
  const view = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  if (view.state === "invalid" || answer?.done === false) {
    return (
      <AuthCard title={t("unsubscribe.title")}>
        <p className="notice notice-error" role="alert">
          {t("unsubscribe.invalid")}
        </p>
        <p>
          <Link to="/settings/notifications">{t("unsubscribe.settings")}</Link>
        </p>
      </AuthCard>
    );
  }
  const what = view.list === "digest" ? null : t(`notifyChoice.${view.list}`);
  if (answer?.done) {
    return (
      <AuthCard title={t("unsubscribe.title")}>
        <p className="notice notice-success" role="status">
          {what === null ? t("unsubscribe.done.digest") : t("unsubscribe.done.kind", { what })}
        </p>
        <p>
          <Link to="/settings/notifications">{t("unsubscribe.settings")}</Link>
        </p>
      </AuthCard>
    );
  }
  return (
    <AuthCard title={t("unsubscribe.title")} intro={<p>{what === null ? t("unsubscribe.ask.digest", { network: view.network }) : t("unsubscribe.ask.kind", { what })}</p>}>
      {what !== null && view.list !== "workshopReminder" ? <p className="muted">{t("unsubscribe.keep")}</p> : null}
      <Form method="post" className="stack">
        <button type="submit" className="btn btn-primary btn-block" disabled={busy}>
          {t("unsubscribe.confirm")}
        </button>
      </Form>
      <p>
        <Link to="/settings/notifications">{t("unsubscribe.settings")}</Link>
      </p>
    </AuthCard>
  );
}
