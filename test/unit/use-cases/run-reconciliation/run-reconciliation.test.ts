import { describe, expect, it } from "vitest";

import type { SettlementLineStatus } from "../../../../app/domain/reconciliation/types";
import type { FeeSchedule } from "../../../../app/domain/settlement/fee-schedule";
import { FixedClock } from "../../../../app/lib/clock";
import { silentLogger } from "../../../../app/lib/logger";
import type {
  ExceptionWriter,
  LedgerPaymentRow,
  NewReconciliationException,
  PayoutTerms,
  ReconciliationLine,
  RunRecord,
  RunStore,
} from "../../../../app/ports/reconciliation";
import type { LeaseProvider } from "../../../../app/ports/scheduler-lease";
import { RunReconciliation } from "../../../../app/use-cases/run-reconciliation/run-reconciliation";

const lima = (wall: string) => new Date(`${wall}-05:00`);

function payment(cip: string, overrides: Partial<LedgerPaymentRow> = {}): LedgerPaymentRow {
  const paidAt = lima("2025-07-25T10:00:00").getTime();
  return {
    sessionId: `sess_${cip}`,
    cip,
    amountMinor: 10_000,
    currency: "PEN",
    state: "paid",
    cipExpiresAtMs: paidAt + 86_400_000,
    paidAtMs: paidAt,
    paidAmountMinor: 10_000,
    paidCurrency: "PEN",
    paidVia: "notification",
    orderId: `gid://shopify/Order/${cip}`,
    orderFinancialStatus: "paid",
    channel: null,
    createdAtMs: paidAt - 3_600_000,
    ...overrides,
  };
}

function line(lineNumber: number, cip: string, overrides: Partial<ReconciliationLine> = {}): ReconciliationLine {
  return {
    importId: "imp_1",
    lineNumber,
    cip,
    amountMinor: 10_000,
    currency: "PEN",
    paymentDate: lima("2025-07-25T10:00:00"),
    channel: "Agente",
    commissionMinor: 200,
    netMinor: 9_800,
    payoutDate: null,
    operationNumber: `op${lineNumber}`,
    status: null,
    ...overrides,
  };
}

const schedule: FeeSchedule = [{ currency: "PEN", channel: "*", percentBps: 200, fixedMinor: 0, effectiveFrom: lima("2020-01-01T00:00:00") }];
const terms: PayoutTerms = { cycle: { daysByChannel: {}, defaultDays: 1, cutoffHour: null }, extraClosedDays: [], settlementCurrencies: { PEN: "PEN", USD: "USD" } };

class Fakes {
  ledger: LedgerPaymentRow[] = [];
  notified = new Map<string, number>();
  lines: ReconciliationLine[] = [];
  stored: NewReconciliationException[] = [];
  statusWrites: { range: { fromLine: number; toLine: number }; majority: SettlementLineStatus | null; others: Map<SettlementLineStatus, number[]> }[] = [];
  autoResolveKeys: Set<string> | null = null;
  leaseFree = true;
  runs: RunRecord[] = [];

  deps(now: Date) {
    return depsOf(this, now);
  }
}

function depsOf(fakes: Fakes, now: Date) {
    const exceptions: ExceptionWriter = {
      async record(_shopId, found, options) {
        const inserted = found.filter((e) => !fakes.stored.some((s) => s.dedupeKey === e.dedupeKey || (options.onePerCip.has(e.kind) && s.kind === e.kind && s.cip === e.cip)));
        fakes.stored.push(...inserted);
        return { inserted };
      },
      async autoResolve(_shopId, _kinds, stillFound) {
        fakes.autoResolveKeys = new Set(stillFound);
        return 0;
      },
    };
    const runs: RunStore = {
      async create(shopId, trigger, at) {
        const run: RunRecord = { id: `run_${fakes.runs.length + 1}`, shopId, trigger, status: "queued", error: null, startedAt: at, finishedAt: null, stats: {} };
        fakes.runs.push(run);
        return run;
      },
      async markRunning() {},
      async finish() {},
      async fail() {},
      async heartbeat() {},
    };
    const lease: LeaseProvider = { tryAcquire: async () => fakes.leaseFree, release: async () => undefined };
    return {
      ledger: {
        async *pages() {
          yield [...fakes.ledger];
        },
        notifiedPaymentCounts: async () => fakes.notified,
        sessionIdsOf: async (_shopId: string, cips: readonly string[]) =>
          new Map(fakes.ledger.filter((row) => cips.includes(row.cip)).map((row) => [row.cip, row.sessionId])),
      },
      lines: {
        importedIds: async () => ["imp_1"],
        coverage: async () => ({ from: lima("2025-07-25T00:00:00"), to: lima("2025-07-25T23:00:00") }),
        pageOfImport: async (_importId: string, after: number, limit: number) => fakes.lines.filter((l) => l.lineNumber > after).slice(0, limit),
        saveStatuses: async (_importId: string, range: { fromLine: number; toLine: number }, majority: SettlementLineStatus | null, others: ReadonlyMap<SettlementLineStatus, number[]>) => {
          fakes.statusWrites.push({ range, majority, others: new Map(others) });
          for (const l of fakes.lines) {
            if (l.lineNumber < range.fromLine || l.lineNumber > range.toLine) continue;
            let status: SettlementLineStatus | null = majority ?? l.status;
            for (const [s, numbers] of others) if (numbers.includes(l.lineNumber)) status = s;
            Object.assign(l, { status });
          }
        },
      },
      exceptions,
      runs,
      terms: { payoutTerms: async () => terms, feeSchedule: async () => schedule },
      lease,
      clock: new FixedClock(now),
      logger: silentLogger,
      holder: "test",
    };
}

