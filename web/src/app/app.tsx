import { AppProvider, type AppProviderProps, Frame, Loading, Page } from "@shopify/polaris";
import polarisEn from "@shopify/polaris/locales/en.json";
import polarisEs from "@shopify/polaris/locales/es.json";
import { QueryClientProvider, useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useRef, useState } from "react";

import type { AdminClient, ApiError } from "../api/admin-client";
import { AdminClientProvider } from "../api/client-context";
import { createQueryClient } from "../api/query-client";
import type { Locale, SessionInfo } from "../api/types";
import { ApiErrorBanner } from "../components/api-error-banner";
import { SessionContext } from "../components/session-context";
import { type EndReason, SessionEnded } from "../components/session-ended";
import { DEFAULT_TIME_ZONE } from "../format/dates";
import { I18nProvider, MESSAGES } from "../i18n/i18n-context";
import { initialLocale, sessionLocale, storedLocale, storeLocale } from "../i18n/locale-preference";
import { RouterProvider } from "../router/router";
import { RouterLink } from "../router/router-link";
import { AppFrame } from "./app-frame";
import { PageOutlet } from "./page-outlet";

const POLARIS_TRANSLATIONS: Record<Locale, AppProviderProps["i18n"]> = { es: polarisEs, en: polarisEn };

type Screen =
  | { kind: "loading" }
  | { kind: "ready"; session: SessionInfo; clockOffsetMs: number }
  | { kind: "failed"; error: ApiError }
  | { kind: "ended"; reason: EndReason };

export function App({ client }: { client: AdminClient }) {
  const [queryClient] = useState(createQueryClient);
  return (
    <RouterProvider>
      <QueryClientProvider client={queryClient}>
        <AdminClientProvider client={client}>
          <Panel client={client} />
        </AdminClientProvider>
      </QueryClientProvider>
    </RouterProvider>
  );
}

function Panel({ client }: { client: AdminClient }) {
  const [locale, setLocaleState] = useState<Locale>(initialLocale);
  const chosenLocale = useRef(storedLocale() !== null || new URLSearchParams(window.location.search).has("lang"));
  const [screen, setScreen] = useState<Screen>({ kind: "loading" });
  const queryClient = useQueryClient();

  const setLocale = useCallback((next: Locale) => {
    chosenLocale.current = true;
    storeLocale(next);
    setLocaleState(next);
  }, []);

  const loadSession = useCallback(async () => {
    setScreen({ kind: "loading" });
    const result = await client.session();
    if (result.ok) {
      if (!chosenLocale.current) setLocaleState(sessionLocale(result.value));
      // The app's clock against the browser's (the sandbox moves the app's); rounded so it stays put.
      const clockOffsetMs = Math.round((Date.parse(result.value.now) - Date.now()) / 1000) * 1000;
      setScreen({ kind: "ready", session: result.value, clockOffsetMs: Math.abs(clockOffsetMs) < 5_000 ? 0 : clockOffsetMs });
    } else if (result.error.kind === "unauthenticated") {
      // Someone who never signed in on this browser is not told their session expired.
      setScreen({ kind: "ended", reason: client.signedInBefore() ? "expired" : "signIn" });
    } else {
      setScreen({ kind: "failed", error: result.error });
    }
  }, [client]);

  useEffect(() => {
    void loadSession();
  }, [loadSession]);

  // Any 401, from any page, ends the panel session at once.
  useEffect(
    () =>
      client.onUnauthenticated(() =>
        setScreen((current) => (current.kind === "ended" ? current : { kind: "ended", reason: "expired" })),
      ),
    [client],
  );

  // A session that ended takes its data with it: the next sign-in (maybe another shop) starts from an empty cache.
  const ended = screen.kind === "ended";
  useEffect(() => {
    if (ended) queryClient.clear();
  }, [ended, queryClient]);

  useEffect(() => {
    document.documentElement.lang = MESSAGES[locale].dateLocale;
  }, [locale]);

  const logout = useCallback(async () => {
    await client.logout();
    setScreen({ kind: "ended", reason: "loggedOut" });
  }, [client]);

  const timeZone = screen.kind === "ready" ? screen.session.shop.timezone : DEFAULT_TIME_ZONE;
  return (
    <AppProvider i18n={POLARIS_TRANSLATIONS[locale]} linkComponent={RouterLink}>
      <I18nProvider locale={locale} timeZone={timeZone} clockOffsetMs={screen.kind === "ready" ? screen.clockOffsetMs : 0} setLocale={setLocale}>
        {screen.kind === "loading" ? (
          <Frame>
            <Loading />
          </Frame>
        ) : screen.kind === "ended" ? (
          <SessionEnded reason={screen.reason} shop={client.knownShop()} loginUrl={(shop) => client.loginUrl(shop)} />
        ) : screen.kind === "failed" ? (
          <Page narrowWidth>
            <ApiErrorBanner error={screen.error} onRetry={() => void loadSession()} />
          </Page>
        ) : (
          <SessionContext.Provider value={screen.session}>
            <AppFrame onLogout={() => void logout()}>
              <PageOutlet />
            </AppFrame>
          </SessionContext.Provider>
        )}
      </I18nProvider>
    </AppProvider>
  );
}
