import { describe, expect, it } from "vitest";

import { FaultQueue } from "../../../app/sandbox/shopify/faults";

describe("the simulator's fault queue", () => {
  it("gives a fault that names an operation only to a call with that root field", () => {
    const faults = new FaultQueue();
    faults.add({ kind: "throttled", api: "payments", count: 1, apply: false, operation: "paymentSessionPending" });
    expect(faults.take("payments", ["paymentsAppConfigure"])).toBeNull();
    expect(faults.take("admin", ["paymentSessionPending"])).toBeNull();
    expect(faults.take("payments", ["paymentSessionPending"])).toEqual({ kind: "throttled", apply: false });
    expect(faults.list()).toEqual([]);
  });

  it("gives a fault without an operation to the next call of its api, whichever it is", () => {
    const faults = new FaultQueue();
    faults.add({ kind: "error500", api: "payments", count: 1, apply: true });
    expect(faults.take("payments", ["paymentsAppConfigure"])).toEqual({ kind: "error500", apply: true });
    expect(faults.take("payments", ["paymentSessionPending"])).toBeNull();
  });
});
