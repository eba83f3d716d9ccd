import { z } from "zod";

/**
 * Building blocks of the admin API's wire contract. This module imports nothing but zod: the server
 * (app/http/admin) and the panel (web/src) both build on it, so it must stay free of either side.
 */

export const currency = z.enum(["PEN", "USD"]);
/** An instant, ISO-8601 in UTC ("2026-12-04T10:00:00.000Z"). */
export const instant = z.iso.datetime();
/** A calendar day in Lima ("2026-12-04"). */
export const limaDate = z.iso.date();
export const locale = z.enum(["es", "en"]);
export const environment = z.enum(["sandbox", "production"]);
export const appMode = z.enum(["sandbox", "production"]);
/** Integer minor units (céntimos). */
export const minor = z.number().int();
export const count = z.number().int().min(0);

/**
 * Every 4xx/5xx of /api: a stable `code` the panel words in the merchant's language (its error-code
 * catalog), `params` for the words, an English `message` for logs and API users, and per-field `details`.
 */
export const errorAnswer = z.strictObject({
  error: z.strictObject({
    code: z.string().min(1),
    message: z.string(),
    params: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
    details: z.unknown().optional(),
  }),
});
export type ErrorAnswer = z.infer<typeof errorAnswer>;

export const paged = <T extends z.ZodType>(item: T) =>
  z.strictObject({ items: z.array(item), total: count, page: z.number().int().min(1), pageSize: z.number().int().min(1) });

export const countsByKey = z.record(z.string(), z.number().int());

/** A record's id in the path (/payments/:id, /refunds/:id, ...). */
export const idParam = z.object({ id: z.string().min(1).max(255) });

/** ?page=&pageSize= of every list (empty parameters are dropped first: an unfilled form sends them). */
export const pagingQuery = z.object({
  page: z.coerce.number({ error: "must be a number" }).int("must be a whole number").min(1, "must be 1 or more").max(1_000_000).default(1),
  pageSize: z.coerce.number({ error: "must be a number" }).int("must be a whole number").min(1, "must be 1 to 100").max(100, "must be 1 to 100").default(25),
});
