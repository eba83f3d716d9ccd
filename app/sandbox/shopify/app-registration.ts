import { X509Certificate } from "node:crypto";

import { z } from "zod";

import { type RegisteredApp } from "./simulator-types";

/** Validates an app registration (PUT /app or registerApp), the sandbox's `shopify app deploy`. */

const httpsUrl = z.url({ error: "must be an absolute URL" }).refine((value) => value.startsWith("https://"), {
  message: "must be an https:// URL (Shopify only sends session requests over mTLS)",
});
const webhookUrl = z.url({ error: "must be an absolute URL" }).refine((value) => /^https?:\/\//.test(value), {
  message: "must be an http(s) URL",
});

export const registeredAppSchema = z.object({
  /** The app's name, as set in the Partner Dashboard / shopify.app.toml `name`; Shopify's consent screen shows it. */
  name: z.string().trim().min(1).max(100).optional(),
  apiKey: z.string().min(1, "apiKey is required"),
  apiSecret: z.string().min(1, "apiSecret is required"),
  paymentSessionUrl: httpsUrl,
  refundSessionUrl: httpsUrl,
  serverCaPem: z.string().refine(isCertificate, { message: "must be a PEM certificate (the CA that signed the app's TLS server certificate)" }),
  webhookUrls: z
    .object({
      ordersCancelled: webhookUrl.optional(),
      ordersCreate: webhookUrl.optional(),
      ordersPaid: webhookUrl.optional(),
      appUninstalled: webhookUrl.optional(),
      customersDataRequest: webhookUrl.optional(),
      customersRedact: webhookUrl.optional(),
      shopRedact: webhookUrl.optional(),
    })
    .optional(),
  redirectUrls: z.array(z.url()).optional(),
  apiVersion: z
    .string()
    .regex(/^(\d{4}-\d{2}|unstable)$/, "must look like 2025-10")
    .optional(),
});

export type RegistrationResult = { ok: true; app: RegisteredApp } | { ok: false; message: string };

export function parseRegistration(input: unknown): RegistrationResult {
  const parsed = registeredAppSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue && issue.path.length > 0 ? `${issue.path.join(".")}: ` : "";
    return { ok: false, message: `Invalid app registration: ${path}${issue?.message ?? "invalid"}` };
  }
  return { ok: true, app: parsed.data };
}

/** The registration as shown back by GET /app: the secret never leaves the simulator. */
export function appView(app: RegisteredApp) {
  const { apiSecret: _secret, ...rest } = app;
  return rest;
}

function isCertificate(pem: string): boolean {
  try {
    new X509Certificate(pem);
    return true;
  } catch {
    return false;
  }
}
