import { Form, Link, useLocation, useSubmit } from "@remix-run/react";
import * as DropdownMenu from "@radix-ui/react-dropdown-menu";
import { useEffect, useRef, useState, type ReactNode } from "react";
import { useLocale, useT } from "#app/i18n/react.tsx";
import type { Flash } from "#app/utils/flash.server.ts";
import { useHydrated } from "#app/utils/hydrated.ts";
import { useListLinks } from "#app/utils/list-links.ts";
import { Avatar } from "./avatar.tsx";
import { FlashMessage } from "./flash-message.tsx";
import { SearchBox } from "./search-box.tsx";
import { landmark } from "#app/utils/landmark.ts";

interface ShellUser {
  displayName: string;
  email: string;
  can: { viewAudit: boolean; createSpace: boolean };
  /** Unread notifications, for the bell. */
  unreadNotifications?: number;
  /** Conversations with unread messages, for the envelope. */
  unreadMessages?: number;
}


export function AppShell({
  user,
  networkName,
  networkLogo = null,
  flash,
  children,
}: {
  user: ShellUser | null;
  networkName: string | null;
  /** The network's logo's address (the admin console's), or null: the circle. */
  networkLogo?: string | null;
  flash: Flash | null;
  children: ReactNode;
}) {
  const t = useT();
  const onLinkClick = useListLinks();
  return (
    <>
      <a className="skip-link" href="#main">
        {t("nav.skip")}
      </a>
      <header className="topbar" onClick={onLinkClick}>
        <div className="topbar-inner">
          <a href="/" className="brand">
            {networkLogo ? (
              // The name beside it says the same: the image is decoration.
              <img className="brand-logo" src={networkLogo} alt="" height={32} />
            ) : (
              <span className="brand-mark" aria-hidden="true">
                ◯
              </span>
            )}
            <span className="brand-name">{networkName ?? t("app.name")}</span>
          </a>
          {user ? (
            <nav aria-label={t("nav.main")} className="mainnav">
              <MainLinks user={user} />
            </nav>
          ) : null}
          {user ? <SearchBox /> : null}
          <div className="topbar-end">
            {/* On a phone, a signed-in member finds the language in the menu. */}
            <LocaleSwitch className={user ? "locale-in-bar" : undefined} />
            {user ? <MessagesLink count={user.unreadMessages ?? 0} /> : null}
            {user ? <NotificationBell count={user.unreadNotifications ?? 0} /> : null}
            {user ? <UserMenu user={user} /> : null}
            {user ? <PhoneMenu user={user} /> : null}
          </div>
        </div>
      </header>
      <main id="main" tabIndex={-1} className="main">
        {flash ? <FlashMessage flash={flash} /> : null}
        {children}
      </main>
    </>
  );
}

/**
 * The sections of the network, in the bar on a wide screen and in the menu
 * on a phone: plain links, the current one marked as NavLink marks it, with
 * one click handler for the whole bar (useListLinks) — the bar is on every
 * page, and a NavLink per section was a good share of a short page's render.
 */
function MainLinks({ user }: { user: ShellUser }) {
  const t = useT();
  const { pathname } = useLocation();
  const sections: Array<{ to: string; label: string; end?: boolean }> = [
    { to: "/", label: t("nav.home"), end: true },
    { to: "/spaces", label: t("nav.mySpaces"), end: true },
    { to: "/agenda", label: t("agenda.nav") },
    { to: "/latest", label: t("latest.nav") },
    { to: "/asks", label: t("nav.asks") },
    { to: "/clubs", label: t("nav.clubs") },
    { to: "/people", label: t("nav.people") },
    // The network admin's console (its tabs hold the audit log and the reports): one section, so the bar fits.
    ...(user.can.viewAudit ? [{ to: "/admin", label: t("nav.console") }] : []),
  ];
  return (
    <>
      {sections.map(({ to, label, end }) => {
        const current = pathname === to || (!end && pathname.startsWith(`${to}/`));
        return (
          <a key={to} href={to} className={current ? "active" : undefined} aria-current={current ? "page" : undefined}>
            {label}
          </a>
        );
      })}
    </>
  );
}

/**
 * On a phone the bar has no room for the sections: a disclosure button (the
 * WAI-ARIA pattern: aria-expanded, aria-controls) opens them in a panel under
 * the bar, with the language. It closes on Escape (focus back on the button),
 * on a click elsewhere and when the page changes. Wide screens never show it.
 */
