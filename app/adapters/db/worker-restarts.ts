/**
 * When a helper thread of the database adapter (the WAL checkpointer, the search indexer) ended without being asked,
 * it is started again after a pause; a thread that keeps dying is given up after a few tries in a row, so a fault that
 * kills it at start does not become a busy loop. A thread that reported ready resets the count.
 */
export class WorkerRestarts {
  private inARow = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly start: () => void,
    private readonly options: { readonly afterMs: number; readonly maxInARow: number } = { afterMs: 1_000, maxInARow: 5 },
  ) {}

  /** The thread is up: the next death starts the count again. */
  ready(): void {
    this.inARow = 0;
  }

  /** The thread ended unasked: its restart is scheduled (the n-th in a row), or null once it has died too often. */
  ended(): number | null {
    this.inARow += 1;
    if (this.inARow > this.options.maxInARow) return null;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.start();
    }, this.options.afterMs);
    // A pending restart must not keep a process alive that is otherwise done.
    this.timer.unref();
    return this.inARow;
  }

  /** Shutdown: no restart is pending any more. */
  cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
