/** The simulator's persisted state: what Shopify would know about the app, its shops and their payments. */

export interface RegisteredApp {
  /** The app's name (Partner Dashboard / shopify.app.toml `name`), shown on the consent screen. */
  name?: string | undefined;
  apiKey: string;
  apiSecret: string;
  paymentSessionUrl: string;
  refundSessionUrl: string;
  /** CA that signed the app's TLS server certificate; the simulator trusts it like Shopify trusts a public CA. */
  serverCaPem: string;
  webhookUrls?: {
    ordersCancelled?: string;
    ordersCreate?: string;
    ordersPaid?: string;
    appUninstalled?: string;
    customersDataRequest?: string;
    customersRedact?: string;
    shopRedact?: string;
  };
  /** Allowed OAuth redirect_uri values; when empty any redirect_uri is accepted. */
  redirectUrls?: string[];
  /** The API version chosen in the payments app configuration; sent as Shopify-Api-Version. */
  apiVersion?: string;
}

export type PaymentSessionState = "initial" | "pending" | "resolved" | "rejected";
export type RefundSessionState = "initial" | "resolved" | "rejected";
export type MutationResult = "ok" | "user_error" | "fault" | "error";

export interface UserError {
  field: string[] | null;
  message: string;
  code?: string;
}

export interface MutationEntry {
  name: string;
  at: string;
  apiVersion: string;
  variables: Record<string, unknown>;
  result: MutationResult;
  userErrors?: UserError[];
  /** "error500" | "timeout" | "throttled" when the call was faulted on purpose. */
  fault?: string;
  /** For a faulted call: whether the mutation took effect although the response failed. */
  applied?: boolean;
  /** The caller's User-Agent (the app sends its instance id there). */
  userAgent?: string;
  /** True when the call repeated an earlier one and got the stored response back. */
  replayed?: boolean;
  warnings?: string[];
  errors?: string[];
}

export interface DeliveryAttempt {
  requestId: string;
  at: string;
  url: string;
  status: number | null;
  durationMs: number;
  redirectUrl: string | null;
  response: unknown;
  error?: string;
  problems: string[];
}

export interface NextAction {
  action: "REDIRECT";
  context: { redirectUrl: string };
}

export interface PaymentSessionRecord {
  id: string;
  gid: string;
  shop: string;
  group: string;
  sessionId: string;
  amountMinor: number;
  currency: string;
  test: boolean;
  kind: "sale" | "authorization";
  cancelUrl: string;
  createdAt: string;
  /** The exact JSON bytes sent, so a resend is byte-identical. */
  body: string;
  state: PaymentSessionState;
  pendingExpiresAt: string | null;
  pendingReason: string | null;
  rejection: { code: string; merchantMessage: string | null; source?: string | null } | null;
  nextAction: NextAction | null;
  /** First successful response per mutation name, replayed on repeats (Shopify's per-operation idempotency). */
  outcomes: Record<string, unknown>;
  mutations: MutationEntry[];
  deliveries: DeliveryAttempt[];
  orderId: string | null;
  refundIds: string[];
}

export interface RefundSessionRecord {
  id: string;
  gid: string;
  paymentSessionId: string;
  shop: string;
  amountMinor: number;
  currency: string;
  test: boolean;
  createdAt: string;
  body: string;
  state: RefundSessionState;
  rejection: { code: string; merchantMessage: string | null } | null;
  outcomes: Record<string, unknown>;
  mutations: MutationEntry[];
  deliveries: DeliveryAttempt[];
}

export type FinancialStatus = "pending" | "authorized" | "paid" | "voided" | "partially_refunded" | "refunded";

export interface OrderRecord {
  id: string;
  legacyId: number;
  name: string;
  orderNumber: number;
  shop: string;
  paymentSessionId: string;
  amountMinor: number;
  refundedMinor: number;
  currency: string;
  test: boolean;
  email: string | null;
  financialStatus: FinancialStatus;
  createdAt: string;
  updatedAt: string;
  /** When the payment succeeded (the transaction's processedAt); absent in state saved before it existed. */
  paidAt?: string | null;
  cancelledAt: string | null;
  cancelReason: string | null;
}

export interface OnlineToken {
  hash: string;
  expiresAt: string;
  userId: number;
}

export interface ShopRecord {
  domain: string;
  shopId: number;
  name: string;
  email: string;
  currency: string;
  createdAt: string;
  installed: boolean;
  scopes: string;
  /** SHA-256 of the offline token; the token itself is only ever handed to the app. */
  offlineTokenHash: string | null;
  onlineTokens: OnlineToken[];
  nextOrderNumber: number;
  paymentsAppConfiguration: { externalHandle: string | null; ready: boolean; updatedAt: string } | null;
  uninstalledAt: string | null;
}

export interface OAuthCodeRecord {
  shop: string;
  scope: string;
  perUser: boolean;
  expiresAt: string;
  used: boolean;
}

export interface WebhookDelivery {
  webhookId: string;
  topic: string;
  shop: string;
  url: string;
  at: string;
  /** X-Shopify-Triggered-At: when the event happened; the same on every retry. */
  triggeredAt?: string;
  /** 1 for the first delivery, 2..9 for Shopify's 8 retries. */
  attempt?: number;
  status: number | null;
  error?: string;
  payload: unknown;
}

export interface PendingWebhookRetry {
  webhookId: string;
  topic: string;
  shop: string;
  url: string;
  payload: unknown;
  triggeredAt: string;
  attempt: number;
  dueAt: string;
}

export interface SimulatorState {
  version: 1;
  app: RegisteredApp | null;
  shops: Record<string, ShopRecord>;
  paymentSessions: Record<string, PaymentSessionRecord>;
  refundSessions: Record<string, RefundSessionRecord>;
  orders: Record<string, OrderRecord>;
  oauthCodes: Record<string, OAuthCodeRecord>;
  webhookDeliveries: WebhookDelivery[];
  /** Failed deliveries waiting for their next attempt (absent in state saved before retries existed). */
  webhookRetries?: PendingWebhookRetry[];
  counters: { order: number; shop: number };
  certificates: { dir: string; caFile: string; certFile: string; keyFile: string };
}
