import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useNavigation } from "@remix-run/react";
import { listBlocked } from "#db/queries/contact.ts";
import { findMember } from "#db/queries/people.ts";
import { CONTACT_POLICIES } from "#db/schema.ts";
import { transact } from "#db/transact.ts";
import { chooseContactPolicy, isContactPolicy, unblockMember } from "#app/contact/commands.server.ts";
import { useFormatDate, useT } from "#app/i18n/react.tsx";
import { acting } from "#app/utils/acting.server.ts";
import { requireSignedIn } from "#app/utils/auth.server.ts";
import { getDb } from "#app/utils/db.server.ts";
import { badRequest, notFound, redirectWithFlash } from "#app/utils/http.server.ts";
import { pageTitle } from "#app/utils/meta.ts";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "contactSettings.title");

/** Who may write to me, and whom I block: the member's own, shown to no one else. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const { user } = await requireSignedIn(request, context);
  return { policy: user.contact_policy, blocked: await listBlocked(getDb(), user.id) };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const signedIn = await requireSignedIn(request, context);
  const form = await request.formData();
  const db = getDb();
  const ctx = acting(signedIn, context);
  switch (form.get("intent")) {
    case "policy": {
      // The page offers the three choices only: anything else is not a browser's doing.
      const policy = form.get("policy");
      if (!isContactPolicy(policy)) badRequest();
      await transact(db, (trx) => chooseContactPolicy(trx, ctx, { policy }));
      return redirectWithFlash("/settings/contact", { key: "contactSettings.saved" });
    }
    case "unblock": {
      const memberId = String(form.get("member") ?? "");
      const result = await transact(db, (trx) => unblockMember(trx, ctx, memberId));
      // Someone this member does not block: nothing to lift, as for an id that is nobody's.
      if (!result.ok) notFound();
      const name = (await findMember(db, memberId))?.display_name ?? "";
      return redirectWithFlash("/settings/contact", { key: "blocks.unblocked", params: { name } });
    }
    default:
      badRequest();
  }
}

export default function ContactSettings() {
  const t = useT();
  const formatDate = useFormatDate();
  const { policy, blocked } = useLoaderData<typeof loader>();
  const busy = useNavigation().state === "submitting";
  return (
    <div className="stack">
      <section className="card form-card" aria-labelledby="contact-title">
        <h2 id="contact-title">{t("contactSettings.title")}</h2>
        <p className="muted">{t("contactSettings.intro")}</p>
        <Form method="post" className="stack">
          <input type="hidden" name="intent" value="policy" />
          <fieldset className="checks">
            <legend>{t("contactSettings.legend")}</legend>
            {CONTACT_POLICIES.map((p) => (
              <label key={p} className="check check-described">
                <input type="radio" name="policy" value={p} defaultChecked={policy === p} aria-describedby={`contact-${p}-hint`} />
                <span>
                  {t(`contactSettings.policy.${p}`)}
                  <span id={`contact-${p}-hint`} className="muted small check-hint">
                    {t(`contactSettings.policyHint.${p}`)}
                  </span>
                </span>
              </label>
            ))}
          </fieldset>
          <p className="muted small">
            {t("contactSettings.mailElsewhere")} <Link to="/settings/notifications">{t("notifySettings.title")}</Link>
          </p>
          <div className="form-actions">
            <button type="submit" className="btn btn-primary" disabled={busy}>
              {t("common.save")}
            </button>
          </div>
        </Form>
      </section>

      <section className="card form-card" aria-labelledby="blocks-title">
        <h2 id="blocks-title">{t("blocks.title")}</h2>
        <p className="muted">{t("blocks.intro")}</p>
        {blocked.length === 0 ? (
          <p className="empty-state">{t("blocks.empty")}</p>
        ) : (
          <ul className="list-reset block-list">
            {blocked.map((b) => (
              <li key={b.id}>
                <span>
                  <strong>{b.name}</strong> <span className="muted small">{t("blocks.since", { date: formatDate(b.blockedAt, "date") })}</span>
                </span>
                <Form method="post">
                  <input type="hidden" name="intent" value="unblock" />
                  <input type="hidden" name="member" value={b.id} />
                  <button type="submit" className="btn btn-small" aria-label={t("blocks.unblockLabel", { name: b.name })} disabled={busy}>
                    {t("blocks.unblock")}
                  </button>
                </Form>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
