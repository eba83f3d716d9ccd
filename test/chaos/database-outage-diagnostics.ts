import BetterSqlite3 from "better-sqlite3";
import pg from "pg";

import type { ChaosWorld, SimSession } from "./chaos-harness";

/**
 * What the database-outage scenario prints for each session it counts as lost, doubled or stuck: enough to tell
 * which part of the app decided wrong (the simulator's mutations, the emulator's CIPs and deliveries, the buyer's
 * CIP and payment, the app's own rows), bounded so a bad run cannot flood the CI log.
 */
export interface PaymentNote {
  /** Wall-clock time the test paid, and whether the database was cut at that moment. */
  at: string;
  duringOutage: boolean;
  /** Which outage (1-based) or "after" / "final". */
  phase: string;
  cip: string | null;
}

const MAX_SESSIONS = 8;
const MAX_CHARS = 5_000;

/** Runs one SELECT against the app's own database (after the outage) and returns its rows. */
export async function appDbRows(databaseUrl: string, postgres: boolean, sql: string, params: unknown[] = []): Promise<Record<string, unknown>[]> {
  if (postgres) {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      return (await client.query<Record<string, unknown>>(sql, params)).rows;
    } finally {
      await client.end();
    }
  }
  const db = new BetterSqlite3(databaseUrl.replace(/^file:/, ""), { readonly: true });
  try {
    return db.prepare(sql.replace(/\$\d+/g, "?")).all(...params) as Record<string, unknown>[];
  } finally {
    db.close();
  }
}

const clip = (text: string) => (text.length > MAX_CHARS ? `${text.slice(0, MAX_CHARS)}…(+${text.length - MAX_CHARS})` : text);
/** SQLite keeps Prisma's DateTime columns as epoch milliseconds: show them as ISO times (columns named *At / at). */
const when = (key: string, value: unknown) =>
  /(^at|At)$/.test(key) && typeof value === "number" ? new Date(value).toISOString() : value instanceof Date ? value.toISOString() : value;

export async function describeBadSessions(input: {
  world: ChaosWorld;
  postgres: boolean;
  badIds: string[];
  sessions: SimSession[];
  payments: Map<string, PaymentNote>;
  cipShown: Map<string, string | null>;
  outages: { from: string; to: string }[];
}): Promise<string> {
  const { world, postgres, badIds } = input;
  const url = world.database?.url ?? "";
  const lines: string[] = [`outages (wall clock): ${JSON.stringify(input.outages)}`];
  for (const id of badIds.slice(0, MAX_SESSIONS)) {
    const sim = input.sessions.find((s) => s.id === id);
    const emulated = (await world.emulator<{ cips: Record<string, unknown>[] }>("GET", `/cips?transactionCode=${id.slice(0, 36)}`)).body.cips ?? [];
    const rows = await appDbRows(
      url,
      postgres,
      `SELECT "state", "shopifyState", "cip", "cipExpiresAt", "cipIssuedAt", "cipAttempts", "issuingUntil", "paidAt", "paidVia", "rejectionReason", "updatedAt" FROM "PaymentSession" WHERE "id" = $1`,
      [id],
    ).catch((error: unknown) => [{ error: String(error) }]);
    const events = await appDbRows(url, postgres, `SELECT "type", "at", "detailJson" FROM "PaymentEvent" WHERE "paymentSessionId" = $1 ORDER BY "at"`, [id]).catch(
      (error: unknown) => [{ error: String(error) }],
    );
    const jobs = await appDbRows(url, postgres, `SELECT "kind", "status", "attempts", "lastError", "createdAt" FROM "OutboxJob" WHERE "paymentSessionId" = $1`, [id]).catch(
      (error: unknown) => [{ error: String(error) }],
    );
    const notifications = await appDbRows(
      url,
      postgres,
      `SELECT "cip", "outcome", "receivedAt", "signatureValid" FROM "PagoEfectivoNotification" WHERE "paymentSessionId" = $1 OR "cip" IN (SELECT "cip" FROM "PaymentSession" WHERE "id" = $2)`,
      [id, id],
    ).catch((error: unknown) => [{ error: String(error) }]);
    const fixDates = (list: Record<string, unknown>[]) => list.map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, when(k, v)])));
    lines.push(
      clip(
        [
          `session ${id}`,
          `  simulator: state=${sim?.state ?? "absent"} mutations=${JSON.stringify((sim?.mutations ?? []).map((m) => `${m.name.replace("paymentSession", "")}:${m.result}${m.replayed ? ":replayed" : ""}${m.applied ? ":applied" : ""}@${m.at}`))}`,
          `  buyer: cipShown=${input.cipShown.get(id) ?? "none"} paid=${JSON.stringify(input.payments.get(id) ?? null)}`,
          `  emulator CIPs: ${JSON.stringify(emulated)}`,
          `  app session: ${JSON.stringify(fixDates(rows))}`,
          `  app events: ${JSON.stringify(fixDates(events))}`,
          `  app jobs: ${JSON.stringify(fixDates(jobs))}`,
          `  app notifications: ${JSON.stringify(fixDates(notifications))}`,
          `  app log: ${world.appLogLinesWith(id, 8).map((line) => line.replace(/^\[app\] /, "").slice(0, 400)).join("\n    ")}`,
        ].join("\n"),
      ),
    );
  }
  if (badIds.length > MAX_SESSIONS) lines.push(`…and ${badIds.length - MAX_SESSIONS} more`);
  // What the app said about PagoEfectivo calls and CIP creations around the outages (a lost answer makes a creation unconfirmed).
  for (const text of ['"outcome":"timeout"', '"outcome":"network_error"', "CIP creation", "CIP created"]) {
    const said = world.appLogLinesWith(text, 10);
    if (said.length > 0) lines.push(`app log with ${text}:\n    ${said.map((line) => line.replace(/^\[app\] /, "").slice(0, 400)).join("\n    ")}`);
  }
  return lines.join("\n");
}
