import pg from "pg";

/**
 * Several statements sent to PostgreSQL at once, in ONE round trip: Bind/Describe/Execute for each (Parse too, the
 * first time a named statement is used on the connection), then a single Sync. PostgreSQL runs everything up to a
 * Sync as one implicit transaction (protocol docs, "Pipelining"; postgres.c: exec_execute_message increments the
 * command counter, exec_sync commits): all statements commit together at the Sync, and ReadyForQuery is sent only
 * after that commit (flushed, with synchronous_commit); an error in any of them skips the rest and rolls every one
 * back at the Sync. node-postgres writes one statement per round trip (it waits for ReadyForQuery before the next),
 * so a group commit of N one-statement units cost N + 2 round trips (BEGIN, the units, COMMIT), each a socket write
 * and a wake-up on both sides: the largest cost of the session path on PostgreSQL (bench/sessions/RESULTS-postgresql.md).
 */
export interface PipelineStatement {
  /** A named statement is parsed once per connection, then only bound. */
  readonly name?: string;
  readonly text: string;
  readonly values: readonly unknown[];
}

export interface PipelineResult {
  readonly rows: Record<string, unknown>[];
  readonly rowCount: number;
}

/** The server refused a statement (severity ERROR): the implicit transaction was rolled back, nothing was written. */
export class PipelineRolledBack extends Error {
  constructor(readonly reason: pg.DatabaseError) {
    super(reason.message);
  }
}

type Parser = (text: string) => unknown;
export interface PipelineTypes {
  getTypeParser(oid: number, format?: "text" | "binary"): Parser;
}

/**
 * Runs the statements as one pipeline on the client. Resolves with each statement's result once they are committed;
 * rejects with PipelineRolledBack when the server refused one (none committed), or with the error itself when the
 * outcome is unknown (the connection lost, the read timeout, a FATAL error): the client must then be discarded.
 */
export function runPipeline(client: pg.PoolClient, statements: readonly PipelineStatement[], types: PipelineTypes): Promise<PipelineResult[]> {
  return new Promise((resolve, reject) => {
    const pipeline = new Pipeline(statements, types, (error, results) => (error ? reject(error) : resolve(results ?? [])));
    // A Submittable (pg-cursor's interface): @types/pg types query() for configs and its own Query only.
    void (client as unknown as { query(submittable: Pipeline): unknown }).query(pipeline);
  });
}

/** node-postgres' Connection as Query.submit uses it (pg 8.x lib/connection.js), with its per-connection statement cache. */
interface WireConnection {
  readonly stream: { cork?: () => void; uncork?: () => void };
  parsedStatements: Record<string, string | undefined>;
  submittedNamedStatements: Record<string, string | undefined>;
  parse(query: { text: string; name: string }): void;
  bind(config: { portal: string; statement: string; values: readonly unknown[]; valueMapper: (value: unknown) => unknown }): void;
  describe(message: { type: "P"; name: string }): void;
  execute(config: { portal: string; rows: number }): void;
  sync(): void;
}

interface FieldDescription {
  readonly name: string;
  readonly dataTypeID: number;
  readonly format?: "text" | "binary";
}

/** A Submittable (the interface pg-cursor uses): node-postgres hands it every message until ReadyForQuery. */
class Pipeline {
  private readonly results: PipelineResult[] = [];
  private names: string[] = [];
  private parsers: Parser[] = [];
  private rows: Record<string, unknown>[] = [];
  private readonly parsedHere: string[] = [];
  private connection: WireConnection | null = null;
  private settled = false;

  constructor(
    private readonly statements: readonly PipelineStatement[],
    private readonly types: PipelineTypes,
    /** Replaced by node-postgres with a wrapper that clears its read timeout: always called through this property. */
    public callback: (error: Error | null, results?: PipelineResult[]) => void,
  ) {}

  submit(connection: WireConnection): void {
    this.connection = connection;
    connection.stream.cork?.();
    try {
      for (const statement of this.statements) {
        const name = statement.name ?? "";
        if (name === "" || (connection.parsedStatements[name] === undefined && connection.submittedNamedStatements[name] === undefined)) {
          connection.parse({ text: statement.text, name });
          if (name !== "") {
            connection.submittedNamedStatements[name] = statement.text;
            this.parsedHere.push(name);
          }
        }
        connection.bind({ portal: "", statement: name, values: statement.values, valueMapper: wireValue });
        connection.describe({ type: "P", name: "" });
        connection.execute({ portal: "", rows: 0 });
      }
      connection.sync();
    } finally {
      connection.stream.uncork?.();
    }
  }

  handleRowDescription(message: { fields: FieldDescription[] }): void {
    this.names = message.fields.map((field) => field.name);
    this.parsers = message.fields.map((field) => this.types.getTypeParser(field.dataTypeID, field.format ?? "text"));
  }

  handleDataRow(message: { fields: (string | null)[] }): void {
    const row: Record<string, unknown> = {};
    message.fields.forEach((raw, i) => {
      row[this.names[i] as string] = raw === null ? null : (this.parsers[i] as Parser)(raw);
    });
    this.rows.push(row);
  }

  handleCommandComplete(message: { text: string }): void {
    // "INSERT 0 1", "UPDATE 3", "SELECT 2": the count is the last number (pg's own Result.addCommandComplete).
    const counted = /^[A-Za-z]+(?: (\d+))?(?: (\d+))?/.exec(message.text);
    this.results.push({ rows: this.rows, rowCount: Number(counted?.[2] ?? counted?.[1] ?? 0) });
    this.rows = [];
    this.names = [];
    this.parsers = [];
  }

  handleEmptyQuery(): void {
    this.results.push({ rows: [], rowCount: 0 });
  }

  handlePortalSuspended(): void {
    this.handleError(new Error("a pipelined statement was suspended"));
  }

  handleCopyInResponse(): void {
    this.handleError(new Error("a pipelined statement asked for COPY"));
  }

  handleCopyData(): void {}

  handleError(error: Error): void {
    if (this.settled) return;
    this.settled = true;
    this.forgetParsed(false);
    this.callback(error instanceof pg.DatabaseError && error.severity === "ERROR" ? new PipelineRolledBack(error) : error);
  }

  handleReadyForQuery(): void {
    if (this.settled) return;
    this.settled = true;
    if (this.results.length !== this.statements.length) {
      this.forgetParsed(false);
      this.callback(new Error(`the pipeline answered ${this.results.length} of ${this.statements.length} statements`));
      return;
    }
    this.forgetParsed(true);
    this.callback(null, this.results);
  }

  /** Records the statements parsed here as prepared on the connection (after success), or drops the claim. */
  private forgetParsed(prepared: boolean): void {
    const connection = this.connection;
    if (!connection) return;
    for (const name of this.parsedHere) {
      if (prepared) connection.parsedStatements[name] = connection.submittedNamedStatements[name];
      delete connection.submittedNamedStatements[name];
    }
  }
}

/** As node-postgres' prepareValue for the values the SQL driver sends (text, numbers, booleans, buffers, null). */
function wireValue(value: unknown): unknown {
  if (value === null || value === undefined || Buffer.isBuffer(value)) return value ?? null;
  return String(value);
}
