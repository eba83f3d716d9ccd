import { z } from "zod";

import { DEAD_LETTER_REASONS } from "../../domain/dead-letter-reason";
import { count, instant, paged } from "./common";

/** A delivery to Shopify the outbox gave up on, with its last error (issue #10). */
export const deadLetterAnswer = z.strictObject({
  id: z.string(),
  kind: z.string(),
  paymentSessionId: z.string().nullable(),
  refundSessionId: z.string().nullable(),
  attempts: count,
  /** Why it was given up, as a code the panel words (app/domain/dead-letter-reason.ts). */
  reason: z.enum(DEAD_LETTER_REASONS),
  /** The outbox's last error as recorded: technical detail, in English. */
  lastError: z.string().nullable(),
  createdAt: instant,
  failedAt: instant.nullable(),
});
export type DeadLetterAnswer = z.infer<typeof deadLetterAnswer>;

/** GET /api/dead-letters */
export const deadLetterListAnswer = paged(deadLetterAnswer);
export type DeadLetterListAnswer = z.infer<typeof deadLetterListAnswer>;

/** POST /api/dead-letters/:id/resend: the job, queued again. */
export const resentDeadLetterAnswer = z.strictObject({ job: deadLetterAnswer, status: z.literal("pending") });
export type ResentDeadLetterAnswer = z.infer<typeof resentDeadLetterAnswer>;
