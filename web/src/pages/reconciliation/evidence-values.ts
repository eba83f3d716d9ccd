import type { Currency } from "../../api/types";
import type { DateFormat } from "../../format/dates";
import { formatMoney } from "../../format/money";
import type { Messages } from "../../i18n/es";

/**
 * An exception's evidence (plain JSON from the server) as label/value text: amounts in minor units shown
 * as money in their currency, instants in the shop's time zone, known codes in the panel's language, the
 * rest as it came. Keys the panel does not know are shown too ("someField" → "Some field").
 */

export interface EvidenceFact {
  key: string;
  label: string;
  text: string;
  /** The value is a payment session id: the page links it. */
  paymentId?: string;
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;
const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;
/** Where an amount's currency is when several are present: "paidAmountMinor" → "paidCurrency", and so on. */
const CURRENCY_KEYS = ["currency", "paidCurrency", "expectedCurrency", "ledgerCurrency", "settledCurrency", "lineCurrency"];

function isCurrency(value: unknown): value is Currency {
  return value === "PEN" || value === "USD";
}

/** The currency of an amount field: its own ("expectedAmountMinor" → "expectedCurrency"), else the evidence's. */
function currencyFor(key: string, evidence: Record<string, unknown>): Currency | null {
  const prefix = key.replace(/(Amount)?Minor$/, "");
  const own = evidence[`${prefix}Currency`];
  if (isCurrency(own)) return own;
  for (const candidate of CURRENCY_KEYS) {
    const value = evidence[candidate];
    if (isCurrency(value)) return value;
  }
  return null;
}

export function humanizeKey(key: string): string {
  const words = key
    .replace(/Minor$/, "")
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/[_-]+/g, " ")
    .trim()
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export function evidenceFacts(evidence: Record<string, unknown>, t: Messages, dates: DateFormat): EvidenceFact[] {
  const r = t.reconciliation;
  const facts: EvidenceFact[] = [];
  for (const [key, value] of Object.entries(evidence)) {
    if (value === undefined) continue;
    const label = r.evidenceKeys[key] ?? humanizeKey(key);
    let text: string;
    if (value === null) {
      text = t.common.none;
    } else if (typeof value === "number" && key.endsWith("Minor") && Number.isSafeInteger(value)) {
      const currency = currencyFor(key, evidence);
      text = currency ? formatMoney(value, currency) : String(value);
    } else if (typeof value === "string" && ISO_INSTANT.test(value)) {
      text = dates.dateTime(value);
    } else if (typeof value === "string" && ISO_DAY.test(value)) {
      text = dates.calendarDate(value);
    } else if (typeof value === "string" && key === "orderFinancialStatus") {
      // Shopify's OrderDisplayFinancialStatus as heard when the exception was found ("PENDING").
      text = t.financialStatuses[value.toLowerCase()] ?? value;
    } else if (typeof value === "string") {
      text = r.evidenceValues[value] ?? t.paymentStates[value as keyof typeof t.paymentStates] ?? value;
    } else if (typeof value === "boolean") {
      text = value ? r.yes : r.no;
    } else if (Array.isArray(value) && value.every((item) => typeof item !== "object" || item === null)) {
      text = value.map(String).join(", ");
    } else if (typeof value === "object") {
      text = JSON.stringify(value, null, 2);
    } else {
      text = String(value);
    }
    const fact: EvidenceFact = { key, label, text };
    if ((key === "sessionId" || key === "paymentSessionId") && typeof value === "string" && value) fact.paymentId = value;
    facts.push(fact);
  }
  return facts;
}

/** The amount an exception is about, for the list: what was expected, else what was paid or settled. */
export function exceptionAmount(evidence: Record<string, unknown>): string | null {
  for (const key of ["expectedAmountMinor", "amountMinor", "paidAmountMinor", "ledgerAmountMinor", "settledAmountMinor"]) {
    const value = evidence[key];
    if (typeof value !== "number" || !Number.isSafeInteger(value)) continue;
    const currency = currencyFor(key, evidence);
    if (currency) return formatMoney(value, currency);
  }
  return null;
}
