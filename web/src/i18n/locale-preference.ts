import type { Locale, SessionInfo } from "../api/types";

/** Spanish unless the user (first) or the shop speaks English; a choice made in the top bar wins. */

const STORAGE_KEY = "pe-admin-locale";

export function storedLocale(): Locale | null {
  try {
    const value = window.localStorage.getItem(STORAGE_KEY);
    return value === "es" || value === "en" ? value : null;
  } catch {
    return null;
  }
}

export function storeLocale(locale: Locale): void {
  try {
    window.localStorage.setItem(STORAGE_KEY, locale);
  } catch {
    // Without storage the choice lasts until the page is reloaded.
  }
}

export function sessionLocale(session: SessionInfo): Locale {
  const user = session.user.locale?.toLowerCase() ?? "";
  if (user.startsWith("en")) return "en";
  if (user.startsWith("es")) return "es";
  return session.shop.locale === "en" ? "en" : "es";
}

/** Before the session is known (or when it expired): the stored choice, then `?lang=`. */
export function initialLocale(): Locale {
  const lang = new URLSearchParams(window.location.search).get("lang");
  if (lang === "en" || lang === "es") return lang;
  return storedLocale() ?? "es";
}
