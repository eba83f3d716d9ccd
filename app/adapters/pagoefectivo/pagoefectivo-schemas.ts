import { z } from "zod";

import { parsePagoEfectivoDate } from "../../domain/lima-time";
import { CURRENCIES, type Currency, type Money, parseDecimalAmount, parseDecimalNumber } from "../../domain/money";

/**
 * Shapes of PagoEfectivo v1 responses. Fields the app relies on are required; everything else is optional
 * and unknown keys are ignored, so additive changes on PagoEfectivo's side do not break parsing.
 */

/** `code` is "100" in /authorizations and 100 in /cips (DOC): accept both, keep a string. */
export const codeSchema = z.union([z.string(), z.number()]).transform((value) => String(value).trim());

/** CIP numbers are N 1..14: a number in /cips responses, a string in notifications. Stored as a string. */
export const cipSchema = z
  .union([z.string().trim().regex(/^\d{1,14}$/), z.number().int().nonnegative().max(99_999_999_999_999)])
  .transform((value) => String(value));

const textSchema = z.union([z.string(), z.number()]).transform((value) => String(value));

/** A PagoEfectivo date; the 1900-01-01 sentinel parses to null. */
export const pagoEfectivoDateSchema = z.string().transform((value, ctx): Date | null => {
  const parsed = parsePagoEfectivoDate(value);
  if (!parsed.ok) {
    ctx.addIssue({ code: "custom", message: `invalid date: ${parsed.error.reason}` });
    return z.NEVER;
  }
  return parsed.value;
});

const requiredDateSchema = pagoEfectivoDateSchema.refine((value): value is Date => value !== null, {
  message: "date must not be the null sentinel",
});

const nullableDateSchema = z
  .union([pagoEfectivoDateSchema, z.null()])
  .optional()
  .transform((value) => value ?? null);

const HTTP_URL_START = /^https?:\/\//i;
const TAB_OR_NEWLINE = /[\t\n\r]/g;

/**
 * An absolute http(s) URL, accepting and answering exactly what `z.url({ protocol: /^https?$/ })` does (trimmed, tabs
 * and newlines taken out, "http:host" without "//" refused), with URL.canParse instead of building a URL object and
 * matching its protocol: the prefix already fixes the scheme. One per CIP creation, on the payment-session path.
 */
export const httpUrlSchema = z
  .string()
  .transform((value, ctx) => {
    const trimmed = value.trim();
    if (HTTP_URL_START.test(trimmed) && URL.canParse(trimmed)) return trimmed.replace(TAB_OR_NEWLINE, "");
    ctx.addIssue({ code: "custom", message: "Invalid URL: an absolute http(s) URL is expected" });
    return z.NEVER;
  });

const currencySchema = z.enum(CURRENCIES);
const amountSchema = z.union([z.number(), z.string()]);

/** Turns {amount, currency} into Money; amounts come back unformatted (1, 22.05), or as text. */
function toMoney(amount: number | string, currency: Currency, ctx: z.RefinementCtx): Money {
  const parsed =
    typeof amount === "number" ? parseDecimalNumber(amount, currency) : parseDecimalAmount(amount.trim(), currency);
  if (!parsed.ok) {
    ctx.addIssue({ code: "custom", path: ["amount"], message: "amount is not a valid 2-decimal amount" });
    return z.NEVER;
  }
  return parsed.value;
}

export const authorizationResponseSchema = z.object({
  code: codeSchema.optional(),
  message: z.string().optional(),
  data: z.object({
    token: z.string().min(1),
    codeService: z.string().nullish(),
    tokenStart: nullableDateSchema,
    tokenExpires: requiredDateSchema,
  }),
});
export type AuthorizationResponse = z.infer<typeof authorizationResponseSchema>;

export const createCipResponseSchema = z.object({
  code: codeSchema.optional(),
  message: z.string().optional(),
  data: z
    .object({
      cip: cipSchema,
      currency: currencySchema,
      amount: amountSchema,
      // DOC's example echoes both; if a response leaves them out, the client uses what it sent.
      transactionCode: textSchema.nullish(),
      dateExpiry: nullableDateSchema,
      cipUrl: httpUrlSchema,
    })
    .transform(({ amount, currency, ...rest }, ctx) => ({ ...rest, amount: toMoney(amount, currency, ctx) })),
});
export type CreateCipResponse = z.infer<typeof createCipResponseSchema>;

const statusCodeSchema = z.union([z.number().int(), z.string().trim().regex(/^\d+$/)]).transform(Number);

export const searchedCipSchema = z
  .object({
    cip: cipSchema,
    currency: currencySchema,
    amount: amountSchema,
    status: statusCodeSchema,
    statusName: z.string().nullish().transform((value) => value ?? ""),
    transactionCode: textSchema.nullish().transform((value) => (value === undefined || value === "" ? null : value)),
    dateCreation: nullableDateSchema,
    dateExpiry: nullableDateSchema,
    datePayment: nullableDateSchema,
    dateRemoval: nullableDateSchema,
  })
  .transform(({ amount, currency, ...rest }, ctx) => ({ ...rest, amount: toMoney(amount, currency, ctx) }));

export const searchResponseSchema = z.object({
  code: codeSchema.optional(),
  message: z.string().optional(),
  // No matches may come back as an empty list or as no data at all.
  data: z
    .array(searchedCipSchema)
    .nullish()
    .transform((value) => value ?? []),
});
export type SearchResponse = z.infer<typeof searchResponseSchema>;

/** PATCH /v1/cips/{cip}: the body is not documented; read the new expiry if it is echoed. */
export const updateCipResponseSchema = z.object({
  code: codeSchema.optional(),
  message: z.string().optional(),
  data: z
    .object({ dateExpiry: nullableDateSchema })
    .nullish()
    .catch(null),
});

/** DELETE /v1/cips/{cip}: the body is not documented and may be empty. */
export const deleteCipResponseSchema = z
  .object({ code: codeSchema.optional(), message: z.string().optional() })
  .nullish();

export const fieldErrorSchema = z.object({
  code: codeSchema.optional(),
  message: z.string().optional(),
  field: z.string().optional(),
});

/** Error body: {"code":"111","message":"...","data":[{"code":"112","message":"Requerido.","field":"amount"}]}. */
export const errorResponseSchema = z.object({
  code: codeSchema.optional(),
  message: z.string().optional(),
  data: z.array(fieldErrorSchema).catch([]).optional(),
});
export type ErrorResponse = z.infer<typeof errorResponseSchema>;
