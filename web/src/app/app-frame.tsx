import { Badge, Frame, Icon, InlineStack, Navigation, Text, TopBar } from "@shopify/polaris";
import {
  AlertTriangleIcon,
  ExitIcon,
  HomeIcon,
  LanguageIcon,
  PaymentIcon,
  PayoutIcon,
  ReceiptRefundIcon,
  SettingsIcon,
  TransferIcon,
} from "@shopify/polaris-icons";
import { type ReactNode, useCallback, useState } from "react";

import type { Locale } from "../api/types";
import { LOGO_ON_DARK } from "../assets/images";
import { useSession } from "../components/session-context";
import { ToastProvider } from "../components/toast-context";
import { MESSAGES, useI18n } from "../i18n/i18n-context";
import { DEAD_LETTER_MESSAGES } from "../pages/dead-letters/dead-letters-messages";
import { useRouter } from "../router/router";
import { matchRoute, paths } from "../router/routes";
import { NavCountsProvider, useNavCounts } from "./nav-counts";
import { SandboxBanner } from "./sandbox-banner";

/** Shopify-admin-like chrome: dark top bar with the shop, sidebar navigation, toasts. */
export function AppFrame(props: { onLogout(): void; children: ReactNode }) {
  const { t } = useI18n();
  const session = useSession();
  const [mobileNavOpen, setMobileNavOpen] = useState(false);
  const toggleMobileNav = useCallback(() => setMobileNavOpen((open) => !open), []);

  const topBar = (
    <TopBar
      showNavigationToggle
      onNavigationToggle={toggleMobileNav}
      userMenu={<ShopMenu onLogout={props.onLogout} />}
      secondaryMenu={<LanguageMenu />}
      logoSuffix={
        <Badge tone={session.mode === "sandbox" ? "attention" : "success"}>
          {session.mode === "sandbox" ? t.topBar.sandbox : t.topBar.production}
        </Badge>
      }
    />
  );

  return (
    <NavCountsProvider>
      <Frame
        logo={{ topBarSource: LOGO_ON_DARK, width: 140, url: paths.home, accessibilityLabel: "PagoEfectivo" }}
        topBar={topBar}
        navigation={<SideNavigation onNavigate={() => setMobileNavOpen(false)} />}
        showMobileNavigation={mobileNavOpen}
        onNavigationDismiss={toggleMobileNav}
      >
        {session.mode === "sandbox" ? <SandboxBanner /> : null}
        <ToastProvider>{props.children}</ToastProvider>
      </Frame>
    </NavCountsProvider>
  );
}

function SideNavigation({ onNavigate }: { onNavigate(): void }) {
  const { t, locale } = useI18n();
  const { location } = useRouter();
  const { awaitingRefunds, openExceptions } = useNavCounts();
  const route = matchRoute(location.pathname);
  const section = route.name === "payment" ? "payments" : route.name;

  const items = [
    { label: t.nav.home, icon: HomeIcon, url: paths.home, selected: section === "home", onClick: onNavigate },
    { label: t.nav.payments, icon: PaymentIcon, url: paths.payments, selected: section === "payments", onClick: onNavigate },
    {
      label: t.nav.refunds,
      icon: ReceiptRefundIcon,
      url: paths.refunds,
      selected: section === "refunds",
      onClick: onNavigate,
      ...(awaitingRefunds > 0 ? { badge: <Badge tone="attention">{String(awaitingRefunds)}</Badge> } : {}),
    },
    // GET /api/session does not report `features`, so reconciliation and settlements are always listed.
    {
      label: t.nav.reconciliation,
      icon: TransferIcon,
      url: paths.reconciliation,
      selected: section === "reconciliation",
      onClick: onNavigate,
      ...(openExceptions > 0 ? { badge: <Badge tone="critical">{String(openExceptions)}</Badge> } : {}),
    },
    { label: t.nav.settlements, icon: PayoutIcon, url: paths.settlements, selected: section === "settlements", onClick: onNavigate },
    { label: t.nav.settings, icon: SettingsIcon, url: paths.settings, selected: section === "settings", onClick: onNavigate },
    { label: DEAD_LETTER_MESSAGES[locale].nav, icon: AlertTriangleIcon, url: paths.deadLetters, selected: section === "deadLetters", onClick: onNavigate },
  ];

  return (
    <Navigation location={location.pathname} ariaLabelledBy="main-navigation-label">
      <Text as="span" visuallyHidden id="main-navigation-label">
        {t.nav.label}
      </Text>
      <Navigation.Section items={items} />
    </Navigation>
  );
}

function ShopMenu({ onLogout }: { onLogout(): void }) {
  const { t } = useI18n();
  const { shop } = useSession();
  const [open, setOpen] = useState(false);
  return (
    <TopBar.UserMenu
      name={shop.name || shop.domain}
      detail={shop.domain}
      initials={initialsOf(shop.name || shop.domain)}
      open={open}
      onToggle={() => setOpen((value) => !value)}
      accessibilityLabel={t.topBar.userMenuLabel}
      actions={[{ items: [{ content: t.topBar.logout, icon: ExitIcon, onAction: onLogout }] }]}
    />
  );
}

function LanguageMenu() {
  const { t, locale, setLocale } = useI18n();
  const [open, setOpen] = useState(false);
  const choose = (option: Locale) => {
    setLocale(option);
    setOpen(false);
  };
  return (
    <TopBar.Menu
      open={open}
      onOpen={() => setOpen(true)}
      onClose={() => setOpen(false)}
      accessibilityLabel={t.topBar.language}
      activatorContent={
        <InlineStack gap="100" blockAlign="center" wrap={false}>
          <Icon source={LanguageIcon} />
          <Text as="span" variant="bodySm" fontWeight="medium">
            {locale.toUpperCase()}
          </Text>
        </InlineStack>
      }
      actions={[
        {
          title: t.topBar.language,
          items: (["es", "en"] as const).map((option) => ({
            content: MESSAGES[option].languageName,
            active: option === locale,
            onAction: () => choose(option),
          })),
        },
      ]}
    />
  );
}

function initialsOf(name: string): string {
  const words = name.replace(/\.myshopify\.com$/, "").split(/[\s-]+/).filter(Boolean);
  return words
    .slice(0, 2)
    .map((word) => word[0]?.toUpperCase() ?? "")
    .join("");
}
