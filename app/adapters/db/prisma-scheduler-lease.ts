import type { Db } from "./database";
import { isUniqueViolation } from "./prisma-errors";

/** A named lease so that, with several instances, one runs a periodic task at a time. */
export class PrismaSchedulerLease {
  constructor(private readonly db: Db) {}

  async tryAcquire(name: string, holder: string, now: Date, until: Date): Promise<boolean> {
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
