import { getFormProps } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { data, redirect, type ActionFunctionArgs, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import type { Invitation } from "#db/schema.ts";
import { findBySecret } from "#db/queries/invitations.ts";
import { findById as findSpace } from "#db/queries/spaces.ts";
import { findByEmail, findById as findUser } from "#db/queries/users.ts";
import { transact } from "#db/transact.ts";
import { AuthCard, FormErrors } from "#app/components/auth-card.tsx";
import { TextField } from "#app/components/ui/field.tsx";
import { useZodForm } from "#app/components/ui/use-zod-form.ts";
import { useT } from "#app/i18n/react.tsx";
import { send } from "#app/mail/outbox.server.ts";
import { acceptInvitation, joinWithNewAccount, renewInvitationLink } from "#app/members/commands.server.ts";
import { acceptsNewcomers } from "#app/policies/membership.ts";
import { beginSecondFactor, STEP_PATHS } from "#app/second-factor/pending.server.ts";
import { acting, letterhead } from "#app/utils/acting.server.ts";
import { getSignedIn, startSession } from "#app/utils/auth.server.ts";
import { getDb } from "#app/utils/db.server.ts";
import { badRequest, forbidden, notFound, redirectWithFlash } from "#app/utils/http.server.ts";
import { getLocale, getTranslator } from "#app/utils/locale.server.ts";
import { pageTitle } from "#app/utils/meta.ts";
import { networkInfo } from "#app/utils/network.server.ts";
import { mailConfigured } from "#app/utils/mail.server.ts";
import { hashPassword } from "#app/utils/password.server.ts";
import { checkPassword, retryAfterHeaders } from "#app/utils/sign-in.server.ts";
import { nameField, withNewPassword } from "#app/utils/validation.ts";
import { spaceUrl } from "#app/urls.ts";

const createSchema = withNewPassword({ intent: z.literal("create"), displayName: nameField });
const signInSchema = z.object({ intent: z.literal("signin"), password: z.string().min(1, { error: "v.required" }).max(256) });

export const meta: MetaFunction<typeof loader> = ({ matches, data }) =>
  data && "space" in data && data.space
    ? pageTitle(matches, "invite.title", { space: data.space })
    : pageTitle(matches, GONE_TITLES[data && data.state !== "valid" ? data.state : "unknown"]);

export const headers: HeadersFunction = retryAfterHeaders;

type Mode = "create" | "confirm" | "signin" | "join" | "other-account";

/**
 * A link shown to its sender did not come through the invitee's mailbox: a
 * new account needs one that did, so while mail works the newcomer has a
 * fresh link mailed first. Without any mail server there is no mailbox to
 * prove; the network accepts that risk (README, Decisions). Signing in with an
 * existing account's password proves who one is already.
 */
function mustProveMailbox(invitation: Invitation) {
  return invitation.link_revealed_at !== null && mailConfigured();
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const db = getDb();
  const lookup = await findBySecret(db, params.token ?? "", Date.now());
  if (lookup.state !== "valid") return { state: lookup.state } as const;
  const { invitation } = lookup;
  const [space, sponsor, existing, signedIn, network] = await Promise.all([
    findSpace(db, invitation.space_id),
    findUser(db, invitation.sponsor_id),
    findByEmail(db, invitation.email),
    getSignedIn(request),
    networkInfo(),
  ]);
  if (!space) return { state: "unknown" } as const;
  // An archived space takes no one in: its open links are closed.
  if (!acceptsNewcomers(space)) return { state: "closed" } as const;
  const mode: Mode = signedIn
    ? signedIn.user.email === invitation.email
      ? "join"
      : "other-account"
    : existing
      ? "signin"
      : mustProveMailbox(invitation)
        ? "confirm"
        : "create";
  return {
    state: "valid",
    mode,
    email: invitation.email,
    current: signedIn?.user.email ?? null,
    role: invitation.role,
    message: invitation.message,
    space: space.name,
    sponsor: sponsor?.display_name ?? "",
    network: network.name,
  } as const;
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const db = getDb();
  const moment = acting({}, context);
  const lookup = await findBySecret(db, params.token ?? "", moment.now);
  if (lookup.state !== "valid") return data({ result: null, gone: lookup.state }, { status: 410 });
  const { invitation } = lookup;
  const space = await findSpace(db, invitation.space_id);
  if (!space) notFound();
  if (!acceptsNewcomers(space)) return data({ result: null, gone: "closed" as const }, { status: 410 });
  const formData = await request.formData();
  const intent = formData.get("intent");
  const signedIn = await getSignedIn(request);
  const { t } = await getTranslator(request);
  const { ip } = moment;
  let userId: string;
  let cookies: string[] = [];

  if (intent === "confirm-email") {
    if (!mustProveMailbox(invitation)) badRequest();
    if (signedIn && signedIn.user.email !== invitation.email) forbidden();
    // Read before the transaction: its connection is held until it ends.
    const ctx = { ...moment, letterhead: await letterhead(), actorId: signedIn?.user.id ?? null };
    const renewed = await transact(db, (trx) => renewInvitationLink(trx, ctx, { invitation, space }));
    if (!renewed.ok) return data({ result: null, gone: "unknown" as const }, { status: 410 });
    send(renewed.mailIds);
    return { result: null, gone: null, confirmSent: invitation.email };
  }

  if (intent === "join") {
    // Only the addressee may use the link: a member signed in as someone else cannot.
    if (!signedIn || signedIn.user.email !== invitation.email) forbidden();
    userId = signedIn.user.id;
  } else if (intent === "signin") {
    if (signedIn) forbidden();
    const submission = parseWithZod(formData, { schema: signInSchema });
    if (submission.status !== "success") return data({ result: submission.reply({ hideFields: ["password"] }), gone: null }, { status: 400 });
    const check = await checkPassword({ email: invitation.email, password: submission.value.password, ip, request });
    if (!check.ok && check.reason === "throttled") {
      return data(
        { result: submission.reply({ formErrors: [t("login.throttled", { minutes: check.minutes })], hideFields: ["password"] }), gone: null },
        { status: 429, headers: { "Retry-After": String(check.retryAfterSeconds) } },
      );
    }
    if (!check.ok) {
      const refusal = check.reason === "deactivated" ? "login.deactivated" : "login.invalid";
      return data({ result: submission.reply({ formErrors: [t(refusal)], hideFields: ["password"] }), gone: null }, { status: check.reason === "deactivated" ? 403 : 400 });
    }
    const user = check.user;
    // A second factor first (app/second-factor/): the code page brings them back here, signed in, to join.
    if (check.secondFactor) {
      const pending = await beginSecondFactor({ user, step: check.secondFactor, redirectTo: new URL(request.url).pathname });
      return redirect(STEP_PATHS[check.secondFactor], { headers: { "Set-Cookie": pending } });
    }
    userId = user.id;
  } else {
    if (signedIn) forbidden();
    if (mustProveMailbox(invitation)) forbidden();
    const submission = parseWithZod(formData, { schema: createSchema });
    if (submission.status !== "success") {
      return data({ result: submission.reply({ hideFields: ["password", "confirm"] }), gone: null }, { status: 400 });
    }
    const passwordHash = await hashPassword(submission.value.password);
    const locale = await getLocale(request);
    const created = await transact(db, (trx) =>
      joinWithNewAccount(trx, moment, { invitation, displayName: submission.value.displayName, passwordHash, locale }),
    );
    // The address has an account by now (made elsewhere meanwhile), or the link was used meanwhile
    // (and the new account went with it): the page reloads offering sign-in.
    if (!created.ok) return data({ result: null, gone: null, notice: "existing" as const }, { status: 400 });
    cookies = await startSession(request, created.user.id, ip);
    return redirectWithFlash(spaceUrl(space.slug), { key: "invite.welcome", params: { space: space.name } }, cookies);
  }

  const accepted = await transact(db, (trx) => acceptInvitation(trx, moment, { invitation, userId }));
  if (!accepted.ok) return data({ result: null, gone: "accepted" as const }, { status: 410 });
  if (!signedIn) cookies = await startSession(request, userId, ip);
  return redirectWithFlash(spaceUrl(space.slug), { key: "invite.welcome", params: { space: space.name } }, cookies);
}

/** A dead link's page says in its title what happened to it, as its text does. */
const GONE_TITLES = {
  expired: "invite.goneTitle.expired",
  accepted: "invite.goneTitle.accepted",
  revoked: "invite.goneTitle.revoked",
  refused: "invite.goneTitle.refused",
  unknown: "invite.goneTitle.unknown",
  closed: "invite.goneTitle.closed",
} as const;

const GONE_KEYS = {
  expired: "invite.expired",
  accepted: "invite.accepted",
  revoked: "invite.revoked",
  refused: "invite.refused",
  unknown: "invite.unknown",
  closed: "invite.closed",
} as const;

/** The invited address, shown fixed: the link is for this account and no other. */
function AddresseeEmail({ email }: { email: string }) {
  const t = useT();
  return (
    <div className="field">
      <label htmlFor="invite-email">{t("login.email")}</label>
      <input id="invite-email" type="email" value={email} readOnly autoComplete="username" />
    </div>
  );
}

export default function InvitationPage() {
  const t = useT();
  const loaded = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const createForm = useZodForm(createSchema, { id: "create", lastResult: actionData?.result });
  const signInForm = useZodForm(signInSchema, { id: "signin", lastResult: actionData?.result });
  // The link just asked for a fresh one by mail: it no longer opens anything, and that is expected.
  if (actionData && "confirmSent" in actionData && actionData.confirmSent) {
    return (
      <AuthCard title={t("app.name")}>
        <p className="notice notice-success" role="status">
          {t("invite.confirmSent", { email: actionData.confirmSent })}
        </p>
      </AuthCard>
    );
  }
  const gone = actionData?.gone ?? (loaded.state !== "valid" ? loaded.state : null);
  if (gone || loaded.state !== "valid") {
    const state = (gone ?? "unknown") as keyof typeof GONE_KEYS;
    return (
      <AuthCard title={t(GONE_TITLES[state])}>
        <p className="notice notice-error" role="alert">
          {t(GONE_KEYS[state])}
        </p>
        {gone === "accepted" ? (
          <p className="center">
            <Link to="/login">{t("invite.signInLink")}</Link>
          </p>
        ) : null}
      </AuthCard>
    );
  }
  const busy = navigation.state === "submitting";
  const [cForm, cFields] = createForm;
  const [sForm, sFields] = signInForm;
  return (
    <AuthCard
      title={t("invite.title", { space: loaded.space })}
      intro={
        <>
          <p>{t("invite.from", { sponsor: loaded.sponsor, space: loaded.space, network: loaded.network })}</p>
          {loaded.message ? (
            <figure className="recommendation">
              <figcaption className="small muted">{t("invite.recommendation", { sponsor: loaded.sponsor })}</figcaption>
              <blockquote className="quote">{loaded.message}</blockquote>
            </figure>
          ) : null}
          <p className="small">{t("invite.role", { role: loaded.role })}</p>
        </>
      }
    >
      {loaded.mode === "other-account" ? (
        <>
          <p className="notice notice-warning">{t("invite.otherAccount", { email: loaded.email, current: loaded.current ?? "" })}</p>
          <Form method="post" action="/logout">
            <button type="submit" className="btn btn-primary btn-block">
              {t("invite.signOutFirst")}
            </button>
          </Form>
        </>
      ) : loaded.mode === "confirm" ? (
        <Form method="post" className="stack">
          <p>{t("invite.confirmNeeded", { email: loaded.email })}</p>
          <input type="hidden" name="intent" value="confirm-email" />
          <AddresseeEmail email={loaded.email} />
          <button type="submit" className="btn btn-primary btn-block" disabled={busy}>
            {t("invite.sendConfirm")}
          </button>
        </Form>
      ) : loaded.mode === "join" ? (
        <Form method="post">
          <input type="hidden" name="intent" value="join" />
          <button type="submit" className="btn btn-primary btn-block" disabled={busy}>
            {t("invite.join", { space: loaded.space })}
          </button>
        </Form>
      ) : loaded.mode === "signin" ? (
        <Form method="post" {...getFormProps(sForm)} className="stack">
          <p>{t("invite.existingAccount")}</p>
          <FormErrors errors={sForm.errors} id={sForm.errorId} />
          <input type="hidden" name="intent" value="signin" />
          <AddresseeEmail email={loaded.email} />
          <TextField meta={sFields.password} label={t("login.password")} type="password" autoComplete="current-password" autoFocus />
          <button type="submit" className="btn btn-primary btn-block" disabled={busy}>
            {t("invite.signInAndJoin")}
          </button>
        </Form>
      ) : (
        <Form method="post" {...getFormProps(cForm)} className="stack">
          <h2>{t("invite.createAccount")}</h2>
          <FormErrors errors={cForm.errors} id={cForm.errorId} />
          <input type="hidden" name="intent" value="create" />
          <AddresseeEmail email={loaded.email} />
          <TextField meta={cFields.displayName} label={t("invite.displayName")} autoComplete="name" autoFocus />
          <TextField
            meta={cFields.password}
            label={t("invite.password")}
            hint={t("setup.passwordHint")}
            type="password"
            autoComplete="new-password"
          />
          <TextField meta={cFields.confirm} label={t("invite.confirm")} type="password" autoComplete="new-password" />
          <button type="submit" className="btn btn-primary btn-block" disabled={busy}>
            {t("invite.join", { space: loaded.space })}
          </button>
        </Form>
      )}
    </AuthCard>
  );
}
