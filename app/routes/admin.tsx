import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { NavLink, Outlet } from "@remix-run/react";
import { GeneralErrorBoundary } from "#app/components/error-boundary.tsx";
import { useT } from "#app/i18n/react.tsx";
import { authorize } from "#app/policies/authorize.ts";
import { canManageAccounts } from "#app/policies/network.ts";
import { requireSignedIn } from "#app/utils/auth.server.ts";
import { pageTitle } from "#app/utils/meta.ts";
import { adminUrls } from "#app/urls.ts";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "admin.title");

/**
 * The network admin's console: one heading and one row of tabs over every
 * /admin page. The layout refuses everyone else (403, as the audit and
 * reports pages always did); each page still checks for itself, since a
 * layout's loader runs beside its children's, not before them.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const { actor } = await requireSignedIn(request, context);
  authorize(canManageAccounts(actor));
  return null;
}

export default function AdminLayout() {
  const t = useT();
  // NavLink marks the current tab with aria-current="page" and the class "active".
  return (
    <>
      <header className="space-head">
        <h1>{t("admin.title")}</h1>
        <nav className="tabs" aria-label={t("admin.nav")}>
          <NavLink to={adminUrls.members}>{t("admin.tab.members")}</NavLink>
          <NavLink to={adminUrls.spaces}>{t("admin.tab.spaces")}</NavLink>
          <NavLink to={adminUrls.network}>{t("admin.tab.network")}</NavLink>
          <NavLink to={adminUrls.security}>{t("admin.tab.security")}</NavLink>
          <NavLink to={adminUrls.audit}>{t("admin.tab.audit")}</NavLink>
          <NavLink to={adminUrls.reports}>{t("admin.tab.reports")}</NavLink>
        </nav>
      </header>
      <Outlet />
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
