/**
 * Runs tasks one at a time per shop, in the order they were queued: a shop's imports and reconciliation
 * runs never overlap in this instance (lines must not change under a run that pages through them), while
 * different shops proceed in parallel. Several instances are kept apart by the run lease.
 */
export class ShopWorkQueue {
  private readonly tails = new Map<string, Promise<void>>();
  private readonly pending = new Set<Promise<void>>();

  /** Queues the task; the promise settles with its result once it has run. */
  run<T>(shopId: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(shopId) ?? Promise.resolve();
    const result = previous.then(task, task);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(shopId, tail);
    this.pending.add(tail);
    void tail.finally(() => {
      this.pending.delete(tail);
      if (this.tails.get(shopId) === tail) this.tails.delete(shopId);
    });
    return result;
  }

  isBusy(shopId: string): boolean {
    return this.tails.has(shopId);
  }

  /** Waits until every queued task has settled. */
  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }
}
