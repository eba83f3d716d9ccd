import { randomUUID } from "node:crypto";

import { type SettlementColumnMapping, settlementColumnMappingSchema } from "../../domain/settlement/column-mapping";
import type { FeeSchedule } from "../../domain/settlement/fee-schedule";
import { parseStoredTerms, termsToView } from "../../domain/settlement/payout-terms";
import type { PayoutTerms, SettlementTermsReader } from "../../ports/reconciliation";
import type { FeeEntryInput, FeeEntryRecord, SettlementSettingsStore, ShopIdentity } from "../../ports/reconciliation-admin";
import type { Db } from "./database";
import { storedCurrency } from "./stored-currency";

/** The shop's settlement settings: the column mapping, the payout terms and the fee schedule. */
export class PrismaSettlementSettings implements SettlementTermsReader, SettlementSettingsStore {
  constructor(private readonly db: Db) {}

  async mapping(shopId: string): Promise<SettlementColumnMapping | null> {
    const shop = await this.db.shop.findUnique({ where: { id: shopId }, select: { settlementMappingJson: true } });
    if (!shop?.settlementMappingJson) return null;
    try {
      const parsed = settlementColumnMappingSchema.safeParse(JSON.parse(shop.settlementMappingJson));
      return parsed.success ? parsed.data : null;
    } catch {
      return null;
    }
  }

  async saveMapping(shopId: string, mapping: SettlementColumnMapping, at: Date): Promise<void> {
    await this.db.shop.update({ where: { id: shopId }, data: { settlementMappingJson: JSON.stringify(mapping), updatedAt: at } });
  }

  async payoutTerms(shopId: string): Promise<PayoutTerms> {
    return (await this.payoutTermsState(shopId)).terms;
  }

  async payoutTermsState(shopId: string): Promise<{ terms: PayoutTerms; configured: boolean }> {
    const shop = await this.db.shop.findUnique({ where: { id: shopId }, select: { payoutCycleJson: true } });
    return parseStoredTerms(shop?.payoutCycleJson ?? null);
  }

  async savePayoutTerms(shopId: string, terms: PayoutTerms, at: Date): Promise<void> {
    await this.db.shop.update({ where: { id: shopId }, data: { payoutCycleJson: JSON.stringify(termsToView(terms)), updatedAt: at } });
  }

  async feeSchedule(shopId: string): Promise<FeeSchedule> {
    return this.feeEntries(shopId);
  }

  async feeEntries(shopId: string): Promise<FeeEntryRecord[]> {
    const rows = await this.db.feeScheduleEntry.findMany({ where: { shopId }, orderBy: [{ currency: "asc" }, { channel: "asc" }, { effectiveFrom: "asc" }, { id: "asc" }] });
    return rows.map(toEntry);
  }

  async createFeeEntry(shopId: string, input: FeeEntryInput, at: Date): Promise<FeeEntryRecord> {
    const row = await this.db.feeScheduleEntry.create({ data: { id: randomUUID(), shopId, ...input, createdAt: at, updatedAt: at } });
    return toEntry(row);
  }

  async updateFeeEntry(shopId: string, id: string, input: FeeEntryInput, at: Date): Promise<FeeEntryRecord | null> {
    const { count } = await this.db.feeScheduleEntry.updateMany({ where: { id, shopId }, data: { ...input, updatedAt: at } });
    if (count !== 1) return null;
    const row = await this.db.feeScheduleEntry.findUnique({ where: { id } });
    return row ? toEntry(row) : null;
  }

  async deleteFeeEntry(shopId: string, id: string): Promise<boolean> {
    const { count } = await this.db.feeScheduleEntry.deleteMany({ where: { id, shopId } });
    return count === 1;
  }

  async identity(shopId: string): Promise<ShopIdentity | null> {
    const shop = await this.db.shop.findUnique({ where: { id: shopId }, select: { id: true, domain: true, legalName: true, ruc: true, locale: true } });
    return shop ? { shopId: shop.id, domain: shop.domain, legalName: shop.legalName, ruc: shop.ruc, locale: shop.locale } : null;
  }

  /** Installed shops, for the daily run. */
  async installedShopIds(): Promise<string[]> {
    const rows = await this.db.shop.findMany({ where: { status: "installed" }, select: { id: true }, orderBy: { id: "asc" } });
    return rows.map((row) => row.id);
  }
}

type FeeRow = NonNullable<Awaited<ReturnType<Db["feeScheduleEntry"]["findUnique"]>>>;

function toEntry(row: FeeRow): FeeEntryRecord {
  return {
    id: row.id,
    currency: storedCurrency(row.currency, "FeeScheduleEntry"),
    channel: row.channel,
    percentBps: row.percentBps,
    fixedMinor: row.fixedMinor,
    ...(row.taxBps !== null ? { taxBps: row.taxBps } : {}),
    effectiveFrom: row.effectiveFrom,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}
