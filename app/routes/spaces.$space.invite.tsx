import { getFormProps } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { ROLES } from "#db/schema.ts";
import { transact } from "#db/transact.ts";
import { FormErrors } from "#app/components/auth-card.tsx";
import { CopyLink } from "#app/components/copy-link.tsx";
import { GeneralErrorBoundary } from "#app/components/error-boundary.tsx";
import { SelectField, TextareaField, TextField } from "#app/components/ui/field.tsx";
import { useZodForm } from "#app/components/ui/use-zod-form.ts";
import { useT } from "#app/i18n/react.tsx";
import { send } from "#app/mail/outbox.server.ts";
import { coopt, cooptRefusals, type CooptOutcome, type CooptRefusal } from "#app/members/commands.server.ts";
import { canCooptMember, invitableRoles, invitationNeedsApproval } from "#app/policies/space.ts";
import { acting, letterhead } from "#app/utils/acting.server.ts";
import { getDb } from "#app/utils/db.server.ts";
import { pageTitle } from "#app/utils/meta.ts";
import { requireSpace } from "#app/utils/space.server.ts";
import { emailField, multilineText } from "#app/utils/validation.ts";

const schema = z.object({
  email: emailField,
  role: z.enum(ROLES, { error: "v.invalid" }),
  // The recommendation: paragraphs allowed, no other control character.
  message: multilineText(2000),
});

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "coopt.title");

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { space, membership, actor } = await requireSpace(request, params.space, canCooptMember);
  return {
    roles: invitableRoles(actor, membership, space),
    needsApproval: invitationNeedsApproval(actor, membership, space),
  };
}

/** The form's message for each reason a co-optation is refused, shown beside its field. */
const REFUSAL_MESSAGES: Record<CooptRefusal["error"], string> = {
  "role-not-allowed": "v.roleNotAllowed",
  "already-member": "v.alreadyMember",
  "already-invited": "v.alreadyInvited",
};

/** What the sender is told: waiting for approval, on its way by mail, or (no mail server) the link itself. */
type Sent = { email: string } & CooptOutcome;

export async function action({ request, params, context }: ActionFunctionArgs) {
  const ctx = acting(await requireSpace(request, params.space, canCooptMember), context);
  const db = getDb();
  const submission = await parseWithZod(await request.formData(), {
    schema: schema.superRefine(async (v, issues) => {
      for (const refusal of await cooptRefusals(db, ctx, v)) {
        issues.addIssue({ code: "custom", path: [refusal.field], message: REFUSAL_MESSAGES[refusal.error] });
      }
    }),
    async: true,
  });
  if (submission.status !== "success") return data({ result: submission.reply(), sent: null }, { status: 400 });
  // Read before the transaction: its connection is held until it ends.
  const withLetterhead = { ...ctx, letterhead: await letterhead() };
  const result = await transact(db, (trx) => coopt(trx, withLetterhead, submission.value));
  if (!result.ok) {
    // Made meanwhile by someone else (another tab, another sponsor): said beside the field, as above.
    return data({ result: submission.reply({ fieldErrors: { [result.field]: [REFUSAL_MESSAGES[result.error]] } }), sent: null }, { status: 400 });
  }
  send(result.mailIds);
  const { email } = submission.value;
  const sent: Sent = result.outcome === "link" ? { email, outcome: "link", link: result.link } : { email, outcome: result.outcome };
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
