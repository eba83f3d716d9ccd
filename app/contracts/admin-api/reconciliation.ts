import { z } from "zod";

import { count, countsByKey, instant, paged } from "./common";

export const runStatus = z.enum(["queued", "running", "done", "failed"]);
export type RunStatus = z.infer<typeof runStatus>;
export const runTrigger = z.enum(["schedule", "manual", "import"]);

/** What a finished run found; a queued or running run has none yet (`{}`). */
export const runStats = z
  .strictObject({
    trigger: runTrigger,
    payments: count,
    paidPayments: count,
    lines: count,
    lineStatus: countsByKey,
    found: countsByKey,
    newExceptions: countsByKey,
    autoResolved: count,
    coverage: z.strictObject({ from: z.string(), to: z.string() }).nullable(),
    durationMs: z.number().min(0),
  })
  .partial();

export const runAnswer = z.strictObject({
  id: z.string(),
  trigger: runTrigger,
  status: runStatus,
  error: z.string().nullable(),
  startedAt: instant,
  finishedAt: instant.nullable(),
  stats: runStats,
});
export type RunAnswer = z.infer<typeof runAnswer>;

/**
 * POST /api/reconciliation/runs: the run that will do the work. A shop has at most one queued or running
 * manual run: asking again (a double click) answers that run with `alreadyQueued: true`.
 */
export const startRunAnswer = z.strictObject({ run: runAnswer, alreadyQueued: z.boolean() });
export type StartRunAnswer = z.infer<typeof startRunAnswer>;
export const startRunRequest = z.strictObject({ linkOrders: z.boolean().default(true) });

export const runListAnswer = paged(runAnswer);

/** GET /api/reconciliation/summary */
export const reconciliationSummaryAnswer = z.strictObject({
  lastRun: runAnswer.nullable(),
  /** The run queued or going now, if any (the panel polls it). */
  activeRun: runAnswer.nullable(),
  exceptions: z.strictObject({ open: count, resolved: count, openByKind: countsByKey }),
  /** Settlement lines by match status. */
  lines: countsByKey,
  imports: z.strictObject({
    total: count,
    last: z.strictObject({ id: z.string(), fileName: z.string(), status: z.string(), createdAt: instant }).nullable(),
  }),
});
export type ReconciliationSummaryAnswer = z.infer<typeof reconciliationSummaryAnswer>;

export const exceptionStatus = z.enum(["open", "resolved"]);
export type ExceptionStatus = z.infer<typeof exceptionStatus>;

export const exceptionHistoryEntry = z.strictObject({
  at: instant,
  action: z.enum(["detected", "resolved", "auto_resolved"]),
  by: z.string().nullable(),
  note: z.string().nullable(),
  runId: z.string().nullable(),
});

export const exceptionAnswer = z.strictObject({
  id: z.string(),
  kind: z.string(),
  status: exceptionStatus,
  source: z.string().nullable(),
  cip: z.string().nullable(),
  paymentSessionId: z.string().nullable(),
  orderName: z.string().nullable(),
  orderFinancialStatus: z.string().nullable(),
  evidence: z.record(z.string(), z.unknown()),
  suggestedAction: z.strictObject({ es: z.string(), en: z.string() }),
  detectedAt: instant,
  resolvedAt: instant.nullable(),
  resolvedBy: z.string().nullable(),
  resolutionNote: z.string().nullable(),
  runId: z.string().nullable(),
  history: z.array(exceptionHistoryEntry),
});
export type ExceptionAnswer = z.infer<typeof exceptionAnswer>;

export const exceptionListAnswer = paged(exceptionAnswer);
export type ExceptionListAnswer = z.infer<typeof exceptionListAnswer>;

/** POST /api/reconciliation/exceptions/:id/resolve */
export const resolveExceptionRequest = z.strictObject({ note: z.string().trim().min(1, "is required").max(2_000) });

const kindList = z
  .string()
  .max(500)
  .transform((value) => value.split(",").map((kind) => kind.trim()).filter(Boolean))
  .pipe(z.array(z.string().regex(/^[a-z_]{1,60}$/, "is not an exception kind")).max(30));

/** GET /api/reconciliation/exceptions and its CSV export: the filters. */
export const exceptionListQuery = z.object({
  kind: kindList.optional(),
  status: z.enum(["open", "resolved"], { error: "must be open or resolved" }).optional(),
  cip: z.string().regex(/^\d{1,20}$/, "is not a CIP").optional(),
  paymentSessionId: z.string().min(1).max(255).optional(),
});
