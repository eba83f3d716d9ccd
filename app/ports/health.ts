/** What /healthz reports: whether the database answers, and which engine it is. */
export interface DatabaseHealth {
  readonly engine: string;
  ping(): Promise<boolean>;
}
