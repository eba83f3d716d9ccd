import { type Clock } from "../../lib/clock";
import { type Logger } from "../../lib/logger";
import { type TokenVerifier } from "./emulator-jwt";
import { type EmulatorStore } from "./emulator-store";
import { type FaultInjector } from "./fault-injector";
import { type NotificationSender } from "./notification-sender";

/** What the emulator's routers share. */
export interface EmulatorContext {
  store: EmulatorStore;
  /** Checks v1 bearer tokens against the store's signing key, remembering the ones already verified. */
  tokens: TokenVerifier;
  faults: FaultInjector;
  notifier: NotificationSender;
  clock: Clock;
  logger: Logger;
  /** Base URL where the router is mounted, read per request because the port may be known only after listen. */
  publicUrl: () => string;
}

/** Access tokens last 2 h (DOC §5.1.1). */
export const TOKEN_LIFETIME_MS = 2 * 60 * 60 * 1000;

export function voucherUrl(publicUrl: string, guid: string): string {
  return `${publicUrl.replace(/\/+$/, "")}/voucher/${guid}.html`;
}
