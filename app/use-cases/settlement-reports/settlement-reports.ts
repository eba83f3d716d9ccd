import { DAY_MS, limaEpochDay, limaMidnight } from "../../domain/lima-time";
import { CURRENCIES, type Currency } from "../../domain/money";
import {
  type ReportDateBasis,
  type ReportGranularity,
  type SettlementReport,
  SettlementReportBuilder,
} from "../../domain/settlement/settlement-report";
import type { Clock } from "../../lib/clock";
import type { SettlementTermsReader } from "../../ports/reconciliation";
import type { ReportSources } from "../../ports/settlement-report-sources";
import { SettlementExpectations } from "../run-reconciliation/settlement-expectations";
import { limaDateOf, limaDayEnd, limaDayStart } from "./report-period";

export interface SettlementReportQuery {
  readonly granularity: ReportGranularity;
  readonly basis: ReportDateBasis;
  /** Lima dates, inclusive; null = open. */
  readonly from: string | null;
  readonly to: string | null;
  readonly currency: Currency | null;
}

export interface UpcomingPayoutRow {
  /** Lima date the payout is due. */
  readonly date: string;
  /** "settlement_file": the imported file says so; "expected": paid and not in any file yet, date from the payout cycle. */
  readonly source: "settlement_file" | "expected";
  readonly currency: Currency;
  /** The currency the payout arrives in (the shop's contract; a PEN-only account receives USD converted). */
  readonly payoutCurrency: Currency;
  readonly channel: string | null;
  count: number;
  grossMinor: number;
  commissionMinor: number;
  netMinor: number;
  /** Expected rows whose commission the fee schedule could not predict (counted as 0). */
  withoutCommission: number;
}

export interface UpcomingPayouts {
  readonly from: string;
  readonly to: string;
  readonly rows: UpcomingPayoutRow[];
  /** Per payment currency; PEN and USD never added together. */
  readonly totals: Record<Currency, { count: number; grossMinor: number; commissionMinor: number; netMinor: number }>;
  /** Paid payments whose expected payout day has passed without a settlement line (see missing_from_settlement). */
  readonly overdue: Record<Currency, { count: number; grossMinor: number }>;
}

/** How far back unsettled payments are considered for upcoming payouts. */
const UNSETTLED_LOOKBACK_DAYS = 60;

/**
 * The settlement reports: gross, commission and net per day, week or month (Lima), channel and currency,
 * streamed from the stored lines; and the payouts to come, from the imported files' payout dates and, for
 * paid payments not in any file yet, the shop's payout cycle and fee schedule.
 */
export class SettlementReports {
  constructor(
    private readonly deps: {
      sources: ReportSources;
      terms: SettlementTermsReader;
      clock: Clock;
    },
  ) {}

  async settlements(shopId: string, query: SettlementReportQuery): Promise<SettlementReport> {
    const builder = new SettlementReportBuilder({ granularity: query.granularity, dateBasis: query.basis });
    const filter = {
      basis: query.basis,
      from: query.from ? limaDayStart(query.from) : null,
      to: query.to ? limaDayEnd(query.to) : null,
      currency: query.currency,
    };
    if (this.deps.sources.lineGroups) {
      for (const group of await this.deps.sources.lineGroups(shopId, filter)) builder.addGroup(group);
      return builder.build();
    }
    const pages = this.deps.sources.linePages(shopId, filter);
    for await (const page of pages) {
      for (const line of page) {
        builder.add({
          amountMinor: line.amountMinor,
          currency: line.currency,
          paymentDate: line.paymentDateMs === null ? null : new Date(line.paymentDateMs),
          payoutDate: line.payoutDateMs === null ? null : new Date(line.payoutDateMs),
          channel: line.channel,
          commissionMinor: line.commissionMinor,
          netMinor: line.netMinor,
        });
      }
    }
    return builder.build();
  }

  async upcomingPayouts(shopId: string, options: { days: number }): Promise<UpcomingPayouts> {
    const { sources, terms, clock } = this.deps;
    const now = clock.now();
    const today = limaMidnight(limaEpochDay(now));
    const last = new Date(today.getTime() + options.days * DAY_MS - 1);
    const [payoutTerms, schedule] = await Promise.all([terms.payoutTerms(shopId), terms.feeSchedule(shopId)]);
    const expectations = new SettlementExpectations(payoutTerms, schedule);
    const groups = new Map<string, UpcomingPayoutRow>();
    const row = (date: string, source: UpcomingPayoutRow["source"], currency: Currency, channel: string | null): UpcomingPayoutRow => {
      const key = `${date}|${source}|${currency}|${channel ?? ""}`;
      let found = groups.get(key);
      if (!found) {
        found = {
          date,
          source,
          currency,
          payoutCurrency: payoutTerms.settlementCurrencies[currency],
          channel,
          count: 0,
          grossMinor: 0,
          commissionMinor: 0,
          netMinor: 0,
          withoutCommission: 0,
        };
        groups.set(key, found);
      }
      return found;
    };

    for await (const page of sources.linePages(shopId, { basis: "payout", from: today, to: last, currency: null })) {
      for (const line of page) {
        if (line.payoutDateMs === null) continue;
        const target = row(limaDateOf(new Date(line.payoutDateMs)), "settlement_file", line.currency, line.channel);
        const commission = line.commissionMinor ?? 0;
        target.count += 1;
        target.grossMinor += line.amountMinor;
        target.commissionMinor += commission;
        target.netMinor += line.netMinor ?? line.amountMinor - commission;
        if (line.commissionMinor === null) target.withoutCommission += 1;
      }
    }

    const overdue: UpcomingPayouts["overdue"] = { PEN: { count: 0, grossMinor: 0 }, USD: { count: 0, grossMinor: 0 } };
    const unsettled = await sources.unsettledPayments(shopId, new Date(today.getTime() - UNSETTLED_LOOKBACK_DAYS * DAY_MS));
    for (const payment of unsettled) {
      const due = expectations.expectedPayoutDate(payment.paidAt, payment.channel);
      if (due.getTime() < today.getTime()) {
        overdue[payment.currency].count += 1;
        overdue[payment.currency].grossMinor += payment.amountMinor;
        continue;
      }
      if (due.getTime() > last.getTime()) continue;
      const target = row(limaDateOf(due), "expected", payment.currency, payment.channel);
      const commission = expectations.expectedCommission({ ...payment, paymentDate: payment.paidAt });
      target.count += 1;
      target.grossMinor += payment.amountMinor;
      target.commissionMinor += commission ?? 0;
      target.netMinor += payment.amountMinor - (commission ?? 0);
      if (commission === null) target.withoutCommission += 1;
    }

    const rows = [...groups.values()].sort(
      (a, b) => a.date.localeCompare(b.date) || a.source.localeCompare(b.source) || a.currency.localeCompare(b.currency) || (a.channel ?? "").localeCompare(b.channel ?? "", "es"),
    );
    const totals = Object.fromEntries(CURRENCIES.map((c) => [c, { count: 0, grossMinor: 0, commissionMinor: 0, netMinor: 0 }])) as UpcomingPayouts["totals"];
    for (const r of rows) {
      const t = totals[r.currency];
      t.count += r.count;
      t.grossMinor += r.grossMinor;
      t.commissionMinor += r.commissionMinor;
      t.netMinor += r.netMinor;
    }
    return { from: limaDateOf(today), to: limaDateOf(last), rows, totals, overdue };
  }
}
