import path from "node:path";

import { z } from "zod";

/**
 * The only module that reads process.env. Every variable is parsed once at start-up; a bad
 * value stops the app with one line naming the variable (see ConfigError).
 */

const REAL_PAGOEFECTIVO_PRE = "https://pre1a.services.pagoefectivo.pe";
const REAL_PAGOEFECTIVO_PROD = "https://services.pagoefectivo.pe";

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    readonly problem: string,
  ) {
    super(`Invalid configuration: ${variable} ${problem}`);
    this.name = "ConfigError";
  }
}

const booleanString = z
  .enum(["true", "false", "1", "0", "yes", "no"])
  .transform((v) => v === "true" || v === "1" || v === "yes");

const port = z.coerce.number().int().min(0).max(65535);
const url = z.url({ protocol: /^https?$/ }).transform((u) => u.replace(/\/+$/, ""));

const rawSchema = z.object({
  APP_MODE: z.enum(["sandbox", "production"]).default("sandbox"),
  PORT: port.default(3000),
  HOST: z.string().min(1).default("0.0.0.0"),
  APP_URL: url.optional(),
  DATA_DIR: z.string().min(1).default("./data"),
  DATABASE_URL: z.string().min(1).optional(),
  /** PostgreSQL: how long opening a connection (or waiting for a free one in a pool) may take (issue #10). */
  DATABASE_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).max(120000).default(5000),
  /** PostgreSQL: how long one statement may run (statement_timeout), and wait for its answer from the network. */
  DATABASE_QUERY_TIMEOUT_MS: z.coerce.number().int().min(100).max(600000).default(15000),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),

  MTLS_PORT: port.optional(),
  MTLS_HOST: z.string().min(1).optional(),
  MTLS_PUBLIC_URL: url.optional(),
  MTLS_MODE: z.enum(["direct", "proxy"]).default("direct"),
  TLS_CERT_FILE: z.string().min(1).optional(),
  TLS_KEY_FILE: z.string().min(1).optional(),
  SHOPIFY_CLIENT_CA_FILE: z.string().min(1).optional(),
  MTLS_PROXY_CERT_HEADER: z.string().min(1).default("x-forwarded-client-cert"),
  MTLS_PROXY_SECRET: z.string().min(16).optional(),

  ENCRYPTION_KEY: z
    .string()
    .refine((v) => Buffer.from(v, "base64").length === 32, "must be 32 bytes, base64-encoded")
    .optional(),

  SHOPIFY_API_KEY: z.string().min(1).optional(),
  SHOPIFY_API_SECRET: z.string().min(1).optional(),
  SHOPIFY_API_VERSION: z.string().regex(/^\d{4}-\d{2}$/, "must look like 2026-10").default("2026-10"),
  SHOPIFY_SCOPES: z.string().default("read_orders"),
  /** The app's name as in the Partner Dashboard (shopify.app.toml `name`); the sandbox's consent screen shows it. */
  SHOPIFY_APP_NAME: z.string().trim().min(1).default("PagoEfectivo"),

  SANDBOX_URL: url.optional(),
  SANDBOX_PORT: port.default(3100),
  /** Sandbox only: a file holding the business-time offset, shared by the app and `npm run sandbox` (chaos suite). */
  SANDBOX_CLOCK_FILE: z.string().min(1).optional(),
  /** Sandbox only: a shop installed through /auth gets its own emulator services and credentials (false: starts unconfigured). */
  SANDBOX_PROVISION_SHOPS: booleanString.default(true),
  PAGOEFECTIVO_PRE_URL: url.optional(),
  PAGOEFECTIVO_PROD_URL: url.optional(),
  PAGOEFECTIVO_TIMEOUT_MS: z.coerce.number().int().min(1000).max(120000).default(15000),

  WORKER_ENABLED: booleanString.default(true),
  SCHEDULER_ENABLED: booleanString.default(true),
  POLL_PENDING_EVERY_SECONDS: z.coerce.number().int().min(5).default(300),

  // Production: several instances, shutdown, observability (README "Deploying to production").
  INSTANCE_ID: z.string().regex(/^[A-Za-z0-9._:-]{1,64}$/, "must be 1-64 letters, digits, . _ : -").optional(),
  OUTBOX_LEASE_SECONDS: z.coerce.number().int().min(15).max(3600).default(60),
  SHUTDOWN_GRACE_SECONDS: z.coerce.number().int().min(0).max(600).default(20),
  METRICS_TOKEN: z.string().min(16).optional(),
});

