import { describe, expect, it } from "vitest";

import type { SqlUnit } from "../../../../app/adapters/db/sql/sql-driver";
import { changeUpdate, insertSession } from "../../../../app/adapters/db/sql/sql-writes";
import type { NewPaymentSession, PaymentChange } from "../../../../app/ports/payment-store";

/** The statements a write unit asks for, answered with no rows (enough to see its SQL). */
function statementsOf(unit: SqlUnit<unknown>): { sql: string; params: unknown[] }[] {
  const seen: { sql: string; params: unknown[] }[] = [];
  let step = unit.next();
  while (!step.done) {
    const op = step.value as { sql: string; params: unknown[]; kind: string };
    seen.push({ sql: op.sql, params: op.params });
    step = unit.next(op.kind === "all" ? [] : 0);
  }
  return seen;
}

const at = new Date("2026-12-05T01:00:00.000Z");
const session = (over: Partial<NewPaymentSession> = {}): NewPaymentSession => ({
  id: "ps-1",
  gid: "gid://shopify/PaymentSession/ps-1",
  shopId: "shop-1",
  groupId: null,
  checkoutSessionId: null,
  amountMinor: 15000,
  currency: "PEN",
  test: true,
  kind: "sale",
  merchantLocale: null,
  buyerLocale: "es",
  email: null,
  phone: "987654321",
  phoneCountryCode: "+51",
  givenName: null,
  familyName: null,
  cancelUrl: null,
  proposedAt: at,
  requestId: "req-1",
  apiVersion: "2026-10",
  requestBody: "{}",
  state: "awaiting_phone",
  rejectionReason: null,
  buyerToken: "tok",
  environment: "sandbox",
  createdAt: at,
  ...over,
});

describe("write units' SQL text, reused by shape", () => {
  it("a change's UPDATE differs exactly where its shape differs, and repeats identically otherwise", () => {
    const issued: PaymentChange = { sessionId: "ps-1", move: "cip_issued", expectNoCip: true, set: { cip: "123", cipUrl: "https://x/1", issuingUntil: null, updatedAt: at } };
    const a = changeUpdate(issued, at).update;
    const b = changeUpdate({ ...issued, sessionId: "ps-2", set: { ...issued.set, cip: "456" } }, at).update;
    expect(b.sql).toBe(a.sql);
    expect(a.params).toContain("123");
    expect(b.params).toContain("456");
    expect(b.params).toContain("ps-2");
    expect(a.sql).toContain('AND "cip" IS NULL');

    const withoutGuard = changeUpdate({ ...issued, expectNoCip: false }, at).update;
    expect(withoutGuard.sql).not.toContain('"cip" IS NULL');
    const fewer = changeUpdate({ ...issued, set: { cip: "123", updatedAt: at } }, at).update;
    expect(fewer.sql).not.toContain('"cipUrl" = ?');
    const guarded = changeUpdate(issued, at, ' AND EXISTS (SELECT 1 FROM "evidence")').update;
    expect(guarded.sql).toContain('EXISTS (SELECT 1 FROM "evidence")');
    expect(changeUpdate(issued, at).update.sql).not.toContain("EXISTS");
  });

  it("a key that is not a column is refused every time, not only the first", () => {
    const bad = { sessionId: "ps-1", move: "cip_issued", set: { "nope; DROP": 1, updatedAt: at } } as unknown as PaymentChange;
    expect(() => changeUpdate(bad, at)).toThrow(/Not a PaymentSession column/);
    expect(() => changeUpdate(bad, at)).toThrow(/Not a PaymentSession column/);
  });

  it("a session's INSERT names the columns it was given, with and without the lease", () => {
    const [plain] = statementsOf(insertSession(session(), []));
    const [leased] = statementsOf(insertSession(session(), [], { engine: "sqlite", ms: 1000 }));
    const [withEmail] = statementsOf(insertSession(session({ email: "a@b.pe" }), []));
    const inserted = (sql = "") => sql.slice(0, sql.indexOf(" RETURNING "));
    expect(inserted(plain?.sql)).not.toContain('"issuingUntil"');
    expect(inserted(leased?.sql)).toContain('"issuingUntil"');
    expect(leased?.params).toHaveLength((plain?.params.length ?? 0) + 1);
    expect(withEmail?.sql).toBe(plain?.sql);
    expect(withEmail?.params).toContain("a@b.pe");
    const [again] = statementsOf(insertSession(session({ id: "ps-9" }), []));
    expect(again?.sql).toBe(plain?.sql);
    expect(again?.params).toContain("ps-9");
  });
});
