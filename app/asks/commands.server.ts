import type { Executor } from "#db/client.ts";
import * as asks from "#db/queries/asks.ts";
import { audit } from "#db/queries/audit.ts";
import type { Ask } from "#db/schema.ts";
import { notify } from "#app/notifications/commands.server.ts";
import {
  canAskNetwork,
  canDeleteAsk,
  canEditAsk,
  canPostAsk,
  canReadAsk,
  canReadAsks,
  canResolveAsk,
  canRestoreAsk,
  canThankForAsk,
} from "#app/policies/ask.ts";
import type { ActingParts } from "#app/utils/acting.server.ts";

/**
 * The ask use cases: post, edit, resolve (and thank), reopen, to the trash
 * and back. Each takes the executor (the caller's transaction), who acts and
 * the input, and answers a result or a typed refusal. An id names an ask of
 * the acting space or nothing ("not_found", as for one the actor may not
 * read); the rights are the ask policies' ("forbidden"). The text is checked
 * by the caller before the transaction (checkCommentContent runs in a
 * worker); the fields come parsed by app/asks/form.ts.
 */

export type AskActing = ActingParts<"space" | "actor" | "membership" | "ip" | "now">;
export type AskRefusal = { ok: false; error: "not_found" | "forbidden" | "stale" | "network_not_allowed" };

const refused = (error: AskRefusal["error"]): AskRefusal => ({ ok: false, error });

/** The ask of this space the actor may read, live (not in the trash). */
async function readable(db: Executor, ctx: AskActing, askId: string): Promise<Ask | null> {
  const ask = await asks.findAsk(db, ctx.space.id, askId);
  return ask && canReadAsk(ctx.actor, ctx.membership, ctx.space, ask) ? ask : null;
}

export async function postAsk(trx: Executor, ctx: AskActing, fields: asks.AskFields): Promise<{ ok: true; ask: Ask } | AskRefusal> {
  const { space, actor, membership, now } = ctx;
  if (!canPostAsk(actor, membership, space)) return refused("forbidden");
  if (fields.audience === "network" && !canAskNetwork(space)) return refused("network_not_allowed");
  return { ok: true, ask: await asks.insertAsk(trx, { spaceId: space.id, authorId: actor.id, fields, now }) };
}

/** New words for one's own ask, on top of the version the edit started from (`updatedAt`), or "stale". */
export async function editAsk(
  trx: Executor,
  ctx: AskActing,
  input: { askId: string; fields: asks.AskFields; updatedAt: number | undefined },
): Promise<{ ok: true; ask: Ask } | AskRefusal | { ok: false; error: "stale"; current: Ask }> {
  const { space, actor, membership, now } = ctx;
  const ask = await readable(trx, ctx, input.askId);
  if (!ask) return refused("not_found");
  if (!canEditAsk(actor, membership, space, ask)) return refused("forbidden");
  if (input.updatedAt !== undefined && input.updatedAt !== ask.updated_at) return { ok: false, error: "stale", current: ask };
  if (input.fields.audience === "network" && ask.audience !== "network" && !canAskNetwork(space)) return refused("network_not_allowed");
  await asks.updateAsk(trx, ask.id, input.fields, now);
  return { ok: true, ask: { ...ask, updated_at: now } };
}

/**
 * Marks the ask resolved and thanks these members among those who answered
 * it (anyone else is nobody); each one thanked is told. A moderator closes
 * an ask this way too, thanking no one (thanks are the author's to give).
 */
export async function resolveAsk(
  trx: Executor,
  ctx: AskActing,
  input: { askId: string; thank: readonly string[] },
): Promise<{ ok: true; ask: Ask; thanked: string[]; mailIds: string[] } | AskRefusal> {
  const { space, actor, membership, now } = ctx;
  const ask = await readable(trx, ctx, input.askId);
  if (!ask) return refused("not_found");
  if (!canResolveAsk(actor, membership, space, ask)) return refused("forbidden");
  if (input.thank.length > 0 && !canThankForAsk(actor, membership, space, ask)) return refused("forbidden");
  if (ask.resolved_at === null) await asks.setResolved(trx, ask.id, now, now);
  const helpers = new Set((await asks.answerers(trx, ask.id)).map((a) => a.id));
  const thanked = await asks.addThanks(
    trx,
    ask.id,
    input.thank.filter((id) => helpers.has(id)),
    now,
  );
  const { mailIds } = await notify(trx, {
    kind: "askThanks",
    spaceId: space.id,
    owner: { kind: "ask", id: ask.id },
    actorId: actor.id,
    recipients: thanked,
    now,
  });
  return { ok: true, ask: { ...ask, resolved_at: ask.resolved_at ?? now }, thanked, mailIds };
}

/** Open again (the thanks stay given). */
export async function reopenAsk(trx: Executor, ctx: AskActing, input: { askId: string }): Promise<{ ok: true; ask: Ask } | AskRefusal> {
  const ask = await readable(trx, ctx, input.askId);
  if (!ask) return refused("not_found");
  if (!canResolveAsk(ctx.actor, ctx.membership, ctx.space, ask)) return refused("forbidden");
  await asks.setResolved(trx, ask.id, null, ctx.now);
  return { ok: true, ask: { ...ask, resolved_at: null } };
}

/** To the space's trash; a moderator's removal of someone else's ask is audited. */
export async function deleteAsk(trx: Executor, ctx: AskActing, input: { askId: string }): Promise<{ ok: true; ask: Ask } | AskRefusal> {
  const { space, actor, membership, now } = ctx;
  const ask = await readable(trx, ctx, input.askId);
  if (!ask) return refused("not_found");
  if (!canDeleteAsk(actor, membership, space, ask)) return refused("forbidden");
  await asks.setDeleted(trx, ask.id, actor.id, now);
  if (ask.author_id !== actor.id) {
    await audit(trx, { event: "ask_moderated", actorId: actor.id, ip: ctx.ip, spaceId: space.id, targetUserId: ask.author_id, data: { askId: ask.id, title: ask.title }, now });
  }
  return { ok: true, ask };
}

/** Back from the trash: the space's moderators. */
export async function restoreAsk(trx: Executor, ctx: AskActing, input: { askId: string }): Promise<{ ok: true; ask: Ask } | AskRefusal> {
  const { space, actor, membership } = ctx;
  const ask = await asks.findAsk(trx, space.id, input.askId);
  // Someone who does not read the club's asks cannot tell a trashed ask from no ask at all.
  if (!ask || ask.deleted_at === null || !canReadAsks(actor, membership, space)) return refused("not_found");
  if (!canRestoreAsk(actor, membership, space)) return refused("forbidden");
  await asks.setDeleted(trx, ask.id, null, null);
  return { ok: true, ask: { ...ask, deleted_at: null, deleted_by: null } };
}
