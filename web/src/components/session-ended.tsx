import { BlockStack, Box, Button, Card, InlineStack, Page, Text, TextField } from "@shopify/polaris";
import { useState } from "react";

import { useI18n } from "../i18n/i18n-context";
import { LanguageSwitch } from "./language-switch";

const SHOP_DOMAIN = /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/;

/** Why there is no panel: never signed in on this browser, the session ran out, or the merchant logged out. */
export type EndReason = "signIn" | "expired" | "loggedOut";

/**
 * Shown instead of the panel when the API answers 401 (or after logging out): the only way on is a
 * new Shopify login for the shop, which is known from the last session or the address bar, or typed.
 */
export function SessionEnded(props: { reason: EndReason; shop: string | null; loginUrl(shop: string): string }) {
  const { t } = useI18n();
  const [typed, setTyped] = useState("");
  const [touched, setTouched] = useState(false);
  const candidate = typed.trim().toLowerCase();
  const valid = SHOP_DOMAIN.test(candidate);
  const { title, text, login } = {
    signIn: { title: t.session.signInTitle, text: t.session.signInText, login: t.session.signIn },
    expired: { title: t.session.expiredTitle, text: t.session.expiredText, login: t.session.login },
    loggedOut: { title: t.session.loggedOutTitle, text: t.session.loggedOutText, login: t.session.login },
  }[props.reason];

  return (
    <Page narrowWidth>
      <Box paddingBlockStart="1600">
        <Card>
          <BlockStack gap="400">
            <InlineStack align="space-between" blockAlign="center">
              <Text as="h1" variant="headingLg">
                {title}
              </Text>
              <LanguageSwitch />
            </InlineStack>
            <Text as="p" tone="subdued">
              {text}
            </Text>
            {props.shop ? (
              <InlineStack>
                <Button variant="primary" url={props.loginUrl(props.shop)}>
                  {login}
                </Button>
              </InlineStack>
            ) : (
              <form
                onSubmit={(event) => {
                  event.preventDefault();
                  setTouched(true);
                  if (valid) window.location.assign(props.loginUrl(candidate));
                }}
              >
                <BlockStack gap="300">
                  <TextField
                    label={t.session.shopLabel}
                    placeholder={t.session.shopPlaceholder}
                    value={typed}
                    onChange={setTyped}
                    autoComplete="url"
                    error={touched && !valid ? t.session.shopError : undefined}
                  />
                  <InlineStack>
                    <Button variant="primary" submit>
                      {login}
                    </Button>
                  </InlineStack>
                </BlockStack>
              </form>
            )}
          </BlockStack>
        </Card>
      </Box>
    </Page>
  );
}
