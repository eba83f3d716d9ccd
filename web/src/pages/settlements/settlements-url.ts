import { paths } from "../../router/routes";

export const SETTLEMENT_TABS = ["report", "insights", "import", "fees"] as const;
export type SettlementTab = (typeof SETTLEMENT_TABS)[number];

/** /admin/settlements?tab=…: the report is the default tab and keeps its filters in the address. */
export function settlementsUrl(tab: SettlementTab, params: Record<string, string> = {}): string {
  const search = new URLSearchParams(tab === "report" ? params : { tab, ...params }).toString();
  return `${paths.settlements}${search ? `?${search}` : ""}`;
}
