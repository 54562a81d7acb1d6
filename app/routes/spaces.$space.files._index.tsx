import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { FileListing } from "#app/components/file-listing.tsx";
import { GeneralErrorBoundary } from "#app/components/error-boundary.tsx";
import { listingAction } from "#app/files/listing.server.ts";
import { loadListing } from "#app/files/load.server.ts";
import { pageTitle } from "#app/utils/meta.ts";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "space.files");

export const loader = (args: LoaderFunctionArgs) => loadListing(args, null);
export const action = (args: ActionFunctionArgs) => listingAction(args, null);

export default function FilesTop() {
  return <FileListing />;
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
