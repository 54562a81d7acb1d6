import { getFormProps } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useState } from "react";
import { z } from "zod";
import { ROLES, type Space } from "#db/schema.ts";
import { audit } from "#db/queries/audit.ts";
import { createInvitation, hasOpenInvitation } from "#db/queries/invitations.ts";
import { findMembership, listAdmins } from "#db/queries/members.ts";
import { findByEmail } from "#db/queries/users.ts";
import { FormErrors } from "#app/components/auth-card.tsx";
import { GeneralErrorBoundary } from "#app/components/error-boundary.tsx";
import { SelectField, TextareaField, TextField } from "#app/components/ui/field.tsx";
import { useZodForm } from "#app/components/ui/use-zod-form.ts";
import { useT } from "#app/i18n/react.tsx";
import { approvalNeededMail, invitationMail } from "#app/mail/messages.ts";
import { canInviteWithRole, invitableRoles, invitationNeedsApproval } from "#app/policies/space.ts";
import { getDb } from "#app/utils/db.server.ts";
import { absoluteUrl } from "#app/utils/http.server.ts";
import { sendMail } from "#app/utils/mail.server.ts";
import { pageTitle } from "#app/utils/meta.ts";
import { localeOf, networkInfo } from "#app/utils/network.server.ts";
import { clientIp } from "#app/utils/request.server.ts";
import { requireSpaceAbility } from "#app/utils/space.server.ts";
import type { User } from "#db/schema.ts";
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

async function sendInvitationMails(
  space: Space,
  sponsor: User,
  invitation: { email: string; message: string },
  secret: string | null,
) {
  const network = await networkInfo();
  if (secret) {
    await sendMail(
      invitationMail({
        to: invitation.email,
        // The newcomer has no setting yet: write in the sponsor's language.
        locale: localeOf(sponsor, network.locale),
        network: network.name,
        sponsor: sponsor.display_name,
        space: space.name,
        message: invitation.message,
        url: absoluteUrl(`/invitations/${secret}`),
      }),
    );
    return;
  }
  for (const admin of await listAdmins(getDb(), space.id)) {
    await sendMail(
      approvalNeededMail({
        to: admin.email,
        locale: localeOf(admin, network.locale),
        network: network.name,
        sponsor: sponsor.display_name,
        email: invitation.email,
        space: space.name,
        message: invitation.message,
        url: absoluteUrl(`/spaces/${space.slug}/approvals`),
      }),
    );
  }
}

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
  const { invitation, secret } = await db.transaction().execute(async (trx) => {
    const created = await createInvitation(trx, { spaceId: space.id, email, role, message, sponsorId: user.id, needsApproval, now });
    await audit(trx, {
      event: "invitation_created",
      actorId: user.id,
      spaceId: space.id,
      ip: clientIp(context),
      data: { email, role, needsApproval },
      now,
    });
    return created;
  });
  await sendInvitationMails(space, user, invitation, secret);
  return {
    result: submission.reply({ resetForm: true }),
    sent: { email, queued: needsApproval, link: secret ? absoluteUrl(`/invitations/${secret}`) : null },
  };
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
          <h2 id="sent-title">{t("coopt.linkTitle")}</h2>
          {sent.queued ? (
            <p>{t("coopt.queued", { email: sent.email })}</p>
          ) : (
            <>
              <p>{t("coopt.linkIntro", { email: sent.email })}</p>
              {sent.link ? <CopyLink link={sent.link} /> : null}
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

function CopyLink({ link }: { link: string }) {
  const t = useT();
  const [copied, setCopied] = useState(false);
  return (
    <div className="field">
      <label htmlFor="invite-link">{t("coopt.linkLabel")}</label>
      <div className="copy-field">
        <input id="invite-link" readOnly value={link} onFocus={(e) => e.currentTarget.select()} />
        <button
          type="button"
          className="btn"
          onClick={() => {
            void navigator.clipboard?.writeText(link).then(() => setCopied(true));
          }}
        >
          {copied ? t("common.copied") : t("common.copy")}
        </button>
      </div>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
