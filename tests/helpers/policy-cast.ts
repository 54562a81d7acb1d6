import type { Role } from "#db/schema.ts";
import type { Actor } from "#app/policies/actor.ts";

/**
 * The cast of the policies' role × action tables (tests/unit/policies): a
 * role in the space, or someone outside it, and the kinds of space that
 * change an answer. Only the people and places: every table writes its
 * expected answers out by hand.
 */

export type Who = Role | "network admin" | "outsider" | "anonymous";

/** Where: a listed space, an open one (readable by the network), an archived one (read only). */
export type Where = "listed" | "open" | "archived";

export const person: Actor = { id: "p", isNetworkAdmin: false };
export const networkAdmin: Actor = { id: "na", isNetworkAdmin: true };
/** The id of an author or uploader who is not the one acting. */
export const someoneElse = "someone-else";

export function whoIs(who: Who): [Actor | null, { role: Role } | null] {
  if (who === "anonymous") return [null, null];
  if (who === "outsider") return [person, null];
  if (who === "network admin") return [networkAdmin, null];
  return [person, { role: who }];
}

export function spaceAt(where: Where) {
  return { visibility: where === "open" ? ("open" as const) : ("listed" as const), join_policy: "coopt_direct" as const, archived_at: where === "archived" ? 1 : null };
}

/** The id that makes a page, file, comment or article the actor's own. */
export const ownId = (actor: Actor | null) => actor?.id ?? "nobody";

/** A row's label: who, and where when it is not the plain listed space. */
export const label = (who: Who, where: Where) => (where === "listed" ? who : `${who} (${where} space)`);
