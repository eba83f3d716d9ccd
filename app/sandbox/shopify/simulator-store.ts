import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { open, rename } from "node:fs/promises";
import { dirname } from "node:path";

import { type SimulatorState } from "./simulator-types";

/**
 * Persists the simulator state as one JSON file, written atomically (temp file, fsync, rename).
 * Saves are group-committed: every caller waiting on save() gets a write that started after its
 * change, and changes made while a write is in flight share the next write.
 */
export class SimulatorStore {
  private writing: Promise<void> | null = null;
  private queued: { promise: Promise<void>; resolve: () => void; reject: (error: unknown) => void } | null = null;

  private constructor(
    private readonly path: string,
    readonly state: SimulatorState,
  ) {}

  static open(path: string, initial: () => SimulatorState): SimulatorStore {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    if (!existsSync(path)) return new SimulatorStore(path, initial());
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(path, "utf8"));
    } catch (error) {
      throw new Error(`${path} is not valid JSON (${(error as Error).message}); move it away to start fresh`);
    }
    if (!isState(parsed)) {
      throw new Error(`${path} is not a Shopify simulator state file (version 1); move it away to start fresh`);
    }
    return new SimulatorStore(path, { ...initial(), ...parsed });
  }

  save(): Promise<void> {
    if (this.queued !== null) return this.queued.promise;
    let resolve!: () => void;
    let reject!: (error: unknown) => void;
    const promise = new Promise<void>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    this.queued = { promise, resolve, reject };
    if (this.writing === null) this.startWrite();
    return promise;
  }

  /** Resolves once no write is queued or in flight. */
  async flush(): Promise<void> {
    while (this.writing !== null || this.queued !== null) {
      await (this.queued?.promise ?? this.writing)?.catch(() => undefined);
    }
  }

  private startWrite(): void {
    const batch = this.queued;
    if (batch === null) return;
    this.queued = null;
    // Serialized now, so every change made before this point is in this write.
    const contents = JSON.stringify(this.state, null, 2);
    this.writing = writeAtomic(this.path, contents)
      .then(batch.resolve, batch.reject)
      .finally(() => {
        this.writing = null;
        if (this.queued !== null) this.startWrite();
      });
  }
}

async function writeAtomic(path: string, contents: string): Promise<void> {
  const tmp = `${path}.${randomBytes(6).toString("hex")}.tmp`;
  const handle = await open(tmp, "w", 0o600);
  try {
    await handle.writeFile(contents, "utf8");
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(tmp, path);
}

function isState(value: unknown): value is SimulatorState {
  if (typeof value !== "object" || value === null) return false;
  const candidate = value as Partial<SimulatorState>;
  return (
    candidate.version === 1 &&
    typeof candidate.shops === "object" &&
    typeof candidate.paymentSessions === "object" &&
    typeof candidate.orders === "object"
  );
}
