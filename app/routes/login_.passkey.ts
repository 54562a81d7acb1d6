import type { ActionFunctionArgs } from "@remix-run/node";
import { audit } from "#db/queries/audit.ts";
import { findById } from "#db/queries/users.ts";
import { transact } from "#db/transact.ts";
import { passChallenge } from "#app/second-factor/commands.server.ts";
import { openSession, passPendingSignIn } from "#app/second-factor/finish.server.ts";
import { checkSignInAnswer, defaultPasskeyName, jsonAnswer, parseRegistration, refusal, type AssertionCheck } from "#app/second-factor/passkey-flow.server.ts";
import { addPasskey, cleanPasskeyName } from "#app/second-factor/passkeys.server.ts";
import { readPending } from "#app/second-factor/pending.server.ts";
import { authenticationOptions, checkRegistration, clearChallengeCookie, registrationOptions, takeChallenge } from "#app/second-factor/webauthn.server.ts";
import { letterhead } from "#app/utils/acting.server.ts";
import { getDb } from "#app/utils/db.server.ts";
import { knownDeviceOf } from "#app/utils/device.server.ts";
import { essentialWrites } from "#app/utils/disk.server.ts";
import { getEnv } from "#app/utils/env.server.ts";
import { setFlash } from "#app/utils/flash.server.ts";
import { getTranslator } from "#app/utils/locale.server.ts";
import { clientIp, safeRedirect } from "#app/utils/request.server.ts";
import { send } from "#app/mail/outbox.server.ts";

