import type { Clock } from "../../lib/clock";
import type { Logger } from "../../lib/logger";
import { err, ok, type Result } from "../../lib/result";
import type { DeadLetter, DeadLetterStore } from "../../ports/dead-letters";

export type ResendError = { readonly kind: "not_found"; readonly message: string } | { readonly kind: "not_dead"; readonly message: string };

/**
 * Sends a given-up delivery again, on the merchant's (or an operator's) word: after a fix on either
 * side, the job goes back to the outbox with a new delivery window and the worker is woken. Every
 * delivery handler is idempotent (Shopify's session mutations and PagoEfectivo's CIP deletion), so a
 * resend of something that did in fact arrive changes nothing at the other end.
 */
export class ResendDeadLetter {
  constructor(
    private readonly deps: {
      deadLetters: DeadLetterStore;
      clock: Clock;
      logger: Logger;
      wakeWorker: () => void;
    },
  ) {}

  async execute(shopId: string, id: string, by: string): Promise<Result<DeadLetter, ResendError>> {
    const outcome = await this.deps.deadLetters.resend(shopId, id, { now: this.deps.clock.now(), by });
    switch (outcome.result) {
      case "not_found":
        return err({ kind: "not_found", message: `Dead letter ${id} not found` });
      case "not_dead":
        return err({ kind: "not_dead", message: `Job ${id} is not in the dead-letter list (it is still being delivered, or was delivered)` });
      case "resent":
        this.deps.logger.info({ shopId, jobId: id, kind: outcome.job.kind, by }, "dead letter resent");
        this.deps.wakeWorker();
        return ok(outcome.job);
    }
  }
}
