import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, Links, Meta, Outlet, Scripts, ScrollRestoration, useLoaderData, useMatches, useRouteLoaderData } from "@remix-run/react";
import { useEffect, type ReactNode } from "react";
import { getNetwork } from "#db/queries/network.ts";
import { logoAddress } from "#app/admin/logo.ts";
import { unreadCount } from "#app/notifications/load.server.ts";
import { unreadConversations } from "#db/queries/conversations.ts";
import { AppShell } from "#app/components/app-shell.tsx";
import { GeneralErrorBoundary } from "#app/components/error-boundary.tsx";
import { getSignedIn } from "#app/utils/auth.server.ts";
import { getDb } from "#app/utils/db.server.ts";
import { readFlash } from "#app/utils/flash.server.ts";
import { getLocale } from "#app/utils/locale.server.ts";
import { useNonce } from "#app/utils/nonce.tsx";
import { canViewAuditLog, canCreateSpace } from "#app/policies/network.ts";
import stylesUrl from "#app/styles/app.css?url";
import { EDITOR_STYLESHEET } from "#app/editor/stylesheet.ts";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: stylesUrl },
  // Rich text is read across the app (wiki now, blog and comments next): one small sheet, cached.
  EDITOR_STYLESHEET,
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export const meta: MetaFunction = () => [{ title: "Cercle" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const [signedIn, locale, network, { flash, clear }] = await Promise.all([
    getSignedIn(request, context),
    getLocale(request, context),
    getNetwork(getDb()),
    readFlash(request),
  ]);
  // The bell's number: one COUNT on an index, only for someone signed in.
  const unreadNotifications = signedIn ? await unreadCount(getDb(), signedIn.user.id, Date.now()) : 0;
  // The envelope's number: conversations with messages the member has not read.
  // The conversation on screen is being read (its loader marks it so, maybe after this count): not counted.
  const open = /^\/messages\/([0-9a-z]{1,64})$/.exec(new URL(request.url).pathname)?.[1];
  const unreadMessages = signedIn ? await unreadConversations(getDb(), signedIn.user.id, open) : 0;
  return data(
    {
      locale,
      networkName: network?.name ?? null,
      // The network's logo (issue 20), by its id: a new logo is a new address.
      networkLogo: network?.logo_key ? logoAddress(network.logo_key) : null,
      flash,
      user: signedIn
        ? {
            id: signedIn.user.id,
            displayName: signedIn.user.display_name,
            email: signedIn.user.email,
            can: { viewAudit: canViewAuditLog(signedIn.actor), createSpace: canCreateSpace(signedIn.actor) },
            unreadNotifications,
            unreadMessages,
          }
        : null,
    },
    clear ? { headers: { "Set-Cookie": clear } } : undefined,
  );
}

export type RootData = Awaited<ReturnType<typeof loader>>["data"];

export function Layout({ children }: { children: ReactNode }) {
  const nonce = useNonce();
  const data = useRouteLoaderData<typeof loader>("root");
  // A page shown at an address that is not its own (the 413 of a form) must not hydrate there.
  const scripts = !useMatches().some((m) => (m.handle as { scripts?: boolean } | undefined)?.scripts === false);
  return (
    <html lang={data?.locale ?? "fr"}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light" />
        <Meta />
        <Links />
      </head>
      <body>
        {children}
        {scripts ? (
          <>
            <ScrollRestoration nonce={nonce} />
            <Scripts nonce={nonce} />
          </>
        ) : null}
      </body>
    </html>
  );
}

export default function App() {
  const data = useLoaderData<typeof loader>();
  // Lets browser tests (and CSS) tell a hydrated page from server HTML.
  useEffect(() => {
    document.documentElement.dataset.hydrated = "true";
  }, []);
  // A page shown to someone outside the network (a share link) stands alone: no menus, nothing of the network around it.
  const bare = useMatches().some((m) => (m.handle as { bare?: boolean } | undefined)?.bare === true);
  if (bare) {
    return (
      <main id="main" className="bare-main">
        <Outlet />
      </main>
    );
  }
  return (
    <AppShell user={data.user} networkName={data.networkName} networkLogo={data.networkLogo} flash={data.flash}>
      <Outlet />
    </AppShell>
  );
}

export function ErrorBoundary() {
  const data = useRouteLoaderData<typeof loader>("root");
  return (
    <AppShell user={data?.user ?? null} networkName={data?.networkName ?? null} flash={null}>
      <GeneralErrorBoundary />
    </AppShell>
  );
}
