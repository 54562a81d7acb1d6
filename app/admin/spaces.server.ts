import type { Executor } from "#db/client.ts";
import { findMembership } from "#db/queries/members.ts";
import { findById as findSpace } from "#db/queries/spaces.ts";
import { setSpaceArchived } from "#app/members/commands.server.ts";
import type { Acting } from "#app/utils/acting.server.ts";

/**
 * Archiving a space, or bringing it back, from the console's list: the
 * space's own command (app/members/commands.server.ts setSpaceArchived: the
 * network admin's, audited space_archived / space_unarchived), found by id.
 */
export async function archiveSpaceById(
  trx: Executor,
  ctx: Acting,
  input: { spaceId: string; archived: boolean },
): Promise<{ ok: true; name: string } | { ok: false; error: "forbidden" | "not-found" | "already" }> {
  const space = await findSpace(trx, input.spaceId);
  if (!space) return { ok: false, error: "not-found" };
  // A second click (two tabs) changes nothing and leaves no second audit entry.
  if ((space.archived_at !== null) === input.archived) return { ok: false, error: "already" };
  const membership = await findMembership(trx, space.id, ctx.actor.id);
  const done = await setSpaceArchived(trx, { ...ctx, space, membership }, { archived: input.archived });
  if (!done.ok) return done;
  return { ok: true, name: space.name };
}
