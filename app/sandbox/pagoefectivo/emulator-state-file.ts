import { randomBytes } from "node:crypto";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";

import { createInitialState, type EmulatorState, emulatorStateSchema } from "./emulator-state";

/**
 * Persists the emulator state as one JSON file. Writes go to a temp file that is renamed over the old one, so a
 * crash leaves either the old or the new state, never half a file. Writes are serialized and coalesced: callers
 * awaiting save() are resolved once a write that includes their change has landed.
 */
export class EmulatorStateFile {
  private writing: Promise<void> = Promise.resolve();
  private queued: { promise: Promise<void>; snapshot: string } | null = null;

  private constructor(readonly filePath: string) {}

  static async open(dataDir: string): Promise<{ file: EmulatorStateFile; state: EmulatorState }> {
    const dir = path.join(dataDir, "sandbox");
    await mkdir(dir, { recursive: true });
    const file = new EmulatorStateFile(path.join(dir, "pagoefectivo-state.json"));
    return { file, state: await file.load() };
  }

  private async load(): Promise<EmulatorState> {
    let text: string;
    try {
      text = await readFile(this.filePath, "utf8");
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") return createInitialState();
      throw e;
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new Error(`PagoEfectivo emulator state at ${this.filePath} is not valid JSON; move it aside to start fresh`);
    }
    const parsed = emulatorStateSchema.safeParse(json);
    if (!parsed.success) {
      throw new Error(`PagoEfectivo emulator state at ${this.filePath} has an unexpected shape: ${parsed.error.message}`);
    }
    return parsed.data;
  }

  save(state: EmulatorState): Promise<void> {
    const snapshot = JSON.stringify(state, null, 2);
    if (this.queued) {
      // A write is already waiting to start: it will now carry this newer snapshot.
      this.queued.snapshot = snapshot;
      return this.queued.promise;
    }
    const entry = { snapshot, promise: Promise.resolve() };
    entry.promise = this.writing.then(async () => {
      this.queued = null;
      await this.writeAtomically(entry.snapshot);
    });
    this.queued = entry;
    this.writing = entry.promise.catch(() => undefined);
    return entry.promise;
  }

  /** Resolves when every requested write has landed. */
  async flush(): Promise<void> {
    await this.writing;
  }

  private async writeAtomically(snapshot: string): Promise<void> {
    const tmp = `${this.filePath}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
    try {
      // The file holds the services' secret keys (as the real service does), so only the owner may read it.
      await writeFile(tmp, snapshot, { encoding: "utf8", mode: 0o600 });
      await rename(tmp, this.filePath);
    } catch (e) {
      await rm(tmp, { force: true });
      throw e;
    }
  }
}
