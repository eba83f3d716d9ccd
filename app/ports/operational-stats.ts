/**
 * What /metrics and /readyz read from the database, database-wide (all shops): counts for gauges, the
 * database's reachability and the migrations it has not applied. Observability depends on this port, not
 * on the Prisma client; the adapter is adapters/db/prisma-operational-stats.ts.
 */
export interface CountBy {
  readonly key: string;
  readonly count: number;
}

export interface OperationalStats {
  outboxJobsByKind(status: "pending" | "failed"): Promise<CountBy[]>;
  /** When the oldest outbox job still waiting was created; null when none waits. */
  oldestPendingOutboxJobAt(): Promise<Date | null>;
  notificationsByOutcome(): Promise<CountBy[]>;
  paymentSessionsByState(): Promise<CountBy[]>;
  openExceptionsByKind(): Promise<CountBy[]>;
}

export interface DatabaseHealth {
  /** "sqlite" or "postgresql", shown on /healthz and /readyz. */
  readonly engine: string;
  ping(): Promise<boolean>;
  /** Names of migrations the code ships that the database has not recorded as applied (empty: up to date). */
  pendingMigrations(): Promise<string[]>;
}
