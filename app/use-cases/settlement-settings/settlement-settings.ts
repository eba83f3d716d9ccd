import type { FeeEntryRequestParsed } from "../../contracts/admin-api";
import { limaDayStart } from "../../domain/lima-time";
import type { SettlementColumnMapping } from "../../domain/settlement/column-mapping";
import { feeEntryProblems } from "../../domain/settlement/fee-schedule";
import { type PayoutTerms, type PayoutTermsInput, termsFromInput } from "../../domain/settlement/payout-terms";
import type { Clock } from "../../lib/clock";
import { err, ok, type Result } from "../../lib/result";
import type { FeeEntryInput, FeeEntryRecord, SettlementSettingsStore } from "../../ports/reconciliation-admin";

export type SettlementSettingsError =
  | { readonly kind: "invalid"; readonly message: string }
  | { readonly kind: "not_found"; readonly message: string };

/**
 * Every change to a shop's settlement settings: the column mapping, the fee schedule (each entry checked
 * against the domain's rules before it is stored) and the payout terms.
 */
export class ManageSettlementSettings {
  constructor(private readonly deps: { settings: SettlementSettingsStore; clock: Clock }) {}

  async saveMapping(shopId: string, mapping: SettlementColumnMapping): Promise<SettlementColumnMapping> {
    await this.deps.settings.saveMapping(shopId, mapping, this.deps.clock.now());
    return mapping;
  }

  /** An entry as the panel sends it; it applies from 00:00 Lima of its `effectiveFrom` day. */
  async createFeeEntry(shopId: string, request: FeeEntryRequestParsed): Promise<Result<FeeEntryRecord, SettlementSettingsError>> {
    const input = feeEntryInput(request);
    const invalid = checkFeeEntry(input);
    if (invalid) return err(invalid);
    return ok(await this.deps.settings.createFeeEntry(shopId, input, this.deps.clock.now()));
  }

  async updateFeeEntry(shopId: string, id: string, request: FeeEntryRequestParsed): Promise<Result<FeeEntryRecord, SettlementSettingsError>> {
    const input = feeEntryInput(request);
    const invalid = checkFeeEntry(input);
    if (invalid) return err(invalid);
    const entry = await this.deps.settings.updateFeeEntry(shopId, id, input, this.deps.clock.now());
    return entry ? ok(entry) : err({ kind: "not_found", message: `Fee schedule entry ${id} not found` });
  }

  async deleteFeeEntry(shopId: string, id: string): Promise<Result<true, SettlementSettingsError>> {
    const deleted = await this.deps.settings.deleteFeeEntry(shopId, id);
    return deleted ? ok(true) : err({ kind: "not_found", message: `Fee schedule entry ${id} not found` });
  }

  async savePayoutTerms(shopId: string, input: PayoutTermsInput): Promise<PayoutTerms> {
    const terms = termsFromInput(input);
    await this.deps.settings.savePayoutTerms(shopId, terms, this.deps.clock.now());
    return terms;
  }
}

function feeEntryInput(request: FeeEntryRequestParsed): FeeEntryInput {
  return { ...request, effectiveFrom: limaDayStart(request.effectiveFrom) };
}

function checkFeeEntry(input: FeeEntryInput): SettlementSettingsError | null {
  const { taxBps, ...rest } = input;
  const problems = feeEntryProblems({ ...rest, ...(taxBps === null ? {} : { taxBps }) });
  return problems.length > 0 ? { kind: "invalid", message: problems.join("; ") } : null;
}
