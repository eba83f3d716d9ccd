import { type LineKeyInput, settlementLineKey } from "../../domain/settlement/line-key";

export type { LineKeyInput } from "../../domain/settlement/line-key";

/**
 * The idempotency key of an imported line: store lines with a unique (shop, key) so re-importing the same
 * export, or an overlapping one, adds nothing. CIP + operation number when the export has one, else
 * CIP + payment instant + currency + amount. The rule lives in the domain because reconciliation's
 * dedupe keys are built from it too.
 */
export function importedLineKey(line: LineKeyInput): string {
  return settlementLineKey(line);
}