function PhoneMenu({ user }: { user: ShellUser }) {
  const t = useT();
  const location = useLocation();
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  useEffect(() => setOpen(false), [location.pathname, location.search]);
  useEffect(() => {
    if (!open) return;
    const outside = (event: PointerEvent) => {
      if (!root.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener("pointerdown", outside);
    return () => document.removeEventListener("pointerdown", outside);
  }, [open]);
  return (
    <div
      ref={root}
      className="phone-menu"
      onKeyDown={(event) => {
        if (event.key === "Escape" && open) {
          setOpen(false);
          button.current?.focus();
        }
      }}
    >
      <button
        ref={button}
        type="button"
        className="phone-menu-button"
        aria-expanded={open}
        aria-controls="phone-menu-panel"
        onClick={() => setOpen((was) => !was)}
      >
        <svg aria-hidden="true" focusable="false" width="22" height="22" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round">
          {open ? <path d="M6 6l12 12M18 6L6 18" /> : <path d="M4 7h16M4 12h16M4 17h16" />}
        </svg>
        <span className="sr-only">{t("nav.menu")}</span>
      </button>
      {/* Its content only while open: it cannot open before the page hydrates, and every page would render it for nothing. */}
      <div id="phone-menu-panel" className="phone-menu-panel" hidden={!open}>
        {open ? (
          <>
            <nav aria-label={t("nav.main")} className="phone-menu-links">
              <MainLinks user={user} />
            </nav>
            <LocaleSwitch />
          </>
        ) : null}
      </div>
    </div>
  );
}

/**
 * An icon in the bar that links to a page and says how many things wait
 * there, in its name (the badge is for the eyes): the envelope and the bell.
 * Plain links, as the sections' are.
 */
function CountLink({ href, current, label, count, data, children }: { href: string; current: boolean; label: string; count: number; data: Record<string, number>; children: ReactNode }) {
  return (
    <a href={href} className={current ? "bell active" : "bell"} aria-current={current ? "page" : undefined} aria-label={label} {...data}>
      <svg aria-hidden="true" focusable="false" width="20" height="20" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round">
        {children}
      </svg>
      {count > 0 ? (
        <span className="bell-count" aria-hidden="true">
          {count > 99 ? "99+" : count}
        </span>
      ) : null}
    </a>
  );
}

/** The envelope: conversations with unread messages. */
function MessagesLink({ count }: { count: number }) {
  const t = useT();
  const { pathname } = useLocation();
  return (
    <CountLink href="/messages" current={pathname === "/messages" || pathname.startsWith("/messages/")} label={t("messages.envelope", { count })} count={count} data={{ "data-unread-messages": count }}>
      <rect x="3" y="5" width="18" height="14" rx="2" />
      <path d="m3 7 9 6 9-6" />
    </CountLink>
  );
}

/** The bell: unread notifications. */
function NotificationBell({ count }: { count: number }) {
  const t = useT();
  return (
    <CountLink href="/notifications" current={useLocation().pathname === "/notifications"} label={t("notifications.bell", { count })} count={count} data={{ "data-unread": count }}>
      <path d="M6 8a6 6 0 0 1 12 0c0 7 3 9 3 9H3s3-2 3-9" />
      <path d="M10.3 21a1.94 1.94 0 0 0 3.4 0" />
    </CountLink>
  );
}

function LocaleSwitch({ className }: { className?: string }) {
  const t = useT();
  const locale = useLocale();
  const location = useLocation();
  const other = locale === "fr" ? "en" : "fr";
  return (
    <Form method="post" action="/locale" className={className ? `locale-switch ${className}` : "locale-switch"}>
      <input type="hidden" name="locale" value={other} />
      <input type="hidden" name="redirectTo" value={location.pathname + location.search} />
      <button type="submit" className="btn btn-ghost btn-small" lang={other} aria-label={`${t("locale.label")}: ${t("locale.switchTo")}`}>
        <span className="locale-wide">{t("locale.switchTo")}</span>
        <span className="locale-narrow">{other.toUpperCase()}</span>
      </button>
    </Form>
  );
}

function UserMenu({ user }: { user: ShellUser }) {
  const t = useT();
  const label = `${t("nav.account")} — ${user.displayName}`;
  // The server sends the closed menu's button only (see useHydrated).
  if (!useHydrated()) {
    return (
      <button type="button" className="avatar-button" aria-label={label} aria-haspopup="menu" aria-expanded="false" data-state="closed">
        <Avatar name={user.displayName} />
      </button>
    );
  }
  return <UserMenuOpenable user={user} label={label} />;
}

function UserMenuOpenable({ user, label }: { user: ShellUser; label: string }) {
  const t = useT();
  const submit = useSubmit();
  // Not modal: a modal menu hides all but itself from screen readers
  // (aria-hidden on its siblings), the landmarks with it; see landmark.ts.
  return (
    <DropdownMenu.Root modal={false}>
      <DropdownMenu.Trigger className="avatar-button" aria-label={label}>
        <Avatar name={user.displayName} />
      </DropdownMenu.Trigger>
      <DropdownMenu.Portal container={landmark("banner")}>
        <DropdownMenu.Content className="menu" align="end" sideOffset={6}>
          <DropdownMenu.Label className="menu-label">
            <strong>{user.displayName}</strong>
            <span>{user.email}</span>
          </DropdownMenu.Label>
          <DropdownMenu.Separator className="menu-separator" />
          {user.can.createSpace ? (
            <DropdownMenu.Item asChild className="menu-item">
              <Link to="/spaces/new">{t("nav.newSpace")}</Link>
            </DropdownMenu.Item>
          ) : null}
          {user.can.viewAudit ? (
            <DropdownMenu.Item asChild className="menu-item">
              <Link to="/admin">{t("nav.admin")}</Link>
            </DropdownMenu.Item>
          ) : null}
          <DropdownMenu.Item asChild className="menu-item">
            <Link to="/settings/profile">{t("nav.profile")}</Link>
          </DropdownMenu.Item>
          <DropdownMenu.Item asChild className="menu-item">
            <Link to="/settings/password">{t("nav.password")}</Link>
          </DropdownMenu.Item>
          <DropdownMenu.Item asChild className="menu-item">
            <Link to="/settings/sessions">{t("nav.sessions")}</Link>
          </DropdownMenu.Item>
          <DropdownMenu.Separator className="menu-separator" />
          {/* Submitted from onSelect: the menu unmounts as it closes, and a
              native submit from inside it would be cancelled with it. */}
          <DropdownMenu.Item className="menu-item" onSelect={() => submit(null, { method: "post", action: "/logout" })}>
            {t("nav.signOut")}
          </DropdownMenu.Item>
        </DropdownMenu.Content>
      </DropdownMenu.Portal>
    </DropdownMenu.Root>
  );
}
