import { Button,ButtonGroup } from "@shopify/polaris";

import type { Locale } from "../api/types";
import { MESSAGES, useI18n } from "../i18n/i18n-context";

const LOCALES: Locale[] = ["es", "en"];

/** Two small buttons: for screens outside the frame (the top bar has its own menu). */
export function LanguageSwitch() {
  const { locale, setLocale, t } = useI18n();
  return (
    <ButtonGroup variant="segmented" >
      {LOCALES.map((option) => (
        <Button
          key={option}
          size="slim"
          pressed={option === locale}
          onClick={() => setLocale(option)}
          accessibilityLabel={`${t.topBar.language}: ${MESSAGES[option].languageName}`}
        >
          {option.toUpperCase()}
        </Button>
      ))}
    </ButtonGroup>
  );
}
