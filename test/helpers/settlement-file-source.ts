import { Readable } from "node:stream";
import { setImmediate as nextTurn } from "node:timers/promises";

import type { SettlementFileSource } from "../../app/ports/settlement-files";

/**
 * A settlement file held in memory, delivered the way a slow or odd disk would: in `chunkSize` pieces with
 * a turn of the event loop (or `delayMs`) before each. Counts the bytes it delivered and records whether it was closed.
 */
export function memorySource(
  bytes: Buffer,
  options: { chunkSize?: number; delayMs?: number } = {},
): SettlementFileSource & { closed: boolean; bytesDelivered: number } {
  const chunkSize = options.chunkSize ?? 64 * 1024;
  const source = {
    sizeBytes: bytes.length,
    closed: false,
    bytesDelivered: 0,
    stream(range?: { readonly start: number; readonly end: number }): Readable {
      if (source.closed) throw new Error("closed");
      const start = range?.start ?? 0;
      const end = Math.min(range?.end ?? bytes.length, bytes.length);
      return Readable.from(
        (async function* () {
          for (let at = start; at < end; at += chunkSize) {
            if (options.delayMs) await new Promise((resolve) => setTimeout(resolve, options.delayMs));
            else await nextTurn();
            const chunk = bytes.subarray(at, Math.min(at + chunkSize, end));
            source.bytesDelivered += chunk.length;
            yield chunk;
          }
        })(),
        { objectMode: false },
      );
    },
    close(): Promise<void> {
      source.closed = true;
      return Promise.resolve();
    },
  };
  return source;
}
