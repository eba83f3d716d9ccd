import { buildCreateCipBody } from "../../app/adapters/pagoefectivo/pagoefectivo-cip-request";
import { computeHashString } from "../../app/adapters/pagoefectivo/pagoefectivo-hash";
import { formatLimaDateTime } from "../../app/domain/lima-time";
import type { LoadOptions } from "../lib/load";
import type { BenchShop } from "../lib/seed";

/**
 * The emulator alone: POST /v1/cips straight at it, with a token fetched once, at the benchmark's
 * concurrency. Printed beside the app's figures so a note can say how much of a session's time the
 * stand-in takes (it runs on the same two cores).
 */
export async function emulatorLoad(base: string, shop: BenchShop, connections: number, durationSeconds: number): Promise<LoadOptions> {
  const dateRequest = formatLimaDateTime(new Date());
  const auth = await fetch(`${base}/v1/authorizations`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ accessKey: shop.accessKey, idService: shop.idService, dateRequest, hashString: computeHashString({ ...shop, dateRequest }) }),
  });
  const token = ((await auth.json()) as { data?: { token?: string } }).data?.token;
  if (!token) throw new Error(`the emulator gave no token (${auth.status})`);
  const url = new URL(base);
  return {
    url: url.origin,
    connections,
    durationSeconds,
    expectStatus: 201,
    next: (n) => {
      const body = buildCreateCipBody(
        {
          amount: { amountMinor: 15000, currency: "PEN" },
          transactionCode: `probe-${n}-${Date.now()}`,
          dateExpiry: new Date(Date.now() + 48 * 3_600_000),
          paymentConcept: "Bench",
          additionalData: "bench",
          userEmail: "maria.quispe@example.pe",
          userPhone: "987654321",
          userCodeCountry: "+51",
          userCountry: "PERU",
          language: "es-PE",
        },
        shop.idService,
        new Date(),
      );
      if (!body.ok) throw new Error(body.error.message);
      return {
        method: "POST",
        path: `${url.pathname}/v1/cips`,
        headers: { "content-type": "application/json", authorization: `Bearer ${token}`, origin: body.value.origin, "accept-language": body.value.language },
        body: body.value.json,
      };
    },
  };
}
