import type { AdjustableClock } from "../lib/clock";
import type { Logger } from "../lib/logger";

const SYNC_EVERY_MS = 500;

/**
 * With the stand-ins in their own process (SANDBOX_URL), the app's clock and theirs are kept in step: whichever
 * moved further ahead wins, both ways, every half second (POST /sandbox/clock on the app or on the sandbox, any app
 * instance). Offsets only grow, so adopting the larger one is safe to repeat. Without this, two hours of advance
 * on the app left the emulator on real time, and every PagoEfectivo sign-in was refused for a stale dateRequest.
 */
export function keepClockInStep(clock: AdjustableClock, sandboxUrl: string, logger: Logger): { syncNow(): Promise<void>; stop(): void } {
  let warned = false;
  const syncNow = async (): Promise<void> => {
    try {
      const response = await fetch(`${sandboxUrl}/sandbox/clock`, { signal: AbortSignal.timeout(2_000) });
      const remote = ((await response.json()) as { offsetSeconds?: unknown }).offsetSeconds;
      if (typeof remote !== "number") return;
      if (remote > clock.offsetSeconds) clock.adoptOffset(remote);
      else if (remote < clock.offsetSeconds) {
        await fetch(`${sandboxUrl}/sandbox/clock`, {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ offsetSeconds: clock.offsetSeconds }),
          signal: AbortSignal.timeout(2_000),
        });
      }
      warned = false;
    } catch (error) {
      if (!warned) logger.warn({ err: error, sandboxUrl }, "sandbox clock: cannot reach the sandbox to keep clocks in step");
      warned = true;
    }
  };
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    void syncNow().finally(() => {
      running = false;
    });
  }, SYNC_EVERY_MS);
  timer.unref();
  return { syncNow, stop: () => clearInterval(timer) };
}
