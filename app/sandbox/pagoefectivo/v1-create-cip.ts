import { type EmulatorContext, voucherUrl } from "./emulator-context";
import { minorToJsonNumber, toPenEquivalentMinor } from "./emulator-money";
import { DEFAULT_CIP_LIFETIME_MS } from "./guesses";
import { formatLimaDateTime, truncateToSecond } from "./lima-time";
import { bearerErrorAnswer, bodyErrorAnswer, invalidAnswer, type V1Answer } from "./v1-answers";
import { parseCipRequest } from "./v1-cip-request";
import { authenticate, parseV1Body } from "./v1-request-helpers";
import { amountOverLimitBody, invalidServiceBody, SUCCESS_MESSAGE } from "./v1-responses";

/** What POST /v1/cips reads of a request, whichever server path received it. */
export interface CreateCipRequest {
  authorization: string | undefined;
  origin: string | undefined;
  /** Whether Content-Type is one of JSON_TYPES. */
  isJson: boolean;
  /** The raw body (a Buffer), as express.raw reads it. */
  body: unknown;
}

/** POST /v1/cips (DOC §5.1.2): token, then body, then the service's rules; the CIP is answered once it is committed. */
export async function createCipAnswer(ctx: EmulatorContext, req: CreateCipRequest): Promise<V1Answer> {
  const now = ctx.clock.now();
  const auth = await authenticate(req.authorization, ctx, now);
  if (!auth.ok) return bearerErrorAnswer(auth.error);
  const service = auth.value;
  // DOC §5.1.2 marks Origin (web|android|ios) mandatory, but DEMO, the .NET, Django and Java clients send none
  // and are served (reference §7): it is recorded when present, never required.
  const origin = req.origin;
  const body = parseV1Body(req.isJson, req.body);
  if (!body.ok) return bodyErrorAnswer(body.error);
  const parsed = parseCipRequest(body.value, now);
  if (!parsed.ok) return invalidAnswer(parsed.error);
  const r = parsed.value;

  if (r.serviceId !== null && r.serviceId !== service.idService) return { status: 400, body: invalidServiceBody() };
  if (toPenEquivalentMinor(r.amountMinor, r.currency) > service.maxAmountMinor) return { status: 400, body: amountOverLimitBody() };

  const dateExpiry = r.dateExpiry ?? truncateToSecond(new Date(now.getTime() + DEFAULT_CIP_LIFETIME_MS));
  const cip = await ctx.store.createCip({
    idService: service.idService,
    currency: r.currency,
    amountMinor: r.amountMinor,
    transactionCode: r.transactionCode,
    createdAt: now.toISOString(),
    dateExpiry: dateExpiry.toISOString(),
    details: { ...r.details, ...(origin ? { origin } : {}) },
  });
  ctx.logger.info({ cip: cip.cip, idService: service.idService, transactionCode: cip.transactionCode }, "pagoefectivo emulator: CIP created");
  return {
    status: 201,
    body: {
      code: 100,
      message: SUCCESS_MESSAGE,
      data: {
        cip: Number(cip.cip),
        currency: cip.currency,
        amount: minorToJsonNumber(cip.amountMinor),
        transactionCode: cip.transactionCode,
        dateExpiry: formatLimaDateTime(dateExpiry),
        cipUrl: voucherUrl(ctx.publicUrl(), cip.guid),
      },
    },
  };
}
