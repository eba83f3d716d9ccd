import { type z } from "zod";

import * as deadLetters from "./dead-letters";
import * as insights from "./insights";
import * as payments from "./payments";
import * as reconciliation from "./reconciliation";
import * as refunds from "./refunds";
import * as reports from "./reports";
import * as session from "./session";
import * as settings from "./settings";
import * as settlements from "./settlements";

/**
 * Every JSON endpoint of /api with the answer it sends on success. Tests check each answer against it
 * (test/helpers/admin-contract.ts); CSV and file downloads are not JSON and are not listed.
 */
export interface Endpoint {
  method: "GET" | "POST" | "PUT" | "DELETE";
  /** Express-style path under /api, ":name" for a segment. */
  path: string;
  answer: z.ZodType | null;
}

const endpoint = (method: Endpoint["method"], path: string, answer: z.ZodType | null): Endpoint => ({ method, path, answer });

export const ADMIN_API_ENDPOINTS: readonly Endpoint[] = [
  endpoint("GET", "/session", session.sessionAnswer),
  endpoint("GET", "/setup", session.setupAnswer),
  endpoint("GET", "/summary/today", session.todaySummaryAnswer),

  endpoint("GET", "/settings", settings.settingsAnswer),
  endpoint("PUT", "/settings", settings.settingsAnswer),
  endpoint("PUT", "/credentials/:environment", settings.settingsAnswer),
  endpoint("POST", "/credentials/:environment/test", settings.connectionTestAnswer),
  endpoint("POST", "/notification-url/confirm", settings.settingsAnswer),
  endpoint("POST", "/activate", settings.settingsAnswer),
  endpoint("POST", "/deactivate", settings.settingsAnswer),

  endpoint("GET", "/payments", payments.paymentListAnswer),
  endpoint("GET", "/payments/:id", payments.paymentDetailAnswer),
  endpoint("PUT", "/payments/:id/order", payments.orderLinkAnswer),
  endpoint("DELETE", "/payments/:id/order", payments.orderLinkAnswer),
  endpoint("GET", "/refunds", refunds.refundListAnswer),
  endpoint("POST", "/refunds/:id/record", refunds.refundAnswer),
  endpoint("POST", "/refunds/:id/reject", refunds.refundAnswer),

  endpoint("POST", "/reconciliation/runs", reconciliation.startRunAnswer),
  endpoint("GET", "/reconciliation/runs", reconciliation.runListAnswer),
  endpoint("GET", "/reconciliation/runs/:id", reconciliation.runAnswer),
  endpoint("GET", "/reconciliation/summary", reconciliation.reconciliationSummaryAnswer),
  endpoint("GET", "/reconciliation/exceptions", reconciliation.exceptionListAnswer),
  endpoint("GET", "/reconciliation/exceptions/:id", reconciliation.exceptionAnswer),
  endpoint("POST", "/reconciliation/exceptions/:id/resolve", reconciliation.exceptionAnswer),

  endpoint("GET", "/settlements/mapping", settlements.mappingAnswer),
  endpoint("PUT", "/settlements/mapping", settlements.mappingAnswer),
  endpoint("POST", "/settlements/preview", settlements.previewAnswer),
  endpoint("POST", "/settlements/imports", settlements.startedImportAnswer),
  endpoint("GET", "/settlements/imports", settlements.importListAnswer),
  endpoint("GET", "/settlements/imports/:id", settlements.importAnswer),
  endpoint("GET", "/settlements/fee-schedule", settlements.feeScheduleAnswer),
  endpoint("POST", "/settlements/fee-schedule", settlements.feeEntryAnswer),
  endpoint("PUT", "/settlements/fee-schedule/:id", settlements.feeEntryAnswer),
  endpoint("DELETE", "/settlements/fee-schedule/:id", null),
  endpoint("GET", "/settlements/payout-cycle", settlements.payoutCycleAnswer),
  endpoint("PUT", "/settlements/payout-cycle", settlements.payoutCycleAnswer),
  endpoint("POST", "/settlements/sample/setup", settlements.sampleSetupAnswer),

  endpoint("GET", "/reports/settlements", reports.settlementReportAnswer),
  endpoint("GET", "/reports/upcoming-payouts", reports.upcomingPayoutsAnswer),
  endpoint("GET", "/reports/payment-insights", insights.paymentInsightsAnswer),

  endpoint("GET", "/dead-letters", deadLetters.deadLetterListAnswer),
  endpoint("POST", "/dead-letters/:id/resend", deadLetters.resentDeadLetterAnswer),
];

/** The endpoint a request went to; literal segments win over ":name" ones (exports, /imports vs /imports/:id). */
export function findEndpoint(method: string, apiPath: string): Endpoint | null {
  const segments = apiPath.split("?")[0]!.split("/").filter(Boolean);
  let best: { endpoint: Endpoint; literals: number } | null = null;
  for (const candidate of ADMIN_API_ENDPOINTS) {
    if (candidate.method !== method) continue;
    const pattern = candidate.path.split("/").filter(Boolean);
    if (pattern.length !== segments.length) continue;
    let literals = 0;
    const matches = pattern.every((part, index) => {
      if (part.startsWith(":")) return true;
      literals += 1;
      return part === segments[index];
    });
    if (matches && (!best || literals > best.literals)) best = { endpoint: candidate, literals };
  }
  return best?.endpoint ?? null;
}
