import { createContext, type ReactNode, useContext, useMemo } from "react";

import type { Locale } from "../api/types";
import { createDateFormat, type DateFormat } from "../format/dates";
import { en } from "./en";
import { es, type Messages } from "./es";

export const MESSAGES: Record<Locale, Messages> = { es, en };

interface I18nValue {
  locale: Locale;
  t: Messages;
  dates: DateFormat;
  setLocale(locale: Locale): void;
}

const I18nContext = createContext<I18nValue | null>(null);

export function I18nProvider(props: { locale: Locale; timeZone: string; clockOffsetMs?: number; setLocale(locale: Locale): void; children: ReactNode }) {
  const { locale, timeZone, setLocale, children } = props;
  const clockOffsetMs = props.clockOffsetMs ?? 0;
  const value = useMemo<I18nValue>(() => {
    const t = MESSAGES[locale];
    return { locale, t, dates: createDateFormat(t.dateLocale, timeZone, clockOffsetMs), setLocale };
  }, [locale, timeZone, clockOffsetMs, setLocale]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18nValue {
  const value = useContext(I18nContext);
  if (!value) throw new Error("useI18n needs an I18nProvider");
  return value;
}
