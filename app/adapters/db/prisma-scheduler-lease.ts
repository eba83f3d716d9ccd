import type { DatabaseEngine } from "../../config/env";
import type { LeaseProvider } from "../../ports/scheduler-lease";
import type { Db } from "./database";
import { isUniqueViolation } from "./prisma-errors";

/**
 * A named lease so that, with several instances, one runs a periodic task at a time. Measured on the
 * database's clock: PostgreSQL's now() (in UTC, as the columns hold UTC); on SQLite (one process, see
 * sqlite-instance-lock.ts) the process's real clock, which is the database's.
 */
export class PrismaSchedulerLease implements LeaseProvider {
  constructor(
    private readonly db: Db,
    private readonly engine: DatabaseEngine,
  ) {}

  async tryAcquire(name: string, holder: string, durationMs: number): Promise<boolean> {
    if (this.engine === "postgresql") {
      // One statement: insert, or take over a lease that is ours or has run out (the row stays locked meanwhile).
      const changed = await this.db.$executeRawUnsafe(
        `INSERT INTO "SchedulerLease" ("name", "holder", "leaseUntil")
         VALUES ($1, $2, (now() AT TIME ZONE 'UTC') + make_interval(secs => $3::double precision / 1000))
         ON CONFLICT ("name") DO UPDATE SET "holder" = EXCLUDED."holder", "leaseUntil" = EXCLUDED."leaseUntil"
         WHERE "SchedulerLease"."holder" = EXCLUDED."holder" OR "SchedulerLease"."leaseUntil" < (now() AT TIME ZONE 'UTC')`,
        name,
        holder,
        durationMs,
      );
      return changed === 1;
    }
    const now = new Date();
    const until = new Date(now.getTime() + durationMs);
    const { count } = await this.db.schedulerLease.updateMany({
      where: { name, OR: [{ holder }, { leaseUntil: { lt: now } }] },
      data: { holder, leaseUntil: until },
    });
    if (count === 1) return true;
    try {
      await this.db.schedulerLease.create({ data: { name, holder, leaseUntil: until } });
      return true;
    } catch (error) {
      if (isUniqueViolation(error)) return false;
      throw error;
    }
  }

  async release(name: string, holder: string): Promise<void> {
    await this.db.schedulerLease.deleteMany({ where: { name, holder } });
  }
}
