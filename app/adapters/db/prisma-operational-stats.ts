import type { CountBy, DatabaseHealth, OperationalStats } from "../../ports/operational-stats";
import type { Database } from "./database";
import { readMigrations } from "./migrator";

/** The database-wide counts behind the /metrics gauges. */
export class PrismaOperationalStats implements OperationalStats {
  constructor(private readonly db: Database) {}

  async outboxJobsByKind(status: "pending" | "failed"): Promise<CountBy[]> {
    const rows = await this.db.prisma.outboxJob.groupBy({ by: ["kind"], where: { status }, _count: { _all: true } });
    return rows.map((row) => ({ key: row.kind, count: row._count._all }));
  }

  async oldestPendingOutboxJobAt(): Promise<Date | null> {
    const oldest = await this.db.prisma.outboxJob.findFirst({ where: { status: "pending" }, orderBy: { createdAt: "asc" }, select: { createdAt: true } });
    return oldest ? new Date(oldest.createdAt) : null;
  }

  async notificationsByOutcome(): Promise<CountBy[]> {
    const rows = await this.db.prisma.pagoEfectivoNotification.groupBy({ by: ["outcome"], _count: { _all: true } });
    return rows.map((row) => ({ key: row.outcome, count: row._count._all }));
  }

  async paymentSessionsByState(): Promise<CountBy[]> {
    const rows = await this.db.prisma.paymentSession.groupBy({ by: ["state"], _count: { _all: true } });
    return rows.map((row) => ({ key: row.state, count: row._count._all }));
  }

  async openExceptionsByKind(): Promise<CountBy[]> {
    const rows = await this.db.prisma.reconciliationException.groupBy({ by: ["kind"], where: { status: "open" }, _count: { _all: true } });
    return rows.map((row) => ({ key: row.kind, count: row._count._all }));
  }
}

/**
 * For /readyz: the database's reachability and the migrations this code ships that it has not recorded as
 * applied. Once it has seen none missing it stops asking (an applied migration does not come undone).
 */
export function databaseHealth(db: Database): DatabaseHealth {
  const expected = readMigrations(db.engine).map((m) => m.name);
  let upToDate = false;
  return {
    engine: db.engine,
    ping: () => db.ping(),
    async pendingMigrations() {
      if (upToDate) return [];
      const rows = await db.prisma.$queryRawUnsafe<Array<{ migration_name: string }>>(
        `SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
      );
      const applied = new Set(rows.map((r) => r.migration_name));
      const missing = expected.filter((name) => !applied.has(name));
      upToDate = missing.length === 0;
      return missing;
    },
  };
}