/**
 * Passkeys at sign-in (issue 20), for the page's script (PasskeyButton):
 * POST only, JSON answers. `step` says which:
 *   sign-in  the passkey alone, from /login: discoverable keys and user
 *            verification, so it is both factors and no email is asked;
 *   code     the second step after a right password (/login/code): only the
 *            pending account's keys;
 *   setup    the factor the network requires, set up as a passkey
 *            (/login/setup) before any session.
 * `intent=options` answers the options and gives this browser its challenge
 * (an httpOnly cookie naming a server-side row); `intent=verify` checks the
 * authenticator's answer against that challenge, used up either way.
 */

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await request.formData();
  const step = form.get("step");
  const intent = form.get("intent");
  if ((step !== "sign-in" && step !== "code" && step !== "setup") || (intent !== "options" && intent !== "verify")) {
    return jsonAnswer(await refusal(request, "passkey.failed"), { status: 400 });
  }
  const ip = clientIp(context);
  const now = Date.now();
  const db = getDb();
  const { t, locale } = await getTranslator(request);

  if (step === "sign-in") {
    if (intent === "options") {
      const { options, cookie } = await essentialWrites(async () => ({ ok: true as const, ...(await authenticationOptions(db, { userId: null, purpose: "sign_in", now })) }));
      return jsonAnswer({ ok: true, options }, { cookies: [cookie] });
    }
    const checked = await checkSignInAnswer({ request, raw: form.get("response"), purpose: "sign_in", userId: null, ip, now });
    const clear = await clearChallengeCookie();
    if (!checked.ok) return refused(request, checked, clear);
    const { user, deviceId } = checked;
    // Deactivated by a network admin: told plainly, as after a right password (app/utils/sign-in.server.ts).
    if (user.deactivated_at !== null) {
      await essentialWrites(() => audit(db, { event: "sign_in_deactivated", actorId: null, targetUserId: user.id, ip, data: { email: user.email, factor: "passkey" }, now }));
      return jsonAnswer(await refusal(request, "login.deactivated"), { status: 403, cookies: [clear] });
    }
    const to = safeRedirect(form.get("redirectTo"), "/", getEnv().baseUrl.origin);
    const opened = await openSession({ request, user, ip, now, deviceId });
    const cookies = [clear, ...opened.cookies];
    if (opened.deletionCancelled) cookies.push(await setFlash("info", "deletion.cancelledFlash"));
    return jsonAnswer({ ok: true, redirectTo: to }, { cookies });
  }

  // The second step or the required setup: only for the browser holding that pending sign-in.
  const pending = await readPending(request);
  const wanted = step === "code" ? "verify" : "enroll";
  const user = pending && pending.purpose === wanted ? await findById(db, pending.user_id) : undefined;
  if (!pending || !user) return jsonAnswer(await refusal(request, "secondFactor.code.expired", undefined, "/login"), { status: 400 });

  if (step === "code") {
    if (intent === "options") {
      const { options, cookie } = await essentialWrites(async () => ({ ok: true as const, ...(await authenticationOptions(db, { userId: user.id, purpose: "second_factor", now })) }));
      return jsonAnswer({ ok: true, options }, { cookies: [cookie] });
    }
    const checked = await checkSignInAnswer({ request, raw: form.get("response"), purpose: "second_factor", userId: user.id, ip, now });
    const clear = await clearChallengeCookie();
    if (!checked.ok) return refused(request, checked, clear);
    // The same end as a code's (login_.code.tsx): the pending sign-in used up, then the session.
    const signedIn = await passPendingSignIn({ request, user, ip, now, deviceId: checked.deviceId, pendingId: pending.id });
    if (!signedIn.ok) return jsonAnswer(await refusal(request, "secondFactor.code.expired", undefined, "/login"), { status: 400, cookies: [clear] });
    const cookies = [clear, ...signedIn.cookies];
    if (signedIn.deletionCancelled) cookies.push(await setFlash("info", "deletion.cancelledFlash"));
    return jsonAnswer({ ok: true, redirectTo: pending.redirect_to }, { cookies });
  }

  // step === "setup": a passkey as the factor the network requires.
  if (intent === "options") {
    const network = (await letterhead()).network.name;
    const { options, cookie } = await essentialWrites(async () => ({ ok: true as const, ...(await registrationOptions(db, { user, network, purpose: "enroll", now })) }));
    return jsonAnswer({ ok: true, options }, { cookies: [cookie] });
  }
  const challenge = await essentialWrites(() => takeChallenge(db, request, { purpose: "enroll", userId: user.id, now }));
  const clear = await clearChallengeCookie();
  const response = parseRegistration(form.get("response"));
  const key = challenge !== null && response !== null ? await checkRegistration(response, challenge) : null;
  if (!key) return jsonAnswer(await refusal(request, "passkey.refused"), { status: 400, cookies: [clear] });
  const name = cleanPasskeyName(form.get("name")) || defaultPasskeyName(t, locale, now);
  const ctx = { ip, now, user, letterhead: await letterhead() };
  // The key and the end of the pending sign-in go together: a new factor signs in this once.
  const added = await essentialWrites(() =>
    transact(db, async (trx) => {
      const done = await addPasskey(trx, ctx, { key, name });
      if (!done.ok) return done;
      const passed = await passChallenge(trx, ctx, { challengeId: pending.id });
      return passed.ok ? done : passed;
    }),
  );
  if (!added.ok && added.error === "expired") return jsonAnswer(await refusal(request, "secondFactor.code.expired", undefined, "/login"), { status: 400, cookies: [clear] });
  if (!added.ok) return jsonAnswer(await refusal(request, "passkey.settings.duplicate"), { status: 400, cookies: [clear] });
  send(added.mailIds);
  const deviceId = await knownDeviceOf(db, request, user.id, now);
  const opened = await openSession({ request, user, ip, now, deviceId });
  const cookies = [clear, ...opened.cookies];
  if (opened.deletionCancelled) cookies.push(await setFlash("info", "deletion.cancelledFlash"));
  return jsonAnswer({ ok: true, redirectTo: pending.redirect_to }, { cookies });
}

/** An action only: asked with GET it answers the same for everyone. */
export function loader() {
  return new Response("Method Not Allowed", { status: 405, headers: { Allow: "POST" } });
}

/** A sign-in answer refused: throttled (429, with when to try again) or not accepted (400), the challenge's cookie cleared. */
async function refused(request: Request, checked: Extract<AssertionCheck, { ok: false }>, clear: string): Promise<Response> {
  if (checked.reason === "throttled") {
    return jsonAnswer(await refusal(request, "login.throttled", { minutes: checked.minutes }), {
      status: 429,
      cookies: [clear],
      headers: { "Retry-After": String(checked.retryAfterSeconds) },
    });
  }
  return jsonAnswer(await refusal(request, "passkey.refused"), { status: 400, cookies: [clear] });
}
