import { randomBytes, randomUUID } from "node:crypto";
import { closeSync, mkdirSync, openSync } from "node:fs";
import path from "node:path";

import Database from "better-sqlite3";

import { GroupCommit } from "./emulator-group-commit";
import { importLegacyStateFile } from "./emulator-legacy-state";
import {
  FIRST_CIP,
  FIRST_OPERATION_NUMBER,
  type StoredCip,
  type StoredDeliveryAttempt,
  type StoredPayment,
  type StoredService,
} from "./emulator-state";
import { type CipRow, type DeliveryRow, type PaymentRow, SCHEMA, type ServiceRow, toService } from "./emulator-store-schema";

export type NewCip = Omit<StoredCip, "cip" | "guid" | "deletedAt" | "payments" | "notifications">;

/**
 * The emulator's memory in SQLite (`DATA_DIR/sandbox/pagoefectivo.sqlite`): services, CIPs, payments and
 * delivery attempts, one row per thing. Every change is one small write committed before the method returns,
 * so whatever the emulator has answered over HTTP survives a restart, and the cost of a change does not grow
 * with the number of CIPs (the JSON file it replaces was rewritten whole on every change).
 */
export class EmulatorStore {
  private readonly statements;
  private readonly writes: GroupCommit;
  /**
   * Services by id, read on every v1 call (the token's service). Dropped when this store changes a service and when
   * another connection has committed anything (PRAGMA data_version moves), so a second emulator process on the same
   * DATA_DIR is seen as before; checking that costs a third of the query it saves.
   */
  private readonly servicesById = new Map<number, StoredService | undefined>();
  private servicesVersion = -1;

  private constructor(
    private readonly db: Database.Database,
    readonly statePath: string,
    readonly jwtKey: Buffer,
  ) {
    this.writes = new GroupCommit(db);
    this.statements = {
      services: db.prepare<[], ServiceRow>("SELECT * FROM services ORDER BY id_service"),
      service: db.prepare<[number], ServiceRow>("SELECT * FROM services WHERE id_service = ?"),
      dataVersion: db.prepare<[], number>("PRAGMA data_version").pluck(),
      serviceByAccessKey: db.prepare<[string], ServiceRow>("SELECT * FROM services WHERE access_key = ?"),
      upsertService: db.prepare(
        `INSERT INTO services (id_service, access_key, secret_key, notification_url, code_service, max_amount_minor)
         VALUES (@idService, @accessKey, @secretKey, @notificationUrl, @codeService, @maxAmountMinor)
         ON CONFLICT (id_service) DO UPDATE SET access_key = excluded.access_key, secret_key = excluded.secret_key,
           notification_url = excluded.notification_url, code_service = excluded.code_service,
           max_amount_minor = excluded.max_amount_minor`,
      ),
      insertCip: db.prepare<[string, number, string, string, number, string, string, string, string], CipRow>(
        `INSERT INTO cips (cip, id_service, guid, currency, amount_minor, transaction_code, created_at, date_expiry, details)
         VALUES ((SELECT MAX(COALESCE((SELECT MAX(cip) FROM cips), 0) + 1, CAST(? AS INTEGER))), ?, ?, ?, ?, ?, ?, ?, ?)
         RETURNING *`,
      ),
      cip: db.prepare<[number], CipRow>("SELECT * FROM cips WHERE cip = ?"),
      cipByGuid: db.prepare<[string], CipRow>("SELECT * FROM cips WHERE guid = ?"),
      payments: db.prepare<[number], PaymentRow>("SELECT * FROM payments WHERE cip = ? ORDER BY operation_number"),
      deliveries: db.prepare<[number], DeliveryRow>("SELECT * FROM deliveries WHERE cip = ? ORDER BY id"),
      setExpiry: db.prepare<[string, number]>("UPDATE cips SET date_expiry = ? WHERE cip = ?"),
      markDeleted: db.prepare<[string, number]>("UPDATE cips SET deleted_at = ? WHERE cip = ?"),
      nextOperationNumber: db.prepare<[number], { next: number }>(
        "SELECT MAX(COALESCE((SELECT MAX(operation_number) FROM payments), 0) + 1, ?) AS next",
      ),
      insertPayment: db.prepare(
        `INSERT INTO payments (operation_number, cip, paid_at, amount_minor, channel, notification_body)
         VALUES (@operationNumber, @cip, @paidAt, @amountMinor, @channel, @notificationBody)`,
      ),
      insertDelivery: db.prepare(
        `INSERT INTO deliveries (cip, delivery_id, operation_number, url, at, attempt, http_status, error)
         VALUES (@cip, @deliveryId, @operationNumber, @url, @at, @attempt, @httpStatus, @error)`,
      ),
    };
  }