export type AppMode = "sandbox" | "production";
export type DatabaseEngine = "sqlite" | "postgresql";

export interface AppConfig {
  mode: AppMode;
  port: number;
  host: string;
  appUrl: string;
  dataDir: string;
  database: { engine: DatabaseEngine; url: string; connectTimeoutMs?: number; queryTimeoutMs?: number };
  logLevel: string;
  mtls: {
    port: number;
    host: string;
    /** The URL Shopify calls; in production it is the https address of the mTLS listener or proxy. */
    publicUrl: string | null;
    mode: "direct" | "proxy";
    certFile: string | null;
    keyFile: string | null;
    clientCaFile: string | null;
    proxyCertHeader: string;
    proxySecret: string | null;
  };
  encryptionKey: Buffer | null;
  shopify: { apiKey: string; apiSecret: string; apiVersion: string; scopes: string[]; appName: string };
  sandbox: { url: string | null; port: number; clockFile: string | null; provisionShops: boolean };
  pagoefectivo: { preUrl: string; prodUrl: string; timeoutMs: number };
  worker: { enabled: boolean };
  scheduler: { enabled: boolean; pollPendingEverySeconds: number };
  /** Running several instances: who this one is, how long its outbox claims last, how it stops. */
  instance: { id: string | null; outboxLeaseSeconds: number; shutdownGraceSeconds: number };
  /** Bearer token /metrics requires; null leaves /metrics open (keep it off the public network). */
  metrics: { token: string | null };
}

