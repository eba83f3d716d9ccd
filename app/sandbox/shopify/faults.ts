/** Fault injection for the Shopify-facing GraphQL endpoints: the next N calls fail in a chosen way. */

export type FaultKind = "error500" | "timeout" | "throttled";
export type FaultApi = "payments" | "admin" | "any";

export interface FaultSpec {
  kind: FaultKind;
  count: number;
  api: FaultApi;
  /**
   * error500 and timeout only: apply the mutation before failing the response, the way a real
   * timeout can hide a change that did happen. The app's retry must then be idempotent.
   */
  apply: boolean;
  /**
   * Only calls whose root fields include this one (e.g. `paymentSessionPending`); any call of `api` when absent.
   * A test then fails exactly the call it means, whatever else the app sends at the same time.
   */
  operation?: string;
}

export interface ActiveFault {
  kind: FaultKind;
  apply: boolean;
}

export class FaultQueue {
  private entries: FaultSpec[] = [];

  add(spec: FaultSpec): void {
    if (spec.count > 0) this.entries.push({ ...spec });
  }

  /** Consumes one fault for this API (and these root fields, when the fault names an operation), oldest first. */
  take(api: "payments" | "admin", rootFields: readonly string[] = []): ActiveFault | null {
    const index = this.entries.findIndex(
      (entry) => (entry.api === "any" || entry.api === api) && (entry.operation === undefined || rootFields.includes(entry.operation)),
    );
    if (index < 0) return null;
    const entry = this.entries[index] as FaultSpec;
    entry.count -= 1;
    if (entry.count <= 0) this.entries.splice(index, 1);
    return { kind: entry.kind, apply: entry.apply && entry.kind !== "throttled" };
  }

  list(): FaultSpec[] {
    return this.entries.map((entry) => ({ ...entry }));
  }

  clear(): void {
    this.entries = [];
  }
}
