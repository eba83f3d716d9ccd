import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync } from "node:fs";
import { dirname } from "node:path";

import Database from "better-sqlite3";

import { type SimulatorState, type WebhookDelivery } from "./simulator-types";

/** The keyed collections of the state: one row per record. */
const COLLECTIONS = ["shops", "paymentSessions", "refundSessions", "orders", "oauthCodes"] as const;
type Collection = (typeof COLLECTIONS)[number];
/** The small parts of the state: one row each, written when their JSON changed. */
const SINGLETONS = ["version", "app", "counters", "certificates", "webhookRetries"] as const;
type Singleton = (typeof SINGLETONS)[number];

const SCHEMA = `
CREATE TABLE IF NOT EXISTS records (kind TEXT NOT NULL, id TEXT NOT NULL, body TEXT NOT NULL, PRIMARY KEY (kind, id)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS webhook_deliveries (seq INTEGER PRIMARY KEY AUTOINCREMENT, body TEXT NOT NULL);
`;

/**
 * The simulator's state in SQLite (`DATA_DIR/sandbox/shopify.sqlite`): one row per shop, payment session, refund
 * session, order and OAuth code, one row per webhook delivery of the log, one row for each small part. `state` is the
 * live object the simulator reads and changes; every change to a record is noticed (the collections hand out
 * tracking proxies), and save() writes only the records changed since the last save, in one transaction, before
 * it resolves: a save costs what changed, not the size of the state (the JSON file it replaces was rewritten whole
 * on every change). WAL with synchronous=NORMAL: a committed save survives the process being killed.
 * A `shopify-state.json` of earlier versions is imported once and renamed `.imported`.
 */
export class SimulatorStore {
  readonly state: SimulatorState;
  private readonly dirty = new Map<Collection, Set<string>>();
  private readonly written = new Map<Singleton, string>();
  private readonly persistedDeliveries = new WeakSet<WebhookDelivery>();
  private readonly proxies = new WeakMap<object, object>();
  private readonly raws = new WeakMap<object, object>();
  private readonly statements;
  private closed = false;

  private constructor(
    private readonly db: Database.Database,
    raw: SimulatorState,
  ) {
    this.statements = {
      upsert: db.prepare<[string, string, string]>(
        "INSERT INTO records (kind, id, body) VALUES (?, ?, ?) ON CONFLICT (kind, id) DO UPDATE SET body = excluded.body",
      ),
      remove: db.prepare<[string, string]>("DELETE FROM records WHERE kind = ? AND id = ?"),
      removeKind: db.prepare<[string]>("DELETE FROM records WHERE kind = ?"),
      insertDelivery: db.prepare<[string]>("INSERT INTO webhook_deliveries (body) VALUES (?)"),
      trimDeliveries: db.prepare<[number]>(
        "DELETE FROM webhook_deliveries WHERE seq <= (SELECT COALESCE(MAX(seq), 0) FROM webhook_deliveries) - ?",
      ),
      clearDeliveries: db.prepare("DELETE FROM webhook_deliveries"),
    };
    for (const delivery of raw.webhookDeliveries) this.persistedDeliveries.add(delivery);
    for (const name of SINGLETONS) this.written.set(name, JSON.stringify(raw[name] ?? null));
    this.state = this.trackRoot(raw);
  }

  /** Opens (or creates) the database; `initial` supplies what a fresh simulator starts with. */
  static open(path: string, initial: () => SimulatorState): SimulatorStore {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    // The state holds the app's API secret, as Shopify does: only the owner may read it.
    closeSync(openSync(path, "a", 0o600));
    const db = new Database(path);
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = NORMAL");
    db.pragma("busy_timeout = 5000");
    db.exec(SCHEMA);
    const legacy = path.replace(/\.sqlite$/, "-state.json");
    const loaded = readState(db);
    if (loaded === null && existsSync(legacy)) {
      const imported = { ...initial(), ...readLegacyFile(legacy) };
      const store = new SimulatorStore(db, imported);
      store.writeAll();
      renameSync(legacy, `${legacy}.imported`);
      return store;
    }
    if (loaded === null) {
      const store = new SimulatorStore(db, initial());
      store.writeAll();
      return store;
    }
    return new SimulatorStore(db, { ...initial(), ...loaded });
  }

