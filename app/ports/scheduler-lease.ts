/**
 * A named lease (one holder at a time, for a periodic task or a shop's reconciliation run). Its length is
 * measured on the database's clock, never on an instance's: instances may disagree about the time, and the
 * sandbox clock can jump ahead.
 */
export interface LeaseProvider {
  /** Takes or renews the lease for `durationMs` if it is free, ours, or has run out. */
  tryAcquire(name: string, holder: string, durationMs: number): Promise<boolean>;
  release(name: string, holder: string): Promise<void>;
}
