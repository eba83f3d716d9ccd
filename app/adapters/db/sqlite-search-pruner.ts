import type { Logger } from "../../lib/logger";
import type { SqliteDriver } from "./sql/sql-driver";

/** Applied change records are deleted once this many are applied, at most PRUNE_CHUNK per group-commit unit. */
const PRUNE_EVERY = 1_000;
const PRUNE_CHUNK = 2_000;
const PRUNE_BACKLOG_PAUSE_MS = 50;

/**
 * Deletes the search index's applied change records ("PaymentSearchChange", see sqlite-search-index.ts) on the app's
 * writer: a range DELETE of at most PRUNE_CHUNK records by their integer key, as one group-commit unit (well under a
 * millisecond), so the payment sessions' commits never wait long behind it; a backlog (after a first build over many
 * payments) goes PRUNE_CHUNK at a time with a pause between. Records below the applied one are deleted, never the
 * applied one itself: the table keeps its maximum, and SQLite's next seq (max + 1) never goes back.
 */
export class SearchChangePruner {
  private latest = 0;
  private pruned = 0;
  private pruning = false;

  constructor(
    private readonly driver: SqliteDriver,
    private readonly logger: Logger,
  ) {}

  /** The worker has applied every record up to `seq` (durably, in the search file). */
  applied(seq: number): void {
    this.latest = Math.max(this.latest, seq);
    if (this.pruning || this.latest - this.pruned < PRUNE_EVERY) return;
    this.pruning = true;
    const upTo = Math.min(this.latest, this.pruned + PRUNE_CHUNK);
    const statement = this.driver.statement(`DELETE FROM "PaymentSearchChange" WHERE "seq" < ?`);
    this.driver
      .writeSync(() => statement.run(upTo))
      .then(
        () => {
          this.pruned = upTo;
        },
        (error: unknown) => this.logger.warn({ err: error }, "deleting applied search changes failed; tried again later"),
      )
      .finally(() => {
        this.pruning = false;
        if (this.latest - this.pruned >= PRUNE_EVERY) setTimeout(() => this.applied(this.latest), PRUNE_BACKLOG_PAUSE_MS).unref();
      });
  }
}
