import { randomUUID } from "node:crypto";

import { type Clock } from "../../lib/clock";
import { type Logger } from "../../lib/logger";
import { type StoredCip, type StoredPayment } from "./emulator-state";
import { type EmulatorStore } from "./emulator-store";
import { type FaultInjector } from "./fault-injector";
import { signNotificationBody } from "./notification-body";

export interface NotificationSenderOptions {
  store: EmulatorStore;
  faults: FaultInjector;
  clock: Clock;
  logger: Logger;
  fetch: typeof fetch;
  timeoutMs: number;
  retryDelayMs: number;
}

/**
 * Delivers cip.paid notifications the way PagoEfectivo does: POST to the service's notification URL, success
 * only on HTTP 200, and on anything else exactly one more attempt after a short delay. Every attempt is recorded
 * on the CIP. The first attempt of each delivery is awaited by the caller; the retry runs in the background and
 * is tracked so whenIdle() can wait for it.
 */
export class NotificationSender {
  private readonly background = new Set<Promise<void>>();
  private readonly retryTimers = new Map<NodeJS.Timeout, () => void>();
  private readonly shutdown = new AbortController();

  constructor(private readonly o: NotificationSenderOptions) {}

  /** Sends `copies` identical deliveries of the payment's notification, one after the other. */
  async deliver(cip: StoredCip, payment: StoredPayment, copies: number): Promise<void> {
    for (let i = 0; i < copies; i++) await this.deliverOnce(cip, payment);
  }

  async whenIdle(): Promise<void> {
    while (this.background.size > 0) await Promise.allSettled([...this.background]);
  }

  /** Cancels pending retries (recording them) and aborts requests in flight. */
  async close(): Promise<void> {
    this.shutdown.abort();
    for (const [timer, cancel] of this.retryTimers) {
      clearTimeout(timer);
      cancel();
    }
    this.retryTimers.clear();
    await this.whenIdle();
  }

  private async deliverOnce(cip: StoredCip, payment: StoredPayment): Promise<void> {
    const deliveryId = randomUUID();
    const url = this.o.store.service(cip.idService)?.notificationUrl ?? null;
    const record = (attempt: number, httpStatus: number | null, error?: string) =>
      this.o.store.recordDeliveryAttempt(cip.cip, {
        deliveryId,
        operationNumber: payment.operationNumber,
        url,
        at: this.o.clock.now().toISOString(),
        attempt,
        httpStatus,
        ...(error === undefined ? {} : { error }),
      });

    if (this.o.faults.takeNotificationDrop()) {
      this.o.logger.info({ cip: cip.cip }, "pagoefectivo emulator: notification dropped by fault injection");
      await record(1, null, "dropped (drop_notification fault)");
      return;
    }
    if (url === null) {
      await record(1, null, `no notification URL registered for service ${cip.idService}`);
      return;
    }
    const delivered = await this.track(this.attempt(cip, payment, url, 1, record));
    if (delivered || this.shutdown.signal.aborted) return;

    const retry = new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.retryTimers.delete(timer);
        void this.attempt(cip, payment, url, 2, record).then(() => resolve());
      }, this.o.retryDelayMs);
      this.retryTimers.set(timer, () => {
        void record(2, null, "retry cancelled: emulator closed").then(() => resolve());
      });
    });
    void this.track(retry);
  }

  private track<T>(work: Promise<T>): Promise<T> {
    const settled = work.then(
      () => undefined,
      () => undefined,
    );
    this.background.add(settled);
    void settled.then(() => this.background.delete(settled));
    return work;
  }

  private async attempt(
    cip: StoredCip,
    payment: StoredPayment,
    url: string,
    attempt: number,
    record: (attempt: number, httpStatus: number | null, error?: string) => Promise<void>,
  ): Promise<boolean> {
    // Signed at send time with the current secret, so a key rotated in the sandbox takes effect on re-sends.
    const secretKey = this.o.store.service(cip.idService)?.secretKey ?? "";
    const body = payment.notificationBody;
    const timeout = AbortSignal.timeout(this.o.timeoutMs);
    try {
      const res = await this.o.fetch(url, {
        method: "POST",
        headers: { "Content-Type": "application/json", "PE-Signature": signNotificationBody(body, secretKey) },
        body,
        signal: AbortSignal.any([timeout, this.shutdown.signal]),
      });
      await res.arrayBuffer().catch(() => undefined);
      await record(attempt, res.status, res.status === 200 ? undefined : `receiver answered HTTP ${res.status}`);
      this.o.logger.info({ cip: cip.cip, attempt, httpStatus: res.status }, "pagoefectivo emulator: notification sent");
      return res.status === 200;
    } catch (e) {
      const error = timeout.aborted
        ? `timeout after ${this.o.timeoutMs} ms`
        : this.shutdown.signal.aborted
          ? "aborted: emulator closed"
          : describeNetworkError(e);
      await record(attempt, null, error);
      this.o.logger.warn({ cip: cip.cip, attempt, error }, "pagoefectivo emulator: notification failed");
      return false;
    }
  }
}

function describeNetworkError(e: unknown): string {
  if (e instanceof Error) {
    const cause = (e as Error & { cause?: unknown }).cause;
    const code = cause && typeof cause === "object" && "code" in cause ? String((cause as { code: unknown }).code) : null;
    return code ? `${e.message} (${code})` : e.message;
  }
  return String(e);
}
