import { randomInt } from "node:crypto";

import { DAY_MS, formatLimaWallText, limaDayStart } from "../../domain/lima-time";
import type { Currency } from "../../domain/money";
import { formatMinor } from "../../domain/money";
import { type SettlementColumnMappingInput, settlementColumnMappingSchema } from "../../domain/settlement/column-mapping";
import type { FeeSchedule, FeeScheduleEntry } from "../../domain/settlement/fee-schedule";
import { type PayoutTermsInput, termsFromInput } from "../../domain/settlement/payout-terms";
import type { Clock } from "../../lib/clock";
import { csvRecord } from "../../lib/csv-record";
import type { SettlementTermsReader } from "../../ports/reconciliation";
import type { EmulatorPayment, SamplePayment } from "../../ports/settlement-report-sources";
import { SettlementExpectations } from "../run-reconciliation/settlement-expectations";

/** How the emulator names channels, and how a portal export would spell them. */
export const SAMPLE_CHANNEL_NAMES: Readonly<Record<string, string>> = {
  banca_movil: "Banca móvil",
  agente: "Agente",
  bodega: "Bodega",
  billetera: "Billetera",
  internet: "Internet",
};

const HEADERS = ["Código CIP", "Monto", "Moneda", "Fecha de pago", "Canal", "Comisión", "Neto", "Fecha de abono", "Nro. operación"];

/** The column mapping for the sample file (what the merchant would set once in the panel). */
export const SAMPLE_MAPPING: SettlementColumnMappingInput = {
  columns: {
    cip: "Código CIP",
    amount: "Monto",
    currency: "Moneda",
    paymentDate: "Fecha de pago",
    channel: "Canal",
    commission: "Comisión",
    net: "Neto",
    payoutDate: "Fecha de abono",
    operationNumber: "Nro. operación",
  },
  hasHeaderRow: true,
};

/** Invented contract terms for the sandbox (PagoEfectivo publishes none): 2.5 % + S/ 0.50, US$ 0.20. */
export const SAMPLE_FEE_SCHEDULE: readonly Omit<FeeScheduleEntry, "effectiveFrom">[] = [
  { currency: "PEN", channel: "*", percentBps: 250, fixedMinor: 50 },
  { currency: "PEN", channel: "Agente", percentBps: 300, fixedMinor: 100 },
  { currency: "USD", channel: "*", percentBps: 250, fixedMinor: 20 },
];
export const SAMPLE_FEES_EFFECTIVE_FROM = "2020-01-01";

export const SAMPLE_PAYOUT_TERMS: PayoutTermsInput = {
  daysByChannel: { Agente: 3, Bodega: 3, "Banca móvil": 1, Billetera: 1, Internet: 2 },
  defaultDays: 2,
  cutoffHour: 17,
  extraClosedDays: [],
  settlementCurrencies: { PEN: "PEN", USD: "USD" },
};

/** Extra commission put on the "commission off the schedule" line, in céntimos. */
export const SAMPLE_COMMISSION_SURPLUS_MINOR = 37;
/** How much less the "amount mismatch" line says was paid, in céntimos. */
export const SAMPLE_SHORT_AMOUNT_MINOR = 100;

export interface SampleFile {
  readonly csv: string;
  readonly lines: number;
  /** The planted anomalies: what a reconciliation run must report. */
  readonly planted: { kind: string; cip: string }[];
}

/**
 * A settlement file like a merchant portal export, built from the shop's paid payments and the channel
 * each CIP was paid at in the PagoEfectivo emulator, with a few planted anomalies for the merchant to
 * find after importing it: a CIP the shop never issued, an amount S/ 1.00 short, the same line twice and a
 * commission S/ 0.37 off the fee schedule (the first three need at least one, two and three paid
 * payments). Semicolon-separated, amounts with a decimal point, dates in Lima time.
 */
export class BuildSampleSettlementFile {
  constructor(
    private readonly deps: {
      payments: (shopId: string) => Promise<SamplePayment[]>;
      emulatorPayments: () => Promise<Map<string, EmulatorPayment[]>>;
      terms: SettlementTermsReader;
      clock: Clock;
      /** A CIP no shop has: tests pass a fixed one. */
      unknownCip?: () => string;
    },
  ) {}