  /** The state as stored at `path`, read without changing anything (tests compare it with the live state). */
  static read(path: string): SimulatorState | null {
    const db = new Database(path, { readonly: true });
    try {
      return readState(db);
    } finally {
      db.close();
    }
  }

  /** Writes every change made since the last save; resolves once it is committed. */
  save(): Promise<void> {
    try {
      this.writeChanges();
      return Promise.resolve();
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }

  /** Kept for callers that wait for writes: saves are committed before save() resolves. */
  flush(): Promise<void> {
    return this.save();
  }

  close(): void {
    if (this.closed) return;
    this.writeChanges();
    this.closed = true;
    this.db.close();
  }

  private writeChanges(): void {
    if (this.closed) return;
    const raw = this.unwrap(this.state) as SimulatorState;
    const singletons: [Singleton, string][] = [];
    for (const name of SINGLETONS) {
      const json = JSON.stringify(raw[name] ?? null);
      if (this.written.get(name) !== json) singletons.push([name, json]);
    }
    const deliveries = raw.webhookDeliveries.filter((delivery) => !this.persistedDeliveries.has(delivery));
    if (this.dirty.size === 0 && singletons.length === 0 && deliveries.length === 0) return;
    const dirty = [...this.dirty.entries()];
    this.dirty.clear();
    try {
      this.db.transaction(() => {
        for (const [collection, ids] of dirty) {
          for (const id of ids) {
            const record = (raw[collection] as Record<string, unknown>)[id];
            if (record === undefined) this.statements.remove.run(collection, id);
            else this.statements.upsert.run(collection, id, JSON.stringify(record));
          }
        }
        for (const [name, json] of singletons) this.statements.upsert.run("singleton", name, json);
        for (const delivery of deliveries) this.statements.insertDelivery.run(JSON.stringify(delivery));
        if (deliveries.length > 0) this.statements.trimDeliveries.run(raw.webhookDeliveries.length);
      })();
    } catch (error) {
      // Not written: keep the changes dirty so the next save tries again.
      for (const [collection, ids] of dirty) for (const id of ids) this.markDirty(collection, id);
      throw error;
    }
    for (const [name, json] of singletons) this.written.set(name, json);
    for (const delivery of deliveries) this.persistedDeliveries.add(delivery);
  }

  /** The whole state, once: a fresh database or an imported JSON file. */
  private writeAll(): void {
    const raw = this.unwrap(this.state) as SimulatorState;
    this.db.transaction(() => {
      for (const collection of COLLECTIONS) {
        this.statements.removeKind.run(collection);
        for (const [id, record] of Object.entries(raw[collection])) this.statements.upsert.run(collection, id, JSON.stringify(record));
      }
      for (const name of SINGLETONS) this.statements.upsert.run("singleton", name, JSON.stringify(raw[name] ?? null));
      this.statements.clearDeliveries.run();
      for (const delivery of raw.webhookDeliveries) this.statements.insertDelivery.run(JSON.stringify(delivery));
    })();
    this.dirty.clear();
  }

  private markDirty(collection: Collection, id: string): void {
    let ids = this.dirty.get(collection);
    if (ids === undefined) this.dirty.set(collection, (ids = new Set()));
    ids.add(id);
  }

  private unwrap<T>(value: T): T {
    return (typeof value === "object" && value !== null ? ((this.raws.get(value) as T | undefined) ?? value) : value) as T;
  }

  /** The root: its collections are tracked; a collection replaced whole marks every old and new record. */
  private trackRoot(raw: SimulatorState): SimulatorState {
    const collectionProxies = new Map<Collection, object>();
    const isCollection = (key: string | symbol): key is Collection => typeof key === "string" && (COLLECTIONS as readonly string[]).includes(key);
    const root = new Proxy(raw, {
      get: (target, key, receiver) => {
        if (!isCollection(key)) return Reflect.get(target, key, receiver) as unknown;
        let proxy = collectionProxies.get(key);
        if (proxy === undefined) collectionProxies.set(key, (proxy = this.trackCollection(key, target[key])));
        return proxy;
      },
      set: (target, key, value: unknown) => {
        if (isCollection(key)) {
          const next = this.unwrap(value) as Record<string, unknown>;
          for (const id of [...Object.keys(target[key]), ...Object.keys(next)]) this.markDirty(key, id);
          collectionProxies.set(key, this.trackCollection(key, next));
        }
        return Reflect.set(target, key, this.unwrap(value));
      },
    });
    this.raws.set(root, raw);
    return root;
  }

  private trackCollection(collection: Collection, records: Record<string, unknown>): object {
    const proxy = new Proxy(records, {
      get: (target, key, receiver) => {
        const value = Reflect.get(target, key, receiver) as unknown;
        if (typeof key !== "string" || typeof value !== "object" || value === null) return value;
        return this.trackRecord(value, () => this.markDirty(collection, key));
      },
      set: (target, key, value: unknown) => {
        if (typeof key === "string") this.markDirty(collection, key);
        return Reflect.set(target, key, this.unwrap(value));
      },
      deleteProperty: (target, key) => {
        if (typeof key === "string") this.markDirty(collection, key);
        return Reflect.deleteProperty(target, key);
      },
    });
    this.raws.set(proxy, records);
    return proxy;
  }

  /** A record or anything inside it: reading hands out tracking proxies, any write marks the record. */
  private trackRecord(value: object, mark: () => void): object {
    const raw = this.unwrap(value);
    const existing = this.proxies.get(raw);
    if (existing !== undefined) return existing;
    const proxy = new Proxy(raw, {
      get: (target, key, receiver) => {
        const inner = Reflect.get(target, key, receiver) as unknown;
        return typeof inner === "object" && inner !== null ? this.trackRecord(inner, mark) : inner;
      },
      set: (target, key, inner: unknown) => {
        mark();
        return Reflect.set(target, key, this.unwrap(inner));
      },
      deleteProperty: (target, key) => {
        mark();
        return Reflect.deleteProperty(target, key);
      },
      defineProperty: (target, key, descriptor) => {
        mark();
        return Reflect.defineProperty(target, key, descriptor);
      },
    });
    this.proxies.set(raw, proxy);
    this.raws.set(proxy, raw);
    return proxy;
  }
}

function readState(db: Database.Database): SimulatorState | null {
  const rows = db.prepare<[], { kind: string; id: string; body: string }>("SELECT kind, id, body FROM records").all();
  if (rows.length === 0) return null;
  const state: Record<string, unknown> = {};
  for (const collection of COLLECTIONS) state[collection] = {};
  for (const row of rows) {
    const value = JSON.parse(row.body) as unknown;
    if (row.kind === "singleton") state[row.id] = value;
    else if ((COLLECTIONS as readonly string[]).includes(row.kind)) (state[row.kind] as Record<string, unknown>)[row.id] = value;
  }
  state.webhookDeliveries = db
    .prepare<[], { body: string }>("SELECT body FROM webhook_deliveries ORDER BY seq")
    .all()
    .map((row) => JSON.parse(row.body) as unknown);
  if (state.version !== 1) throw new Error("the Shopify simulator database is not of version 1; move it away to start fresh");
  return state as unknown as SimulatorState;
}

function readLegacyFile(path: string): SimulatorState {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new Error(`${path} is not valid JSON (${(error as Error).message}); move it away to start fresh`);
  }
  if (!isState(parsed)) throw new Error(`${path} is not a Shopify simulator state file (version 1); move it away to start fresh`);
  return parsed;
}

function isState(value: unknown): value is SimulatorState {
  if (typeof value !== "object" || value === null) return false;
  const candidate = value as Partial<SimulatorState>;
  return (
    candidate.version === 1 &&
    typeof candidate.shops === "object" &&
    typeof candidate.paymentSessions === "object" &&
    typeof candidate.orders === "object" &&
    (candidate.webhookDeliveries === undefined || Array.isArray(candidate.webhookDeliveries))
  );
}
