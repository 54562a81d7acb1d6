import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { audit } from "#db/queries/audit.ts";
import { createJoinRequest, findPendingFor } from "#db/queries/join-requests.ts";
import { listAdmins } from "#db/queries/members.ts";
import { joinRequestMail } from "#app/mail/messages.ts";
import { authorize } from "#app/policies/authorize.ts";
import { canRequestToJoin } from "#app/policies/space.ts";
import { getDb } from "#app/utils/db.server.ts";
import { absoluteUrl, badRequest, redirectWithFlash } from "#app/utils/http.server.ts";
import { queueMails, send } from "#app/mail/outbox.server.ts";
import { localeOf, networkInfo } from "#app/utils/network.server.ts";
import { clientIp } from "#app/utils/request.server.ts";
import { loadSpace } from "#app/utils/space.server.ts";
import { multilineText } from "#app/utils/validation.ts";

const schema = z.object({ message: multilineText(2000) });

export async function loader({ params }: LoaderFunctionArgs) {
  throw redirect(`/spaces/${params.space}`);
}

/** A network member asks to join a listed (or open) space; its admins decide. */
export async function action({ request, params, context }: ActionFunctionArgs) {
  const { space, membership, actor, user } = await loadSpace(request, params.space);
  authorize(canRequestToJoin(actor, membership, space));
  const parsed = schema.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) badRequest();
  const db = getDb();
  const now = Date.now();
  // Read before the transaction: its connection is held until it ends.
  const network = await networkInfo();
  const mailIds = await db.transaction().execute(async (trx) => {
    if (await findPendingFor(trx, space.id, user.id)) return [];
    await createJoinRequest(trx, { spaceId: space.id, userId: user.id, message: parsed.data.message, now });
    await audit(trx, { event: "join_requested", actorId: user.id, spaceId: space.id, ip: clientIp(context), now });
    const admins = await listAdmins(trx, space.id);
    const mails = admins.map((admin) => ({
      mail: joinRequestMail({
        to: admin.email,
        locale: localeOf(admin, network.locale),
        network: network.name,
        name: user.display_name,
        space: space.name,
        message: parsed.data.message,
        url: absoluteUrl(`/spaces/${space.slug}/approvals`),
      }),
    }));
    return queueMails(trx, mails, now);
  });
  send(mailIds);
  return redirectWithFlash(`/spaces/${space.slug}`, { key: "space.joinSent" });
}