const kinds = (fakes: Fakes) => fakes.stored.map((e) => `${e.kind}:${e.cip}:${e.source}`).sort();

describe("RunReconciliation", () => {
  it("applies the ledger rules and matches the settlement lines, storing each line's status", async () => {
    const fakes = new Fakes();
    fakes.ledger = [
      payment("100"),
      payment("101", { orderId: null, orderFinancialStatus: null }),
      payment("102", { orderFinancialStatus: "pending" }),
      payment("103", { paidVia: "polling" }),
      payment("104"),
    ];
    fakes.lines = [line(2, "100"), line(3, "102"), line(4, "103", { commissionMinor: 250 }), line(5, "999"), line(6, "101"), line(7, "101")];
    const result = await new RunReconciliation(fakes.deps(lima("2025-07-25T20:00:00"))).execute({ shopId: "shop_1", trigger: "manual" });
    expect(result.ok).toBe(true);
    expect(kinds(fakes)).toEqual([
      "commission_mismatch:103:settlement",
      "notification_missing:103:reconciliation",
      "order_pending_but_paid:102:reconciliation",
      "paid_without_order:101:reconciliation",
      "settlement_duplicate:101:settlement",
      "settlement_unknown_cip:999:settlement",
    ]);
    expect(fakes.lines.map((l) => l.status)).toEqual(["matched", "matched", "matched", "unknown", "matched", "duplicate"]);
    if (result.ok) expect(result.value.stats).toMatchObject({ payments: 5, paidPayments: 5, lines: 6, lineStatus: { matched: 4, unknown: 1, duplicate: 1, missing: 0 } });
  });

  it("expects the payout on the Peruvian calendar: paid Friday 25 July 2025, T+1 skips the Fiestas Patrias holidays", async () => {
    for (const [now, missing] of [
      ["2025-07-30T12:00:00", false],
      ["2025-07-31T00:30:00", true],
    ] as const) {
      const fakes = new Fakes();
      fakes.ledger = [payment("200")];
      await new RunReconciliation(fakes.deps(lima(now))).execute({ shopId: "shop_1", trigger: "schedule" });
      expect(kinds(fakes), now).toEqual(missing ? ["missing_from_settlement:200:settlement"] : []);
      if (missing) expect(fakes.stored[0]?.evidence).toMatchObject({ expectedPayoutDate: "2025-07-30T05:00:00.000Z" });
    }
  });

  it("counts a notified payment the app did not accept as paid for the lines, without ledger findings of its own", async () => {
    const fakes = new Fakes();
    // Notified with a wrong amount: flagged at receipt, never marked paid, the session later expired.
    fakes.ledger = [payment("300", { state: "expired", paidAtMs: null, paidAmountMinor: null, paidCurrency: null, paidVia: null, orderId: null })];
    fakes.notified.set("300", 1);
    fakes.lines = [line(2, "300", { amountMinor: 9_900, commissionMinor: 198 })];
    await new RunReconciliation(fakes.deps(lima("2025-08-10T12:00:00"))).execute({ shopId: "shop_1", trigger: "manual" });
    expect(kinds(fakes)).toEqual(["settlement_amount_mismatch:300:settlement"]);
  });

  it("writes only changed statuses: a second run over the same lines writes none", async () => {
    const fakes = new Fakes();
    fakes.ledger = Array.from({ length: 100 }, (_, i) => payment(String(1_000 + i)));
    fakes.lines = Array.from({ length: 100 }, (_, i) => line(i + 2, String(1_000 + i)));
    fakes.lines.push(line(102, "77"));
    await new RunReconciliation(fakes.deps(lima("2025-07-25T20:00:00"))).execute({ shopId: "shop_1", trigger: "manual" });
    expect(fakes.statusWrites).toHaveLength(1);
    expect(fakes.statusWrites[0]).toMatchObject({ range: { fromLine: 2, toLine: 102 }, majority: "matched" });
    expect(fakes.statusWrites[0]?.others.get("unknown")).toEqual([102]);
    fakes.statusWrites = [];
    await new RunReconciliation(fakes.deps(lima("2025-07-25T21:00:00"))).execute({ shopId: "shop_1", trigger: "manual" });
    expect(fakes.statusWrites).toEqual([]);
    // State exceptions still found are passed on, so the others can be resolved automatically.
    expect(fakes.autoResolveKeys).toEqual(new Set());
  });

  it("refuses to run while another instance holds the shop's lease", async () => {
    const fakes = new Fakes();
    fakes.leaseFree = false;
    const result = await new RunReconciliation(fakes.deps(new Date())).execute({ shopId: "shop_1", trigger: "manual" });
    expect(result.ok ? null : result.error.kind).toBe("busy");
    expect(fakes.runs).toHaveLength(0);
  });
});
