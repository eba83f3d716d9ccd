import { randomUUID } from "node:crypto";

import { type EmulatorState, type StoredCip, type StoredDeliveryAttempt, type StoredPayment, type StoredService } from "./emulator-state";
import { EmulatorStateFile } from "./emulator-state-file";

export type NewCip = Omit<StoredCip, "cip" | "guid" | "deletedAt" | "payments" | "notifications">;

/**
 * The emulator's memory: services, CIPs, counters and deliveries. Every mutation is written to disk before the
 * returned promise resolves, so whatever a caller has answered over HTTP survives a restart.
 */
export class EmulatorStore {
  private readonly cipsByNumber = new Map<string, StoredCip>();
  private readonly cipsByGuid = new Map<string, StoredCip>();

  private constructor(
    private readonly state: EmulatorState,
    private readonly file: EmulatorStateFile,
  ) {
    for (const cip of state.cips) this.index(cip);
  }

  static async open(dataDir: string): Promise<EmulatorStore> {
    const { file, state } = await EmulatorStateFile.open(dataDir);
    const store = new EmulatorStore(state, file);
    await store.persist();
    return store;
  }

  get jwtKey(): Buffer {
    return Buffer.from(this.state.jwtKey, "base64");
  }

  get statePath(): string {
    return this.file.filePath;
  }

  listServices(): readonly StoredService[] {
    return [...this.state.services].sort((a, b) => a.idService - b.idService);
  }

  service(idService: number): StoredService | undefined {
    return this.state.services.find((s) => s.idService === idService);
  }

  serviceByAccessKey(accessKey: string): StoredService | undefined {
    return this.state.services.find((s) => s.accessKey === accessKey);
  }

  async upsertService(service: StoredService): Promise<void> {
    const i = this.state.services.findIndex((s) => s.idService === service.idService);
    if (i >= 0) this.state.services[i] = service;
    else this.state.services.push(service);
    await this.persist();
  }

  async createCip(input: NewCip): Promise<StoredCip> {
    const cip: StoredCip = {
      ...input,
      cip: String(this.state.nextCip++),
      guid: randomUUID().toUpperCase(),
      deletedAt: null,
      payments: [],
      notifications: [],
    };
    this.state.cips.push(cip);
    this.index(cip);
    await this.persist();
    return cip;
  }

  cip(cipNumber: string): StoredCip | undefined {
    return this.cipsByNumber.get(cipNumber);
  }

  cipByGuid(guid: string): StoredCip | undefined {
    return this.cipsByGuid.get(guid.toUpperCase());
  }

  /** Newest first; CIP numbers are sequential, so that is descending CIP number. */
  listCips(filter: { transactionCode?: string; idService?: number }): StoredCip[] {
    return this.state.cips
      .filter((c) => filter.transactionCode === undefined || c.transactionCode === filter.transactionCode)
      .filter((c) => filter.idService === undefined || c.idService === filter.idService)
      .sort((a, b) => Number(b.cip) - Number(a.cip));
  }

  async setExpiry(cip: StoredCip, dateExpiry: Date): Promise<void> {
    cip.dateExpiry = dateExpiry.toISOString();
    await this.persist();
  }

  async markDeleted(cip: StoredCip, at: Date): Promise<void> {
    cip.deletedAt = at.toISOString();
    await this.persist();
  }

  /** Operation numbers are unique across the emulator, like a bank's. */
  async recordPayment(cip: StoredCip, payment: (operationNumber: string) => StoredPayment): Promise<StoredPayment> {
    const recorded = payment(String(this.state.nextOperationNumber++));
    cip.payments.push(recorded);
    await this.persist();
    return recorded;
  }

  async recordDeliveryAttempt(cip: StoredCip, attempt: StoredDeliveryAttempt): Promise<void> {
    cip.notifications.push(attempt);
    await this.persist();
  }

  persist(): Promise<void> {
    return this.file.save(this.state);
  }

  flush(): Promise<void> {
    return this.file.flush();
  }

  private index(cip: StoredCip): void {
    this.cipsByNumber.set(cip.cip, cip);
    this.cipsByGuid.set(cip.guid.toUpperCase(), cip);
  }
}
