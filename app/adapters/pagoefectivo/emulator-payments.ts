import { z } from "zod";

import type { EmulatorPayment } from "../../ports/settlement-report-sources";

const listSchema = z.object({
  cips: z.array(
    z.object({
      cip: z.string(),
      currency: z.enum(["PEN", "USD"]),
      payments: z.array(z.object({ operationNumber: z.string(), paidAt: z.string(), amount: z.string().regex(/^\d+\.\d{2}$/), channel: z.string() })).default([]),
    }),
  ),
});

/**
 * The emulator's paid CIPs, from its control API (GET /sandbox/pagoefectivo/cips), by CIP. Sandbox only:
 * the real PagoEfectivo has no such API, which is why settlement files are imported.
 */
export async function fetchEmulatorPayments(sandboxBaseUrl: string, fetchFn: typeof fetch = fetch): Promise<Map<string, EmulatorPayment[]>> {
  const response = await fetchFn(`${sandboxBaseUrl}/sandbox/pagoefectivo/cips`, { signal: AbortSignal.timeout(10_000) });
  if (!response.ok) throw new Error(`The PagoEfectivo emulator answered HTTP ${response.status}`);
  const parsed = listSchema.parse(await response.json());
  const byCip = new Map<string, EmulatorPayment[]>();
  for (const cip of parsed.cips) {
    if (cip.payments.length === 0) continue;
    byCip.set(
      cip.cip,
      cip.payments.map((p) => {
        const [units = "0", cents = "0"] = p.amount.split(".");
        return { operationNumber: p.operationNumber, paidAt: new Date(p.paidAt), amountMinor: Number(units) * 100 + Number(cents), currency: cip.currency, channel: p.channel };
      }),
    );
  }
  return byCip;
}
