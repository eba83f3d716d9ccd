import { Banner, Text } from "@shopify/polaris";

import type { ApiError } from "../api/admin-client";
import type { Messages } from "../i18n/es";
import { useI18n } from "../i18n/i18n-context";

/**
 * The words to show for a failed call, in the panel's language: the error code's sentence from the
 * catalog (i18n/error-codes.ts) with the server's parameters, else one by status. Never the server's
 * English message.
 */
export function apiErrorMessage(error: ApiError, t: Messages): string {
  switch (error.kind) {
    case "network":
      return t.errors.network;
    case "unauthenticated":
      return t.session.expiredText;
    case "server": {
      const words = t.errorCodes[error.code];
      if (words) return words(error.params);
      if (error.code === "bad_response") return t.errors.badResponse;
      if (error.status === 400) return t.errorCodes.bad_request?.({}) ?? t.errors.unknown(error.status);
      if (error.status === 403) return t.errors.forbidden;
      if (error.status === 404) return t.errors.notFound;
      return t.errors.unknown(error.status);
    }
  }
}

export function ApiErrorBanner(props: { error: ApiError | null; title?: string; onRetry?: () => void; onDismiss?: () => void }) {
  const { t } = useI18n();
  const { error, title, onRetry, onDismiss } = props;
  // A 401 switches the whole panel to the "session expired" screen; no banner needed.
  if (!error || error.kind === "unauthenticated") return null;
  return (
    <Banner
      tone="critical"
      title={title ?? t.errors.title}
      {...(onRetry ? { action: { content: t.common.retry, onAction: onRetry } } : {})}
      {...(onDismiss ? { onDismiss } : {})}
    >
      <Text as="p">{apiErrorMessage(error, t)}</Text>
    </Banner>
  );
}
