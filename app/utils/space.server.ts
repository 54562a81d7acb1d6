import type { Space, SpaceMember } from "#db/schema.ts";
import { findMembership } from "#db/queries/members.ts";
import { findBySlug } from "#db/queries/spaces.ts";
import { authorize } from "#app/policies/authorize.ts";
import { canSeeSpace, type SpacePolicy } from "#app/policies/space.ts";
import { requireSignedIn, type SignedIn } from "./auth.server.ts";
import { getDb } from "./db.server.ts";
import { memo } from "./memo.server.ts";
import { notFound } from "#app/utils/http.server.ts";

export interface SpaceContext extends SignedIn {
  space: Space;
  membership: SpaceMember | undefined;
}

/**
 * Who asks and for which space. A space the viewer may not know of answers
 * 404, exactly as one that does not exist.
 */
export function loadSpace(request: Request, slug: string | undefined, context?: object): Promise<SpaceContext> {
  return memo(context ?? request, `space:${slug ?? ""}`, () => lookUp(request, slug, context));
}

async function lookUp(request: Request, slug: string | undefined, context?: object): Promise<SpaceContext> {
  const signedIn = await requireSignedIn(request, context);
  const db = getDb();
  const space = slug ? await findBySlug(db, slug) : undefined;
  if (!space) notFound();
  const membership = await findMembership(db, space.id, signedIn.user.id);
  authorize(canSeeSpace(signedIn.actor, membership, space), { hide: true });
  return { ...signedIn, space, membership };
}

/** loadSpace, then 403 unless the policy allows the viewer (canReadSpace, canEditPages…). */
export async function requireSpace(request: Request, slug: string | undefined, policy: SpacePolicy, loadContext?: object) {
  const context = await loadSpace(request, slug, loadContext);
  authorize(policy(context.actor, context.membership, context.space));
  return context;
}
