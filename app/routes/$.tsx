import type { MetaFunction } from "@remix-run/node";
import { GeneralErrorBoundary } from "#app/components/error-boundary.tsx";
import { notFound } from "#app/utils/http.server.ts";
import { pageTitle } from "#app/utils/meta.ts";

/**
 * Every address no other route answers. Without it Remix answers such an
 * address from the root's error boundary without running the root loader,
 * so a signed-in member's 404 lost the network's name and the navigation;
 * matched here, the root loader runs and the 404 renders inside the shell.
 * The same 404 for everyone, signed in or not: an address says nothing.
 */
export function loader(): never {
  notFound();
}

export function action(): never {
  notFound();
}

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "error.404.title");

export default function NotFound() {
  // Never rendered: the loader always throws.
  return null;
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