  static open(dataDir: string): EmulatorStore {
    const dir = path.join(dataDir, "sandbox");
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, "pagoefectivo.sqlite");
    // The database holds the services' secret keys (as the real service does), so only the owner may read it.
    closeSync(openSync(file, "a", 0o600));
    const db = new Database(file);
    db.pragma("journal_mode = WAL");
    db.pragma("busy_timeout = 5000");
    db.exec(SCHEMA);
    const jwtKey = db.transaction(() => {
      const row = db.prepare<[], { value: string }>("SELECT value FROM meta WHERE key = 'jwtKey'").get();
      if (row) return row.value;
      // First start: take over a JSON state file from an older version, if there is one.
      const legacyKey = importLegacyStateFile(db, path.join(dir, "pagoefectivo-state.json"));
      const key = legacyKey ?? randomBytes(32).toString("base64");
      db.prepare("INSERT INTO meta (key, value) VALUES ('jwtKey', ?)").run(key);
      return key;
    })();
    return new EmulatorStore(db, file, Buffer.from(jwtKey, "base64"));
  }

  listServices(): StoredService[] {
    return this.statements.services.all().map(toService);
  }

  service(idService: number): StoredService | undefined {
    const version = this.statements.dataVersion.get();
    if (version !== this.servicesVersion) {
      this.servicesById.clear();
      this.servicesVersion = version ?? -1;
    }
    if (!this.servicesById.has(idService)) {
      const row = this.statements.service.get(idService);
      this.servicesById.set(idService, row ? toService(row) : undefined);
    }
    const service = this.servicesById.get(idService);
    return service ? { ...service } : undefined;
  }

  serviceByAccessKey(accessKey: string): StoredService | undefined {
    const row = this.statements.serviceByAccessKey.get(accessKey);
    return row ? toService(row) : undefined;
  }

  upsertService(service: StoredService): void {
    this.statements.upsertService.run(service);
    this.servicesById.clear();
  }

  /**
   * CIP numbers are sequential from FIRST_CIP; the number is picked inside the INSERT, so it is never reused.
   * Resolves once the row is committed (group commit, see GroupCommit). A new CIP has no payments or deliveries,
   * so the inserted row is the whole CIP.
   */
  createCip(input: NewCip): Promise<StoredCip> {
    const details = JSON.stringify(input.details);
    return this.writes.run(() => {
      const row = this.statements.insertCip.get(
        String(FIRST_CIP),
        input.idService,
        randomUUID().toUpperCase(),
        input.currency,
        input.amountMinor,
        input.transactionCode,
        input.createdAt,
        input.dateExpiry,
        details,
      );
      if (!row) throw new Error("CIP insert returned nothing");
      return { ...this.cipFields(row), payments: [], notifications: [] };
    });
  }

  cip(cipNumber: string): StoredCip | undefined {
    if (!/^\d{1,15}$/.test(cipNumber)) return undefined;
    const row = this.statements.cip.get(Number(cipNumber));
    return row ? this.hydrate(row) : undefined;
  }

  cipByGuid(guid: string): StoredCip | undefined {
    const row = this.statements.cipByGuid.get(guid.toUpperCase());
    return row ? this.hydrate(row) : undefined;
  }

  /** Newest first (CIP numbers are sequential); `limit` keeps a listing of a long-lived sandbox small. */
  listCips(filter: { transactionCode?: string | undefined; idService?: number | undefined; limit?: number | undefined }): StoredCip[] {
    const where: string[] = [];
    const params: (string | number)[] = [];
    if (filter.transactionCode !== undefined) {
      where.push("transaction_code = ?");
      params.push(filter.transactionCode);
    }
    if (filter.idService !== undefined) {
      where.push("id_service = ?");
      params.push(filter.idService);
    }
    const sql =
      `SELECT * FROM cips${where.length > 0 ? ` WHERE ${where.join(" AND ")}` : ""} ORDER BY cip DESC` +
      (filter.limit === undefined ? "" : ` LIMIT ${Math.max(1, Math.floor(filter.limit))}`);
    return this.db
      .prepare<(string | number)[], CipRow>(sql)
      .all(...params)
      .map((row) => this.hydrate(row));
  }

  setExpiry(cipNumber: string, dateExpiry: Date): StoredCip {
    this.statements.setExpiry.run(dateExpiry.toISOString(), Number(cipNumber));
    return this.mustGet(cipNumber);
  }

  markDeleted(cipNumber: string, at: Date): StoredCip {
    this.statements.markDeleted.run(at.toISOString(), Number(cipNumber));
    return this.mustGet(cipNumber);
  }

  /** Operation numbers are unique across the emulator, like a bank's; number and row are written together. */
  recordPayment(cipNumber: string, payment: (operationNumber: string) => StoredPayment): { cip: StoredCip; payment: StoredPayment } {
    const recorded = this.db.transaction(() => {
      const next = this.statements.nextOperationNumber.get(FIRST_OPERATION_NUMBER);
      const made = payment(String(next?.next ?? FIRST_OPERATION_NUMBER));
      this.statements.insertPayment.run({ ...made, operationNumber: Number(made.operationNumber), cip: Number(cipNumber) });
      return made;
    })();
    return { cip: this.mustGet(cipNumber), payment: recorded };
  }

  /** Resolves once the attempt is committed (group commit: notifications sent together are recorded together). */
  recordDeliveryAttempt(cipNumber: string, attempt: StoredDeliveryAttempt): Promise<void> {
    const row = { ...attempt, cip: Number(cipNumber), error: attempt.error ?? null };
    return this.writes.run(() => {
      this.statements.insertDelivery.run(row);
    });
  }

  close(): void {
    this.writes.flush();
    if (this.db.open) this.db.close();
  }

  private mustGet(cipNumber: string): StoredCip {
    const cip = this.cip(cipNumber);
    if (!cip) throw new Error(`CIP ${cipNumber} vanished from the emulator's database`);
    return cip;
  }

  private hydrate(row: CipRow): StoredCip {
    return {
      ...this.cipFields(row),
      payments: this.statements.payments.all(row.cip).map((p) => ({
        operationNumber: String(p.operation_number),
        paidAt: p.paid_at,
        amountMinor: p.amount_minor,
        channel: p.channel,
        notificationBody: p.notification_body,
      })),
      notifications: this.statements.deliveries.all(row.cip).map((d) => ({
        deliveryId: d.delivery_id,
        operationNumber: d.operation_number,
        url: d.url,
        at: d.at,
        attempt: d.attempt,
        httpStatus: d.http_status,
        ...(d.error === null ? {} : { error: d.error }),
      })),
    };
  }

  private cipFields(row: CipRow): Omit<StoredCip, "payments" | "notifications"> {
    return {
      cip: String(row.cip),
      idService: row.id_service,
      guid: row.guid,
      currency: row.currency,
      amountMinor: row.amount_minor,
      transactionCode: row.transaction_code,
      createdAt: row.created_at,
      dateExpiry: row.date_expiry,
      deletedAt: row.deleted_at,
      details: JSON.parse(row.details) as Record<string, string>,
    };
  }
}
