import { Box, InlineStack, Text } from "@shopify/polaris";
import { useEffect, useState } from "react";

import { useI18n } from "../i18n/i18n-context";

/**
 * Sandbox mode only: says the payments are test ones and shows the app's clock, which the sandbox can
 * move (expiry, payouts and "today" follow it), so a merchant trying things out is never misled by
 * the computer's own clock. It ticks every 15 seconds.
 */
export function SandboxBanner() {
  const { t, dates } = useI18n();
  const [now, setNow] = useState(() => dates.now());
  useEffect(() => {
    setNow(dates.now());
    const timer = window.setInterval(() => setNow(dates.now()), 15_000);
    return () => window.clearInterval(timer);
  }, [dates]);
  return (
    <Box background="bg-surface-warning" paddingBlock="150" paddingInline="400" borderBlockEndWidth="025" borderColor="border-warning">
      <InlineStack gap="200" align="center" blockAlign="center" wrap>
        <Text as="span" variant="bodySm" fontWeight="medium">
          {t.topBar.sandboxNotice}
        </Text>
        <Text as="span" variant="bodySm">
          <span data-testid="sandbox-clock">{t.topBar.sandboxClock(dates.dateTime(now))}</span>
        </Text>
      </InlineStack>
    </Box>
  );
}
