import { type FileHandle, open } from "node:fs/promises";
import { Readable } from "node:stream";

import type { SettlementFileSource } from "../../ports/settlement-files";

/**
 * A file on local disk as a SettlementFileSource: one descriptor, opened once, so a file moved or deleted
 * while it is read (the upload sweep, an adopt) is still read whole; every range is positional reads on it. Closing waits for reads in flight (FileHandle.close), so no read can land on a reused
 * descriptor number.
 */
export async function openFileSource(path: string): Promise<SettlementFileSource> {
  const handle = await open(path, "r");
  try {
    const { size } = await handle.stat();
    return new FileSource(handle, size);
  } catch (error) {
    await handle.close();
    throw error;
  }
}

/** As fs.createReadStream reads. */
const CHUNK_BYTES = 64 * 1024;

class FileSource implements SettlementFileSource {
  private closing: Promise<void> | null = null;

  constructor(
    private readonly handle: FileHandle,
    readonly sizeBytes: number,
  ) {}

  stream(range?: { readonly start: number; readonly end: number }): Readable {
    const start = range?.start ?? 0;
    const end = range?.end ?? this.sizeBytes;
    if (this.closing) throw new Error("the settlement file is closed");
    // Positional reads on the one handle (fs.createReadStream on a FileHandle would add a 'close' listener
    // to it per range, and an XLSX is read in a dozen ranges).
    const handle = this.handle;
    return Readable.from(
      (async function* () {
        for (let at = start; at < end; ) {
          const chunk = Buffer.allocUnsafe(Math.min(CHUNK_BYTES, end - at));
          const { bytesRead } = await handle.read(chunk, 0, chunk.length, at);
          if (bytesRead === 0) return;
          at += bytesRead;
          yield chunk.subarray(0, bytesRead);
        }
      })(),
      { objectMode: false },
    );
  }

  close(): Promise<void> {
    this.closing ??= this.handle.close();
    return this.closing;
  }
}
