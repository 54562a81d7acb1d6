import type { LoaderFunctionArgs } from "@remix-run/node";
import { NavLink, Outlet } from "@remix-run/react";
import { GeneralErrorBoundary } from "#app/components/error-boundary.tsx";
import { useT } from "#app/i18n/react.tsx";
import { requireSignedIn } from "#app/utils/auth.server.ts";

export async function loader({ request }: LoaderFunctionArgs) {
  await requireSignedIn(request);
  return null;
}

export default function SettingsLayout() {
  const t = useT();
  return (
    <>
      <header className="space-head">
        <h1>{t("nav.account")}</h1>
        <nav className="tabs" aria-label={t("nav.account")}>
          <NavLink to="/settings/profile">{t("nav.profile")}</NavLink>
          <NavLink to="/settings/password">{t("nav.password")}</NavLink>
          <NavLink to="/settings/security">{t("secondFactor.nav")}</NavLink>
          <NavLink to="/settings/sessions">{t("nav.sessions")}</NavLink>
          <NavLink to="/settings/notifications">{t("nav.notifications")}</NavLink>
          <NavLink to="/settings/contact">{t("nav.contact")}</NavLink>
          <NavLink to="/settings/data">{t("nav.data")}</NavLink>
          <NavLink to="/settings/account">{t("deletion.tab")}</NavLink>
        </nav>
      </header>
      <Outlet />
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
