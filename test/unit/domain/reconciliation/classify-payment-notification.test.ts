import { describe, expect, it } from "vitest";

import {
  classifyPaymentNotification,
  type NotificationDecision,
  type NotificationSessionView,
  type PaidNotification,
} from "../../../../app/domain/reconciliation/classify-payment-notification";

const lima = (wall: string) => new Date(`${wall}-05:00`);

const session = (overrides: Partial<NotificationSessionView> = {}): NotificationSessionView => ({
  state: "pending",
  expectedAmountMinor: 2205,
  currency: "PEN",
  cipExpiresAt: lima("2025-07-16T10:00:00"),
  paidOperationNumber: null,
  ...overrides,
});

const notification = (overrides: Partial<PaidNotification> = {}): PaidNotification => ({
  operationNumber: "1253",
  amountMinor: 2205,
  currency: "PEN",
  paidAt: lima("2025-07-15T10:30:00"),
  ...overrides,
});

describe("classifyPaymentNotification", () => {
  it.each<[string, Partial<NotificationSessionView>, Partial<PaidNotification>, NotificationDecision]>([
    ["a pending session paid in time and in full", {}, {}, { action: "mark_paid" }],
    ["a session still being created", { state: "created" }, {}, { action: "mark_paid" }],
    ["paid at the very second of expiry", {}, { paidAt: lima("2025-07-16T10:00:00") }, { action: "mark_paid" }],
    ["a replay of the recorded operation", { state: "paid", paidOperationNumber: "1253" }, {}, { action: "noop_duplicate", reason: "same_operation" }],
    ["a replay after Shopify resolved", { state: "resolved", paidOperationNumber: "1253" }, {}, { action: "noop_duplicate", reason: "same_operation" }],
    [
      "a replay even with other amounts (the recorded operation wins)",
      { state: "paid", paidOperationNumber: "1253" },
      { amountMinor: 1 },
      { action: "noop_duplicate", reason: "same_operation" },
    ],
    [
      "the notification after polling already marked it paid",
      { state: "paid", paidOperationNumber: null },
      {},
      { action: "noop_duplicate", reason: "paid_without_operation_number" },
    ],
    ["a second operation on a paid session", { state: "paid", paidOperationNumber: "1253" }, { operationNumber: "1300" }, { action: "flag", kinds: ["paid_twice"], markPaid: false }],
    ["a second operation after resolve", { state: "resolved", paidOperationNumber: "1253" }, { operationNumber: "1300" }, { action: "flag", kinds: ["paid_twice"], markPaid: false }],
    ["paid less", {}, { amountMinor: 2200 }, { action: "flag", kinds: ["amount_mismatch"], markPaid: false }],
    ["paid more", {}, { amountMinor: 2300 }, { action: "flag", kinds: ["amount_mismatch"], markPaid: false }],
    ["paid in USD for a PEN session", {}, { currency: "USD" }, { action: "flag", kinds: ["currency_mismatch"], markPaid: false }],
    ["other currency and amount: the currency is the problem", {}, { currency: "USD", amountMinor: 600 }, { action: "flag", kinds: ["currency_mismatch"], markPaid: false }],
    [
      "paid after expiry while still pending: delivered, and flagged",
      {},
      { paidAt: lima("2025-07-16T10:00:01") },
      { action: "flag", kinds: ["paid_after_expiry"], markPaid: true },
    ],
    [
      "paid in time but the session was already rejected",
      { state: "rejected" },
      {},
      { action: "flag", kinds: ["paid_after_expiry"], markPaid: false },
    ],
    ["paid after expiry on an expired session", { state: "expired" }, { paidAt: lima("2025-07-17T09:00:00") }, { action: "flag", kinds: ["paid_after_expiry"], markPaid: false }],
    ["paid on a cancelled session", { state: "cancelled" }, {}, { action: "flag", kinds: ["paid_after_expiry"], markPaid: false }],
    [
      "late and short: never marked paid",
      {},
      { paidAt: lima("2025-07-17T09:00:00"), amountMinor: 100 },
      { action: "flag", kinds: ["amount_mismatch", "paid_after_expiry"], markPaid: false },
    ],
    [
      "a correct payment after an earlier flagged one that did not mark the session paid",
      { state: "pending", paidOperationNumber: null },
      { operationNumber: "1400" },
      { action: "mark_paid" },
    ],
  ])("%s", (_what, sessionOverrides, notificationOverrides, expected) => {
    expect(classifyPaymentNotification(session(sessionOverrides), notification(notificationOverrides))).toEqual(expected);
  });
});