  async execute(shopId: string): Promise<SampleFile> {
    const { deps } = this;
    const [payments, emulator, terms, shopSchedule] = await Promise.all([
      deps.payments(shopId),
      deps.emulatorPayments(),
      deps.terms.payoutTerms(shopId),
      deps.terms.feeSchedule(shopId),
    ]);
    const schedule: FeeSchedule = shopSchedule.length > 0 ? shopSchedule : sampleSchedule();
    const expectations = new SettlementExpectations(terms, schedule);

    interface Line {
      cip: string;
      amountMinor: number;
      currency: Currency;
      paidAt: Date;
      channel: string;
      operationNumber: string;
      commissionDelta: number;
    }
    const lines: Line[] = [];
    for (const payment of [...payments].sort((a, b) => a.paidAt.getTime() - b.paidAt.getTime())) {
      const recorded = emulator.get(payment.cip);
      if (recorded && recorded.length > 0) {
        for (const p of recorded) {
          lines.push({ cip: payment.cip, amountMinor: p.amountMinor, currency: p.currency, paidAt: p.paidAt, channel: SAMPLE_CHANNEL_NAMES[p.channel] ?? p.channel, operationNumber: p.operationNumber, commissionDelta: 0 });
        }
      } else {
        lines.push({
          cip: payment.cip,
          amountMinor: payment.amountMinor,
          currency: payment.currency,
          paidAt: payment.paidAt,
          channel: payment.channel ?? "Banca móvil",
          operationNumber: payment.operationNumber ?? "",
          commissionDelta: 0,
        });
      }
    }

    const planted: { kind: string; cip: string }[] = [];
    const first = lines[0];
    if (first) {
      first.amountMinor -= SAMPLE_SHORT_AMOUNT_MINOR;
      planted.push({ kind: "settlement_amount_mismatch", cip: first.cip });
    }
    const second = lines[1];
    if (second) {
      second.commissionDelta = SAMPLE_COMMISSION_SURPLUS_MINOR;
      planted.push({ kind: "commission_mismatch", cip: second.cip });
    }
    const third = lines[2];
    if (third) {
      lines.splice(3, 0, { ...third });
      planted.push({ kind: "settlement_duplicate", cip: third.cip });
    }
    const unknownCip = deps.unknownCip?.() ?? `9${String(randomInt(0, 10_000_000)).padStart(7, "0")}`;
    lines.push({
      cip: unknownCip,
      amountMinor: 2_500,
      currency: "PEN",
      paidAt: new Date(deps.clock.now().getTime() - DAY_MS),
      channel: "Agente",
      operationNumber: String(randomInt(100_000, 999_999)),
      commissionDelta: 0,
    });
    planted.push({ kind: "settlement_unknown_cip", cip: unknownCip });

    const records = [csvRecord(HEADERS, { delimiter: ";" })];
    for (const line of lines) {
      const commission = (expectations.expectedCommission({ amountMinor: line.amountMinor, currency: line.currency, channel: line.channel, paymentDate: line.paidAt }) ?? 0) + line.commissionDelta;
      const payout = expectations.expectedPayoutDate(line.paidAt, line.channel);
      records.push(
        csvRecord(
          [
            line.cip,
            formatMinor(line.amountMinor),
            line.currency,
            limaText(line.paidAt),
            line.channel,
            formatMinor(commission),
            formatMinor(line.amountMinor - commission),
            limaText(payout).slice(0, 10),
            line.operationNumber,
          ],
          { delimiter: ";" },
        ),
      );
    }
    return { csv: records.join(""), lines: lines.length, planted };
  }
}

export function sampleSchedule(): FeeSchedule {
  const effectiveFrom = limaDayStart(SAMPLE_FEES_EFFECTIVE_FROM);
  return SAMPLE_FEE_SCHEDULE.map((entry) => ({ ...entry, effectiveFrom }));
}

/** "yyyy-mm-dd hh:mm:ss" in Lima time (UTC-5, no daylight saving). */
function limaText(instant: Date): string {
  return formatLimaWallText(instant);
}

export interface SampleSetupStore {
  mapping(shopId: string): Promise<unknown>;
  saveMapping(shopId: string, mapping: ReturnType<typeof parseSampleMapping>, at: Date): Promise<void>;
  feeSchedule(shopId: string): Promise<FeeSchedule>;
  createFeeEntry(
    shopId: string,
    input: { currency: Currency; channel: string; percentBps: number; fixedMinor: number; taxBps: number | null; effectiveFrom: Date },
    at: Date,
  ): Promise<unknown>;
  payoutTermsState(shopId: string): Promise<{ configured: boolean }>;
  savePayoutTerms(shopId: string, terms: ReturnType<typeof termsFromInput>, at: Date): Promise<void>;
}

/**
 * Sandbox convenience: gives the shop the sample file's column mapping, the sample fee schedule and payout
 * cycle, each only if the shop has none yet, so the sample file imports and reconciles at once.
 */
export async function setUpSampleSettlement(store: SampleSetupStore, shopId: string, now: Date): Promise<{ mapping: boolean; feeSchedule: boolean; payoutCycle: boolean }> {
  const done = { mapping: false, feeSchedule: false, payoutCycle: false };
  if (!(await store.mapping(shopId))) {
    await store.saveMapping(shopId, parseSampleMapping(), now);
    done.mapping = true;
  }
  if ((await store.feeSchedule(shopId)).length === 0) {
    for (const entry of sampleSchedule()) {
      await store.createFeeEntry(shopId, { ...entry, taxBps: entry.taxBps ?? null }, now);
    }
    done.feeSchedule = true;
  }
  if (!(await store.payoutTermsState(shopId)).configured) {
    await store.savePayoutTerms(shopId, termsFromInput(SAMPLE_PAYOUT_TERMS), now);
    done.payoutCycle = true;
  }
  return done;
}

export function parseSampleMapping() {
  return settlementColumnMappingSchema.parse(SAMPLE_MAPPING);
}
