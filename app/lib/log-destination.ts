import { destination as pinoDestination } from "pino";

/**
 * Where log lines go by default: stdout, one write(2) per turn of the event loop instead of one per line.
 *
 * Under load the payment-session path writes one line per session ("CIP issued"), and the sessions of one group
 * commit finish in the same turn. pino's default destination hands every line to libuv's thread pool on its own;
 * measured on a busy process writing to a pipe, that was 40-70 us of CPU per line, a twentieth of a session's CPU
 * (issue #13), nearly all of it the write and its wake-ups rather than the line's serialisation. Here the lines of a
 * turn are joined and written once, synchronously, right after the turn's I/O callbacks (setImmediate), so a line
 * waits less than one turn, never for a timer, and lines keep their order.
 *
 * Nothing is held longer than pino's default held it (its thread-pool write was in flight for about as long): the
 * pending lines are written before the process exits (process.exit, the end of the loop, an uncaught exception,
 * all of which emit 'exit'), and at once when a turn has logged more than MAX_PENDING_CHARS.
 */
export interface LineSink {
  write(text: string): unknown;
}

const MAX_PENDING_CHARS = 64 * 1024;

export class TurnBatchedDestination {
  private pending: string[] = [];
  private pendingChars = 0;
  private scheduled = false;

  constructor(
    private readonly sink: LineSink,
    private readonly schedule: (flush: () => void) => void = (flush) => setImmediate(flush),
  ) {}

  /** pino's DestinationStream: one serialised line, newline included. */
  write(line: string): boolean {
    this.pending.push(line);
    this.pendingChars += line.length;
    if (this.pendingChars > MAX_PENDING_CHARS) this.flushSync();
    else if (!this.scheduled) {
      this.scheduled = true;
      this.schedule(this.onTurnEnd);
    }
    return true;
  }

  /** Writes every pending line now (pino's logger.flush() and the exit hook call it). */
  flushSync(): void {
    if (this.pending.length === 0) return;
    const text = this.pending.length === 1 ? (this.pending[0] as string) : this.pending.join("");
    this.pending = [];
    this.pendingChars = 0;
    this.sink.write(text);
  }

  /** pino's flush(cb) signature. */
  flush(cb?: (error?: Error) => void): void {
    this.flushSync();
    cb?.();
  }

  private readonly onTurnEnd = (): void => {
    this.scheduled = false;
    this.flushSync();
  };
}

let stdoutDestination: TurnBatchedDestination | null = null;

/**
 * The process's one stdout destination (every logger shares it, so lines of different loggers keep their order
 * and a turn is one write). The sink is pino's synchronous sonic-boom on fd 1: it finishes partial writes, waits out
 * a full pipe, and stops on EPIPE, as pino's default does.
 */
export function stdoutLogDestination(): TurnBatchedDestination {
  if (!stdoutDestination) {
    const destination = new TurnBatchedDestination(pinoDestination({ dest: process.stdout.fd || 1, sync: true }));
    process.on("exit", () => destination.flushSync());
    stdoutDestination = destination;
  }
  return stdoutDestination;
}
