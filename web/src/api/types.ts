/**
 * The admin JSON API's shapes, as the wire contract (app/contracts/admin-api) defines them: the panel
 * names what it uses, the contract is the one source. Amounts are integer minor units.
 */
import type {
  ConnectionTestAnswer,
  CredentialAnswer,
  CredentialsRequest,
  PaymentDetailAnswer,
  PaymentListAnswer,
  PaymentRowAnswer,
  PaymentState,
  RecordRefundRequest,
  RefundAnswer,
  RefundListAnswer,
  SessionAnswer,
  SettingsAnswer,
  SettingsUpdateRequest,
  SetupAnswer,
  TimelineEntryAnswer,
  TodaySummaryAnswer,
} from "../../../app/contracts/admin-api";

export type { PaymentState, RefundMethod, RefundState } from "../../../app/contracts/admin-api";
export { PAYMENT_STATES, REFUND_METHODS, REFUND_STATES } from "../../../app/contracts/admin-api";

export type Currency = "PEN" | "USD";
export type Locale = "es" | "en";
export type Environment = "sandbox" | "production";
export type AppMode = "sandbox" | "production";

export type SessionInfo = SessionAnswer;
export type SetupInfo = SetupAnswer;
export type SetupSteps = SetupAnswer["steps"];
export type TodaySummary = TodaySummaryAnswer;
export type Credential = CredentialAnswer;
export type Settings = SettingsAnswer;
export type SettingsUpdate = SettingsUpdateRequest;
export type CredentialsUpdate = CredentialsRequest;
export type ConnectionTest = ConnectionTestAnswer;
export type PaymentRow = PaymentRowAnswer;
export type PaymentList = PaymentListAnswer;
export type PaymentDetail = PaymentDetailAnswer;
export type TimelineEntry = TimelineEntryAnswer;
export type RefundRow = RefundAnswer;
export type RefundList = RefundListAnswer;
export type RecordRefundInput = RecordRefundRequest;

export type PaymentSort = "createdAt" | "amount" | "state";
export type SortDirection = "asc" | "desc";

export interface PaymentQuery {
  state: PaymentState[];
  from: string | null;
  to: string | null;
  currency: Currency | null;
  test: boolean | null;
  q: string;
  sort: PaymentSort;
  direction: SortDirection;
  page: number;
  pageSize: number;
}
