import type { LoaderFunctionArgs } from "@remix-run/node";
import { GeneralErrorBoundary } from "#app/components/error-boundary.tsx";
import { canReadSpace } from "#app/policies/space.ts";
import { notFound } from "#app/utils/http.server.ts";
import { requireSpace } from "#app/utils/space.server.ts";

/**
 * An address under a space that no page answers: the space's own answer
 * first (sign in, 403 to an outsider of a listed space, 404 for a secret
 * one), then 404 to its readers; so an unknown address says no more about
 * the space than the space itself.
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  await requireSpace(request, params.space, canReadSpace, context);
  notFound();
}

export default function NoSuchSection() {
  return null;
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
