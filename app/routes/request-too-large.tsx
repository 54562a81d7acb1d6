import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useFormatSize, useT } from "#app/i18n/react.tsx";
import { notFound } from "#app/utils/http.server.ts";
import { pageTitle } from "#app/utils/meta.ts";
import { safeRedirect } from "#app/utils/request.server.ts";
import { GeneralErrorBoundary } from "#app/components/error-boundary.tsx";

/**
 * What a browser sees when a form it sent was too large for its route
 * (server/body-limit.ts refuses it before any route reads it, and has Remix
 * render this in its place): 413, in the app's look and the reader's
 * language, with the limit and a way back to the page the form was on. Only
 * reachable that way: asked for directly, it does not exist.
 *
 * The browser still shows the address it posted to, which is another route:
 * this page is sent without scripts, so nothing tries to hydrate it there.
 */

export const handle = { scripts: false };

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "error.413.title");

export function loader({ request, context }: LoaderFunctionArgs) {
  const refused = context.refusedBody;
  if (!refused) notFound();
  // The page the form was on, when the browser says and it is ours.
  const back = safeRedirect(request.headers.get("Referer"), "/spaces", new URL(request.url).origin);
  return data({ limit: refused.limit, back }, { status: 413 });
}

/** Remix's client posted the form (`.data`): the route it posted to shows this error in its boundary. */
export function action({ context }: LoaderFunctionArgs) {
  const refused = context.refusedBody;
  if (!refused) notFound();
  throw data({ limit: refused.limit }, { status: 413 });
}

export default function RequestTooLarge() {
  const t = useT();
  const formatSize = useFormatSize();
  const { limit, back } = useLoaderData<typeof loader>();
  return (
    <section className="error-page" aria-labelledby="error-title">
      <p className="error-code" aria-hidden="true">
        413
      </p>
      <h1 id="error-title">{t("error.413.title")}</h1>
      <p>{t("error.413.page", { limit: formatSize(limit) })}</p>
      <p className="actions">
        <a href={back} className="btn btn-primary">
          {t("error.413.back")}
        </a>
        <Link to="/spaces" className="btn">
          {t("error.home")}
        </Link>
      </p>
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