/** Reads the configuration from an environment map (process.env by default). Throws ConfigError. */
export function loadConfig(env: Record<string, string | undefined> = process.env): AppConfig {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ""));
  const parsed = rawSchema.safeParse(cleaned);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const variable = String(issue?.path[0] ?? "environment");
    const received = cleaned[variable];
    const detail = issue?.message ?? "is invalid";
    throw new ConfigError(variable, `${detail}${received === undefined ? "" : ` (got "${redactForMessage(variable, received)}")`}`);
  }
  const raw = parsed.data;
  const sandbox = raw.APP_MODE === "sandbox";
  const dataDir = path.resolve(raw.DATA_DIR);
  const appUrl = raw.APP_URL ?? `http://localhost:${raw.PORT}`;
  const database = {
    ...parseDatabaseUrl(raw.DATABASE_URL ?? `file:${path.join(dataDir, "app.db")}`),
    connectTimeoutMs: raw.DATABASE_CONNECT_TIMEOUT_MS,
    queryTimeoutMs: raw.DATABASE_QUERY_TIMEOUT_MS,
  };

  if (!sandbox) {
    for (const name of ["SHOPIFY_API_KEY", "SHOPIFY_API_SECRET", "ENCRYPTION_KEY", "APP_URL", "MTLS_PUBLIC_URL"] as const) {
      if (!raw[name]) throw new ConfigError(name, "is required when APP_MODE=production");
    }
    if (raw.MTLS_MODE === "direct") {
      for (const name of ["TLS_CERT_FILE", "TLS_KEY_FILE", "SHOPIFY_CLIENT_CA_FILE"] as const) {
        if (!raw[name]) throw new ConfigError(name, "is required when APP_MODE=production and MTLS_MODE=direct");
      }
    } else {
      for (const name of ["SHOPIFY_CLIENT_CA_FILE", "MTLS_PROXY_SECRET"] as const) {
        if (!raw[name]) throw new ConfigError(name, "is required when MTLS_MODE=proxy");
      }
    }
  }

  const sandboxUrl = raw.SANDBOX_URL ?? null;
  const standIns = `${sandboxUrl ?? appUrl}/sandbox/pagoefectivo`;

  return {
    mode: raw.APP_MODE,
    port: raw.PORT,
    host: raw.HOST,
    appUrl,
    dataDir,
    database,
    logLevel: raw.LOG_LEVEL,
    mtls: {
      // In sandbox mode several copies run side by side, so the mTLS listener takes a free port.
      port: raw.MTLS_PORT ?? (sandbox ? 0 : 3443),
      host: raw.MTLS_HOST ?? raw.HOST,
      publicUrl: raw.MTLS_PUBLIC_URL ?? null,
      mode: raw.MTLS_MODE,
      certFile: raw.TLS_CERT_FILE ?? null,
      keyFile: raw.TLS_KEY_FILE ?? null,
      clientCaFile: raw.SHOPIFY_CLIENT_CA_FILE ?? null,
      proxyCertHeader: raw.MTLS_PROXY_CERT_HEADER.toLowerCase(),
      proxySecret: raw.MTLS_PROXY_SECRET ?? null,
    },
    encryptionKey: raw.ENCRYPTION_KEY ? Buffer.from(raw.ENCRYPTION_KEY, "base64") : null,
    shopify: {
      apiKey: raw.SHOPIFY_API_KEY ?? "sandbox-api-key",
      apiSecret: raw.SHOPIFY_API_SECRET ?? "sandbox-api-secret",
      apiVersion: raw.SHOPIFY_API_VERSION,
      scopes: raw.SHOPIFY_SCOPES.split(",").map((s) => s.trim()).filter(Boolean),
      appName: raw.SHOPIFY_APP_NAME,
    },
    sandbox: { url: sandboxUrl, port: raw.SANDBOX_PORT, clockFile: sandbox ? (raw.SANDBOX_CLOCK_FILE ?? null) : null, provisionShops: sandbox && raw.SANDBOX_PROVISION_SHOPS },
    pagoefectivo: {
      // In sandbox mode both environments are the built-in emulator: no account, no network.
      preUrl: raw.PAGOEFECTIVO_PRE_URL ?? (sandbox ? standIns : REAL_PAGOEFECTIVO_PRE),
      prodUrl: raw.PAGOEFECTIVO_PROD_URL ?? (sandbox ? standIns : REAL_PAGOEFECTIVO_PROD),
      timeoutMs: raw.PAGOEFECTIVO_TIMEOUT_MS,
    },
    worker: { enabled: raw.WORKER_ENABLED },
    scheduler: { enabled: raw.SCHEDULER_ENABLED, pollPendingEverySeconds: raw.POLL_PENDING_EVERY_SECONDS },
    instance: { id: raw.INSTANCE_ID ?? null, outboxLeaseSeconds: raw.OUTBOX_LEASE_SECONDS, shutdownGraceSeconds: raw.SHUTDOWN_GRACE_SECONDS },
    metrics: { token: raw.METRICS_TOKEN ?? null },
  };
}

export function parseDatabaseUrl(value: string): { engine: DatabaseEngine; url: string } {
  if (value.startsWith("file:")) {
    const file = value.slice("file:".length);
    if (!file) throw new ConfigError("DATABASE_URL", 'needs a path after "file:"');
    return { engine: "sqlite", url: `file:${path.resolve(file)}` };
  }
  if (/^postgres(ql)?:\/\//.test(value)) {
    try {
      new URL(value);
    } catch {
      throw new ConfigError("DATABASE_URL", "is not a valid PostgreSQL URL");
    }
    return { engine: "postgresql", url: value };
  }
  throw new ConfigError("DATABASE_URL", 'must start with "file:" (SQLite) or "postgres://" / "postgresql://"');
}

function redactForMessage(variable: string, value: string): string {
  return /KEY|SECRET|PASSWORD|TOKEN|DATABASE_URL/.test(variable) ? "[redacted]" : value;
}
