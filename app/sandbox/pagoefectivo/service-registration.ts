import { z } from "zod";

import { err, ok, type Result } from "../../lib/result";
import { formatMinor } from "./emulator-money";
import { type StoredService } from "./emulator-state";
import { DEFAULT_MAX_AMOUNT_MINOR, MAX_SERVICE_ID } from "./guesses";

const httpUrl = z.url({ protocol: /^https?$/ });

/** A merchant service as PagoEfectivo configures it on its side. */
export interface ServiceRegistration {
  idService: number;
  accessKey: string;
  secretKey: string;
  /** Where cip.paid notifications go; null: none are sent (attempts are recorded as failed). */
  notificationUrl: string | null;
  codeService?: string;
  /** Maximum CIP amount in PEN céntimos; default 38_500_000 (S/ 385,000.00). */
  maxAmountMinor?: number;
}

const serviceRegistrationSchema = z.object({
  // DOC §5.1.1 says N 4, production ids have 5 digits (reference §7); up to MAX_SERVICE_ID (guess).
  idService: z.number().int().min(1).max(MAX_SERVICE_ID),
  accessKey: z.string().regex(/^[\x21-\x7e]{1,20}$/, "accessKey must be 1-20 printable characters without spaces"),
  secretKey: z.string().min(1).max(200),
  notificationUrl: httpUrl.nullable(),
  codeService: z.string().regex(/^[A-Za-z0-9]{1,10}$/).optional(),
  maxAmountMinor: z.number().int().positive().optional(),
});

export function parseServiceRegistration(input: unknown): Result<StoredService, string> {
  const parsed = serviceRegistrationSchema.safeParse(input);
  if (!parsed.success) return err(z.prettifyError(parsed.error));
  const s = parsed.data;
  return ok({
    idService: s.idService,
    accessKey: s.accessKey,
    secretKey: s.secretKey,
    notificationUrl: s.notificationUrl,
    codeService: s.codeService ?? "SRV",
    maxAmountMinor: s.maxAmountMinor ?? DEFAULT_MAX_AMOUNT_MINOR,
  });
}

/** What the control API shows: everything but the secretKey. */
export function serviceView(s: StoredService) {
  return {
    idService: s.idService,
    accessKey: s.accessKey,
    codeService: s.codeService,
    notificationUrl: s.notificationUrl,
    maxAmountMinor: s.maxAmountMinor,
    maxAmount: formatMinor(s.maxAmountMinor),
  };
}
