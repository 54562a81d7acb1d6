import { isRouteErrorResponse, Link, useRouteError } from "@remix-run/react";
import { useT } from "#app/i18n/react.tsx";

/** 404, 403, 500 and 507 (disk full) pages that say what happened and where to go next. */
export function GeneralErrorBoundary() {
  const error = useRouteError();
  const t = useT();
  const status = isRouteErrorResponse(error) ? error.status : 500;
  if (!isRouteErrorResponse(error)) console.error(error);
  const [title, text] =
    status === 404
      ? [t("error.404.title"), t("error.404.text")]
      : status === 403
        ? [t("error.403.title"), t("error.403.text")]
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
