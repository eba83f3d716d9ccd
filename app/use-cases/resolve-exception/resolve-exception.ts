import type { Clock } from "../../lib/clock";
import { err, ok, type Result } from "../../lib/result";
import type { ExceptionBook, ExceptionRecord } from "../../ports/reconciliation-admin";

export type ResolveExceptionError =
  | { readonly kind: "not_found"; readonly message: string }
  | { readonly kind: "already_resolved"; readonly message: string };

/** The merchant closes a reconciliation exception with a note; the history keeps who and when. */
export class ResolveException {
  constructor(private readonly deps: { exceptions: Pick<ExceptionBook, "resolve">; clock: Clock }) {}

  async execute(shopId: string, id: string, input: { note: string; by: string }): Promise<Result<ExceptionRecord, ResolveExceptionError>> {
    const resolved = await this.deps.exceptions.resolve(shopId, id, { note: input.note, by: input.by, at: this.deps.clock.now() });
    if (resolved === null) return err({ kind: "not_found", message: `Exception ${id} not found` });
    if (resolved === "already") return err({ kind: "already_resolved", message: `Exception ${id} is already resolved` });
    return ok(resolved);
  }
}
