import { type Clock } from "../../lib/clock";
import { type Logger } from "../../lib/logger";
import { type TlsBundle } from "../certificates";
import { type FaultQueue } from "./faults";
import { type OutboundAgents } from "./outbound-http";
import { type SimulatorStore } from "./simulator-store";
import { type SimulatorState } from "./simulator-types";

/** Everything the simulator's parts share, built once by createShopifySimulator. */
export interface SimulatorContext {
  store: SimulatorStore;
  state: SimulatorState;
  /** Business time: proposed_at, orders, pendingExpiresAt checks. Follows the sandbox clock. */
  clock: Clock;
  /** Wall time for what the app's libraries check against Date.now(): OAuth timestamps, token lifetimes. */
  wallClock: Clock;
  logger: Logger;
  publicUrl: () => string;
  clientIdentity: TlsBundle;
  agents: OutboundAgents;
  faults: FaultQueue;
  settings: {
    apiVersion: string;
    faultTimeoutMs: number;
    requestTimeoutMs: number;
  };
  /** Registers background work so whenIdle() can wait for it. */
  track<T>(work: Promise<T>): Promise<T>;
  /** In-memory log of recent GraphQL calls, including ones that matched no session. */
  callLog: GraphQLCallLogEntry[];
}

export interface GraphQLCallLogEntry {
  at: string;
  api: "payments" | "admin";
  shop: string;
  apiVersion: string;
  operation: string | null;
  rootFields: string[];
  status: number;
  outcome: string;
}

export const CALL_LOG_LIMIT = 500;

export function logCall(context: SimulatorContext, entry: GraphQLCallLogEntry): void {
  context.callLog.push(entry);
  if (context.callLog.length > CALL_LOG_LIMIT) context.callLog.splice(0, context.callLog.length - CALL_LOG_LIMIT);
}
