import { randomUUID } from "node:crypto";

import type { Currency } from "../../domain/settlement/currency";
import type { FeeSchedule, FeeScheduleEntry } from "../../domain/settlement/fee-schedule";
import type { PayoutTerms, SettlementTermsReader } from "../../ports/reconciliation";
import { parseStoredTerms, termsToView } from "../../use-cases/run-reconciliation/payout-terms";
import { type SettlementColumnMapping, settlementColumnMappingSchema } from "../settlement-files/column-mapping";
import type { Db } from "./database";

export interface FeeEntryRecord extends FeeScheduleEntry {
  readonly id: string;
  readonly createdAt: Date;
  readonly updatedAt: Date | null;
}

export interface FeeEntryInput {
  readonly currency: Currency;
  readonly channel: string;
  readonly percentBps: number;
  readonly fixedMinor: number;
  readonly taxBps: number | null;
  readonly effectiveFrom: Date;
}

export interface ShopIdentity {
  readonly shopId: string;
  readonly domain: string;
  readonly legalName: string | null;
  readonly ruc: string | null;
  readonly locale: string;
}

/** The shop's settlement settings: the column mapping, the payout terms and the fee schedule. */
export class PrismaSettlementSettings implements SettlementTermsReader {
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
    currency: row.currency === "USD" ? "USD" : "PEN",
    channel: row.channel,
    percentBps: row.percentBps,
    fixedMinor: row.fixedMinor,
    ...(row.taxBps !== null ? { taxBps: row.taxBps } : {}),
    effectiveFrom: row.effectiveFrom,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}
