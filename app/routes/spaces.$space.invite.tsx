import { getFormProps } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { ROLES, type Space } from "#db/schema.ts";
import { audit } from "#db/queries/audit.ts";
import type { Executor } from "#db/client.ts";
import { createInvitation, hasOpenInvitation, markLinkRevealed } from "#db/queries/invitations.ts";
import { findMembership, listAdmins } from "#db/queries/members.ts";
import { findByEmail } from "#db/queries/users.ts";
import { FormErrors } from "#app/components/auth-card.tsx";
import { CopyLink } from "#app/components/copy-link.tsx";
import { GeneralErrorBoundary } from "#app/components/error-boundary.tsx";
import { SelectField, TextareaField, TextField } from "#app/components/ui/field.tsx";
import { useZodForm } from "#app/components/ui/use-zod-form.ts";
import { useT } from "#app/i18n/react.tsx";
import { approvalNeededMail } from "#app/mail/messages.ts";
import { canInviteWithRole, invitableRoles, invitationNeedsApproval } from "#app/policies/space.ts";
import { getDb } from "#app/utils/db.server.ts";
import { absoluteUrl } from "#app/utils/http.server.ts";
import { mailConfigured } from "#app/utils/mail.server.ts";
import { queueMails, send, type QueuedMail } from "#app/mail/outbox.server.ts";
import { pageTitle } from "#app/utils/meta.ts";
import { invitationLinkMail } from "#app/utils/invitation.server.ts";
import { localeOf, networkInfo } from "#app/utils/network.server.ts";
import { clientIp } from "#app/utils/request.server.ts";
import { requireSpaceAbility } from "#app/utils/space.server.ts";
import type { Locale, User } from "#db/schema.ts";
import { emailField, multilineText } from "#app/utils/validation.ts";

const schema = z.object({
  email: emailField,
  role: z.enum(ROLES, { error: "v.invalid" }),
  // The recommendation: paragraphs allowed, no other control character.
  message: multilineText(2000),
});

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "coopt.title");

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { space, membership, actor } = await requireSpaceAbility(request, params.space, "coopt");
  return {
    roles: invitableRoles(actor, membership, space),
    needsApproval: invitationNeedsApproval(actor, membership, space),
  };
}

/**
 * The mails of a new co-optation, composed for the outbox: the invitation
 * itself (carrying its link) or, when it waits for approval, a word to each
 * admin of the space.
 */
async function invitationMails(
  trx: Executor,
  space: Space,
  sponsor: User,
  invitation: { id: string; email: string; message: string },
  secret: string | null,
  network: { name: string; locale: Locale },
): Promise<QueuedMail[]> {
  if (secret) {
    return [invitationLinkMail(invitation, secret, { sponsor, space, network })];
  }
  return (await listAdmins(trx, space.id)).map((admin) => ({
    mail: approvalNeededMail({
      to: admin.email,
      locale: localeOf(admin, network.locale),
      network: network.name,
      sponsor: sponsor.display_name,
      email: invitation.email,
      space: space.name,
      message: invitation.message,
      url: absoluteUrl(`/spaces/${space.slug}/approvals`),
    }),
  }));
}

/** What the sender is told: waiting for approval, on its way by mail, or (no mail server) the link itself. */
type Sent = { email: string; outcome: "queued" } | { email: string; outcome: "mailing" } | { email: string; outcome: "link"; link: string };

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { space, membership, actor, user } = await requireSpaceAbility(request, params.space, "coopt");
  const db = getDb();
  const now = Date.now();
  const submission = await parseWithZod(await request.formData(), {
    schema: schema.superRefine(async (v, ctx) => {
      if (!canInviteWithRole(actor, membership, space, v.role)) {
        ctx.addIssue({ code: "custom", path: ["role"], message: "v.roleNotAllowed" });
      }
      const existing = await findByEmail(db, v.email);
      if (existing && (await findMembership(db, space.id, existing.id))) {
        ctx.addIssue({ code: "custom", path: ["email"], message: "v.alreadyMember" });
      } else if (await hasOpenInvitation(db, space.id, v.email, now)) {
        ctx.addIssue({ code: "custom", path: ["email"], message: "v.alreadyInvited" });
      }
    }),
    async: true,
  });
  if (submission.status !== "success") return data({ result: submission.reply(), sent: null }, { status: 400 });
  const { email, role, message } = submission.value;
  const needsApproval = invitationNeedsApproval(actor, membership, space);
  // Without a mail server the sender is the only way the link travels: it is shown, and that is recorded.
  const showLink = !needsApproval && !mailConfigured();
  // Read before the transaction: its connection is held until it ends.
  const network = await networkInfo();
  const { secret, mailIds } = await db.transaction().execute(async (trx) => {
    const created = await createInvitation(trx, { spaceId: space.id, email, role, message, sponsorId: user.id, needsApproval, now });
    if (showLink) await markLinkRevealed(trx, created.invitation.id, now);
    await audit(trx, {
      event: "invitation_created",
      actorId: user.id,
      spaceId: space.id,
      ip: clientIp(context),
      data: { email, role, needsApproval },
      now,
    });
    const mailIds = await queueMails(trx, await invitationMails(trx, space, user, created.invitation, created.secret, network), now);
    return { secret: created.secret, mailIds };
  });
  send(mailIds);
  const sent: Sent = needsApproval
    ? { email, outcome: "queued" }
    : showLink && secret
      ? { email, outcome: "link", link: absoluteUrl(`/invitations/${secret}`) }
      : { email, outcome: "mailing" };
  return { result: submission.reply({ resetForm: true }), sent };
}

export default function Invite() {
  const t = useT();
  const { roles, needsApproval } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const [form, fields] = useZodForm(schema, { lastResult: actionData?.result, defaultValue: { role: "member" } });
  const sent = actionData?.sent;
  return (
    <div className="two-col">
      <section className="card" aria-labelledby="coopt-title">
        <h2 id="coopt-title">{t("coopt.title")}</h2>
        <p className="muted">{t("coopt.intro")}</p>
        {needsApproval ? <p className="notice notice-info">{t("coopt.approvalNote")}</p> : null}
        <Form method="post" {...getFormProps(form)} className="stack">
          <FormErrors errors={form.errors} id={form.errorId} />
          <TextField meta={fields.email} label={t("coopt.email")} type="email" autoComplete="off" />
          <SelectField meta={fields.role} label={t("coopt.role")} options={roles.map((r) => ({ value: r, label: t(`role.${r}`) }))} />
          <TextareaField meta={fields.message} label={t("coopt.message")} hint={t("coopt.messageHint")} optional rows={5} />
          <div className="form-actions">
            <button type="submit" className="btn btn-primary" disabled={navigation.state === "submitting"}>
              {t("coopt.submit")}
            </button>
          </div>
        </Form>
      </section>
      {sent ? (
        <section className="card" aria-labelledby="sent-title" role="status">
          {sent.outcome === "queued" ? (
            <>
              <h2 id="sent-title">{t("coopt.queuedTitle")}</h2>
              <p>{t("coopt.queued", { email: sent.email })}</p>
            </>
          ) : sent.outcome === "mailing" ? (
            <>
              <h2 id="sent-title">{t("coopt.linkTitle")}</h2>
              <p>{t("coopt.willSend", { email: sent.email })}</p>
            </>
          ) : (
            <>
              <h2 id="sent-title">{t("coopt.noMailTitle")}</h2>
              <p>{t("coopt.noMail", { email: sent.email })}</p>
              <CopyLink link={sent.link} />
            </>
          )}
          <p>
            <Link to="../members">{t("space.members")}</Link>
          </p>
        </section>
      ) : null}
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
