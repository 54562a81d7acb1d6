import type { ActionFunctionArgs } from "@remix-run/node";
import { transact } from "#db/transact.ts";
import { send } from "#app/mail/outbox.server.ts";
import { defaultPasskeyName, jsonAnswer, parseRegistration, refusal } from "#app/second-factor/passkey-flow.server.ts";
import { addPasskey, cleanPasskeyName, removePasskey, renamePasskey } from "#app/second-factor/passkeys.server.ts";
import { proveItIsYou } from "#app/second-factor/proof.server.ts";
import { checkRegistration, clearChallengeCookie, registrationOptions, takeChallenge } from "#app/second-factor/webauthn.server.ts";
import { acting, letterhead } from "#app/utils/acting.server.ts";
import { requireSignedIn } from "#app/utils/auth.server.ts";
import { getDb } from "#app/utils/db.server.ts";
import { setFlash } from "#app/utils/flash.server.ts";
import { redirectWithFlash } from "#app/utils/http.server.ts";
import { getTranslator } from "#app/utils/locale.server.ts";

/**
 * One's own passkeys (issue 20), POST only, beside /settings/security (which
 * lists them): its own address rather than more intents in that page's
 * action, because half of it answers the page's script in JSON (the options,
 * then the new key's answer) and the page's action answers its forms.
 *   intent=options   registration options; the challenge goes to this browser's cookie
 *   intent=register  the authenticator's answer (`response`) and a `name`: JSON
 *   intent=rename    `id`, `name`: back to the page with a flash
 *   intent=remove    `id`, `proof` (password or code, as turning the authenticator
 *                    off asks): back to the page with a flash
 * A signed-in session may add a passkey (the new key is told by mail);
 * removing one takes the proof, so a session left open is not enough to
 * take a way in away from its owner.
 */

const PATH = "/settings/security";

export async function action({ request, context }: ActionFunctionArgs) {
  const signedIn = await requireSignedIn(request, context);
  const { user } = signedIn;
  const form = await request.formData();
  const intent = form.get("intent");
  const ctx = acting(signedIn, context);
  const db = getDb();
  const { t, locale } = await getTranslator(request);
  const id = typeof form.get("id") === "string" ? String(form.get("id")).slice(0, 64) : "";

  if (intent === "options") {
    const network = (await letterhead()).network.name;
    const { options, cookie } = await registrationOptions(db, { user, network, purpose: "register", now: ctx.now });
    return jsonAnswer({ ok: true, options }, { cookies: [cookie] });
  }
  if (intent === "register") {
    const challenge = await takeChallenge(db, request, { purpose: "register", userId: user.id, now: ctx.now });
    const clear = await clearChallengeCookie();
    const response = parseRegistration(form.get("response"));
    const key = challenge !== null && response !== null ? await checkRegistration(response, challenge) : null;
    const refused = async (key: "passkey.refused" | "passkey.settings.duplicate") => jsonAnswer(await refusal(request, key), { status: 400, cookies: [clear] });
    if (!key) return refused("passkey.refused");
    const name = cleanPasskeyName(form.get("name")) || defaultPasskeyName(t, locale, ctx.now);
    const changing = { ...ctx, letterhead: await letterhead() };
    const added = await transact(db, (trx) => addPasskey(trx, changing, { key, name }));
    if (!added.ok) return refused("passkey.settings.duplicate");
    send(added.mailIds);
    // The page reloads its list; the flash says what happened, as the page's own forms do.
    return jsonAnswer({ ok: true, redirectTo: PATH }, { cookies: [clear, await setFlash("success", "passkey.settings.added", { name })] });
  }
  if (intent === "rename") {
    const name = cleanPasskeyName(form.get("name"));
    if (name === "") return redirectWithFlash(PATH, { kind: "error", key: "v.required" });
    const renamed = await transact(db, (trx) => renamePasskey(trx, ctx, { id, name }));
    return renamed.ok ? redirectWithFlash(PATH, { key: "passkey.settings.renamed" }) : redirectWithFlash(PATH, { kind: "error", key: "passkey.settings.notFound" });
  }
  if (intent === "remove") {
    const raw = form.get("proof");
    const proof = typeof raw === "string" ? raw.trim().slice(0, 256) : "";
    if (proof === "") return redirectWithFlash(PATH, { kind: "error", key: "secondFactor.settings.proofWrong" });
    const proved = await proveItIsYou({ user, proof, ip: ctx.ip, request });
    if (!proved.ok && proved.reason === "throttled") return redirectWithFlash(PATH, { kind: "error", key: "login.throttled", params: { minutes: proved.minutes } });
    if (!proved.ok) return redirectWithFlash(PATH, { kind: "error", key: "secondFactor.settings.proofWrong" });
    const changing = { ...ctx, letterhead: await letterhead() };
    const removed = await transact(db, (trx) => removePasskey(trx, changing, { id }));
    if (!removed.ok && removed.error === "required") return redirectWithFlash(PATH, { kind: "error", key: "passkey.settings.required" });
    if (!removed.ok) return redirectWithFlash(PATH, { kind: "error", key: "passkey.settings.notFound" });
    send(removed.mailIds);
    return redirectWithFlash(PATH, { key: "passkey.settings.removed", params: { name: removed.name } });
  }
  return redirectWithFlash(PATH, { kind: "error", key: "passkey.failed" });
}

/** An action only: asked with GET it answers the same for everyone. */
export function loader() {
  return new Response("Method Not Allowed", { status: 405, headers: { Allow: "POST" } });
}
