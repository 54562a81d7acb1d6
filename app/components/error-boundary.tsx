import { isRouteErrorResponse, Link, useRouteError } from "@remix-run/react";
import { useFormatSize, useT } from "#app/i18n/react.tsx";

/** 404, 403, 413 (a form too large), 500 and 507 (disk full) pages that say what happened and where to go next. */
export function GeneralErrorBoundary() {
  const error = useRouteError();
  const t = useT();
  const formatSize = useFormatSize();
  const status = isRouteErrorResponse(error) ? error.status : 500;
  if (!isRouteErrorResponse(error)) console.error(error);
  const [title, text] =
    status === 404
      ? [t("error.404.title"), t("error.404.text")]
      : status === 403
        ? [t("error.403.title"), t("error.403.text")]
        : status === 413
          ? [t("error.413.title"), t("error.413.page", { limit: formatSize(limitOf(error)) })]
        : status === 507
          ? [t("error.507.title"), t("error.507.text")]
          : status >= 500
          ? [t("error.500.title"), t("error.500.text")]
          : [t("error.generic.title", { status }), t("error.500.text")];
  return (
    <section className="error-page" aria-labelledby="error-title">
      <p className="error-code" aria-hidden="true">
        {status}
      </p>
      <h1 id="error-title">{title}</h1>
      <p>{text}</p>
      <p className="actions">
        <Link to="/spaces" className="btn btn-primary">
          {t("error.home")}
        </Link>
        {status >= 500 ? (
          <a href="" className="btn">
            {t("error.reload")}
          </a>
        ) : null}
      </p>
    </section>
  );
}

/** The limit a 413 carries (app/routes/request-too-large.tsx). */
function limitOf(error: unknown): number {
  const limit = isRouteErrorResponse(error) ? (error.data as { limit?: unknown } | null)?.limit : undefined;
  return typeof limit === "number" ? limit : 0;
}
