import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { findById } from "#db/queries/users.ts";
import { transact } from "#db/transact.ts";
import { AuthCard } from "#app/components/auth-card.tsx";
import { useT } from "#app/i18n/react.tsx";
import { cancelTotpSetup, confirmTotpSetup, passChallenge, startTotpSetup } from "#app/second-factor/commands.server.ts";
import { pendingSetupOf } from "#app/second-factor/load.server.ts";
import { clearPendingCookie, readPending, STEP_PATHS } from "#app/second-factor/pending.server.ts";
import { RecoveryCodes, TotpSetup, errorFor, type FieldRefusal } from "#app/second-factor/views.tsx";
import { PasskeyEnrolOption } from "#app/second-factor/passkey-views.tsx";
import { send } from "#app/mail/outbox.server.ts";
import { letterhead } from "#app/utils/acting.server.ts";
import { startSession } from "#app/utils/auth.server.ts";
import { getDb } from "#app/utils/db.server.ts";
import { essentialWrites } from "#app/utils/disk.server.ts";
import { redirectWithFlash } from "#app/utils/http.server.ts";
import { pageTitle } from "#app/utils/meta.ts";
import { networkInfo } from "#app/utils/network.server.ts";
import { clientIp } from "#app/utils/request.server.ts";
import { finishSignIn } from "#app/utils/sign-in.server.ts";
import { knownDeviceOf } from "#app/utils/device.server.ts";

/**
 * The setup the network requires (issue 20): a network admin or a space
 * admin without a second factor, after a right password, sets one up here
 * before any session exists — so there is nothing of the app they can use
 * meanwhile, and "sign out" is leaving this page. Confirming the first code
 * signs them in and shows the recovery codes, once.
 */

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "secondFactor.enroll.title");

async function expired() {
  return redirectWithFlash("/login", { kind: "info", key: "secondFactor.code.expired" }, [await clearPendingCookie()]);
}

async function pendingEnrolment(request: Request) {
  const pending = await readPending(request);
  if (!pending) throw await expired();
  if (pending.purpose !== "enroll") throw redirect(STEP_PATHS[pending.purpose]);
  const user = await findById(getDb(), pending.user_id);
  if (!user) throw await expired();
  return { pending, user };
}

export async function loader({ request }: LoaderFunctionArgs) {
  // No redirect when the pending sign-in is gone: the answer to the confirming POST is rendered
  // after its loaders run, and by then the pending sign-in has become a session.
  const pending = await readPending(request);
  if (!pending) return { setup: null, expired: true };
  if (pending.purpose !== "enroll") throw redirect(STEP_PATHS[pending.purpose]);
  const user = await findById(getDb(), pending.user_id);
  if (!user) return { setup: null, expired: true };
  const network = await networkInfo();
  return { setup: await pendingSetupOf(getDb(), user, network.name), expired: false };
}

type Answer = FieldRefusal | { recoveryCodes: string[]; continueTo: string };

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await request.formData();
  const intent = form.get("intent");
  if (intent === "sign-out") return redirect("/login", { headers: { "Set-Cookie": await clearPendingCookie() } });
  const { pending, user } = await pendingEnrolment(request);
  const ip = clientIp(context);
  const now = Date.now();
  const ctx = { ip, now, user };
  const db = getDb();
  if (intent === "start") {
    await essentialWrites(() => transact(db, (trx) => startTotpSetup(trx, ctx)));
    return redirect(STEP_PATHS.enroll);
  }
  if (intent === "cancel-setup") {
    await transact(db, (trx) => cancelTotpSetup(trx, ctx));
    return redirect(STEP_PATHS.enroll);
  }
  if (intent !== "confirm") return data<Answer>({ form: "setup", error: "v.required" }, { status: 400 });
  const raw = form.get("code");
  const code = typeof raw === "string" ? raw.trim().slice(0, 64) : "";
  if (!/^\d{6}$/.test(code.replace(/\s/g, ""))) return data<Answer>({ form: "setup", error: "secondFactor.code.format" }, { status: 400 });
  // The setup and the end of the pending sign-in go together: a confirmed factor signs in this once.
  const head = await letterhead();
  const confirmed = await essentialWrites(() =>
    transact(db, async (trx) => {
      const done = await confirmTotpSetup(trx, { ...ctx, letterhead: head }, { code });
      if (!done.ok) return done;
      const passed = await passChallenge(trx, ctx, { challengeId: pending.id });
      return passed.ok ? done : passed;
    }),
  );
  if (!confirmed.ok && confirmed.error === "expired") return expired();
  if (!confirmed.ok) return data<Answer>({ form: "setup", error: "secondFactor.setup.wrong" }, { status: 400 });
  send(confirmed.mailIds);
  const deviceId = await knownDeviceOf(db, request, user.id, now);
  await finishSignIn({ user, ip, now, deviceId });
  const cookies = [...(await startSession(request, user.id, ip)), await clearPendingCookie()];
  const headers = new Headers();
  for (const cookie of cookies) headers.append("Set-Cookie", cookie);
  // Shown once, on this answer: the page after it is the app.
  return data<Answer>({ recoveryCodes: confirmed.recoveryCodes, continueTo: pending.redirect_to }, { headers });
}

export default function SecondFactorSetup() {
  const t = useT();
  const { setup, expired } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  if (answer && "recoveryCodes" in answer) {
    return (
      <AuthCard title={t("secondFactor.settings.enabled")}>
        <RecoveryCodes codes={answer.recoveryCodes} />
        {/* A full page load: the app's shell is the signed-in one from here. */}
        <a className="btn btn-primary btn-block" href={answer.continueTo}>
          {t("secondFactor.enroll.continue")}
        </a>
      </AuthCard>
    );
  }
  if (expired) {
    return (
      <AuthCard title={t("secondFactor.enroll.title")}>
        <p>{t("secondFactor.code.expired")}</p>
        <Link className="btn btn-primary btn-block" to="/login">
          {t("login.submit")}
        </Link>
      </AuthCard>
    );
  }
  const refusal = answer && "form" in answer ? answer : null;
  return (
    <AuthCard title={t("secondFactor.enroll.title")} intro={<p>{t("secondFactor.enroll.intro")}</p>}>
      {setup ? (
        <TotpSetup setup={setup} error={errorFor(refusal, "setup")} cancel={false} />
      ) : (
        <>
        <PasskeyEnrolOption />
        <Form method="post" className="stack">
          <p className="muted">{t("secondFactor.setup.apps")}</p>
          <input type="hidden" name="intent" value="start" />
          <button type="submit" className="btn btn-primary btn-block">
            {t("secondFactor.setup.start")}
          </button>
        </Form>
        </>
      )}
      <Form method="post" className="center">
        <input type="hidden" name="intent" value="sign-out" />
        <button type="submit" className="btn btn-ghost btn-small">
          {t("secondFactor.enroll.signOut")}
        </button>
      </Form>
    </AuthCard>
  );
}
