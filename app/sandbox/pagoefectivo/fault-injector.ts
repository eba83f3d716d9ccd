import { randomUUID } from "node:crypto";

import { type NextFunction, type Request, type RequestHandler, type Response } from "express";

import { assertUnreachable } from "../../lib/assert-unreachable";
import { type Logger } from "../../lib/logger";
import { internalErrorBody } from "./v1-responses";

export const V1_ENDPOINTS = ["authorizations", "cips", "search", "patch", "delete"] as const;
export type V1Endpoint = (typeof V1_ENDPOINTS)[number];
/**
 * latency: answer late. error5xx: answer 5xx. timeout: hold the request without an answer until the client gives up.
 * reset: close the connection without an answer. drop_notification: swallow the next notification delivery.
 */
export const FAULT_KINDS = ["latency", "error5xx", "timeout", "reset", "drop_notification"] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface Fault {
  id: string;
  kind: FaultKind;
  /** How many more matching calls (or notification deliveries) it applies to. */
  remaining: number;
  latencyMs: number;
  status: number;
  paths: V1Endpoint[];
  /**
   * error5xx, timeout and reset: carry out the request first (the CIP is created, the token issued, the expiry
   * changed) and fail only its answer, the way a lost answer hides a change that did happen.
   */
  apply: boolean;
}

export interface NewFault {
  kind: FaultKind;
  count: number;
  latencyMs?: number;
  status?: number;
  paths?: V1Endpoint[];
  apply?: boolean;
}

const DEFAULT_LATENCY_MS = 2_000;
/** A held ("timeout") request is always answered in the end, so nothing leaks if a client never gives up. */
export const MAX_HOLD_MS = 60_000;

/**
 * Faults for the next N v1 calls or notification deliveries. Each call consumes at most one fault, the oldest
 * one that matches, so a test that queues several knows which call gets which.
 */
export class FaultInjector {
  private faults: Fault[] = [];
  private readonly waits = new Set<{ timer: NodeJS.Timeout; finish: () => void }>();
  private closed = false;

  constructor(
    private readonly logger: Logger,
    private readonly maxHoldMs: number = MAX_HOLD_MS,
  ) {}

  add(input: NewFault): Fault {
    const fault: Fault = {
      id: randomUUID(),
      kind: input.kind,
      remaining: input.count,
      latencyMs: input.latencyMs ?? DEFAULT_LATENCY_MS,
      status: input.status ?? 500,
      paths: input.paths && input.paths.length > 0 ? [...input.paths] : [...V1_ENDPOINTS],
      apply: (input.apply ?? false) && (input.kind === "error5xx" || input.kind === "timeout" || input.kind === "reset"),
    };
    this.faults.push(fault);
    this.logger.info({ fault }, "pagoefectivo emulator: fault queued");
    return fault;
  }

  list(): Fault[] {
    return this.faults.map((f) => ({ ...f, paths: [...f.paths] }));
  }

  /** Whether a call to this endpoint would take a fault now (the sandbox's fast path leaves such calls to Express). */
  hasFaultFor(endpoint: V1Endpoint): boolean {
    return this.faults.some((f) => f.remaining > 0 && f.kind !== "drop_notification" && f.paths.includes(endpoint));
  }

  clear(): void {
    this.faults = [];
  }

  /** True when a drop_notification fault swallows this delivery. */
  takeNotificationDrop(): boolean {
    return this.take((f) => f.kind === "drop_notification") !== null;
  }

  /** Express middleware applying the next matching fault, if any, to a v1 endpoint. */
  forEndpoint(endpoint: V1Endpoint): RequestHandler {
    return async (_req: Request, res: Response, next: NextFunction) => {
      const fault = this.take((f) => f.kind !== "drop_notification" && f.paths.includes(endpoint));
      if (!fault) return next();
      this.logger.info({ endpoint, kind: fault.kind, apply: fault.apply }, "pagoefectivo emulator: injecting fault");
      if (fault.kind === "latency") {
        await this.wait(fault.latencyMs);
        return next();
      }
      if (fault.kind === "drop_notification") return next();
      const fail = (): Promise<void> => this.failAnswer(fault, res);
      if (!fault.apply) return fail();
      // The handler runs; its answer is replaced by the failure.
      const answer = res.json.bind(res);
      res.json = () => {
        res.json = answer;
        void fail();
        return res;
      };
      return next();
    };
  }

  private async failAnswer(fault: Fault, res: Response): Promise<void> {
    switch (fault.kind) {
      case "error5xx":
        res.status(fault.status).json(internalErrorBody());
        return;
      case "timeout":
        await this.hold(res);
        if (!res.headersSent && !res.destroyed) res.status(504).json(internalErrorBody());
        return;
      case "reset":
        res.socket?.destroy();
        return;
      case "latency":
      case "drop_notification":
        return;
      default:
        assertUnreachable(fault.kind);
    }
  }

  /** Releases held requests and sleeping calls at once. */
  close(): void {
    this.closed = true;
    for (const w of [...this.waits]) {
      clearTimeout(w.timer);
      w.finish();
    }
  }

  private take(matches: (f: Fault) => boolean): Fault | null {
    const fault = this.faults.find((f) => f.remaining > 0 && matches(f));
    if (!fault) return null;
    fault.remaining -= 1;
    this.faults = this.faults.filter((f) => f.remaining > 0);
    return fault;
  }

  /** Holds the request without answering until the client gives up, the cap passes or the emulator closes. */
  private hold(res: Response): Promise<void> {
    const { promise, finish } = this.sleep(this.maxHoldMs);
    res.once("close", finish);
    return promise;
  }

  private wait(ms: number): Promise<void> {
    return this.sleep(ms).promise;
  }

  private sleep(ms: number): { promise: Promise<void>; finish: () => void } {
    let finish: () => void = () => undefined;
    const promise = new Promise<void>((resolve) => {
      if (this.closed) return resolve();
      const entry = {
        timer: setTimeout(() => entry.finish(), ms),
        finish: () => {
          clearTimeout(entry.timer);
          this.waits.delete(entry);
          resolve();
        },
      };
      this.waits.add(entry);
      finish = entry.finish;
    });
    return { promise, finish };
  }
}
