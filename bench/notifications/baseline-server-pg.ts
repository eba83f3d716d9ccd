import { createHmac, randomUUID, timingSafeEqual } from "node:crypto";
import http from "node:http";

import pg from "pg";

/**
 * The notifications baseline on PostgreSQL (`bench:notifications -- --postgres`), so the ratio printed is the app
 * on PostgreSQL against bare code on the same PostgreSQL server: a node:http server that checks the same
 * PE-Signature (HMAC-SHA256 of the raw body) and does the same three writes as baseline-server.ts (evidence,
 * session state, outbox job) in one transaction on a pooled `pg` connection (BEGIN, the three statements, COMMIT),
 * on a database with the app's schema. Named prepared statements and a pool as large as the app's (10): what a
 * plain hand-written handler does, no batching across requests. Timestamps are UTC text, as the app stores them.
 * argv: <DATABASE_URL> <port> <secretKey>
 */
const [url, port, secretKey] = process.argv.slice(2) as [string, string, string];
const pool = new pg.Pool({ connectionString: url, max: 10 });
pool.on("error", () => undefined);

const insertNotification = {
  name: "base_notification",
  text: `INSERT INTO "PagoEfectivoNotification" ("id","shopId","cip","operationNumber","eventType","rawBody","headersJson","signature","signatureValid","verificationReason","dedupeKey","outcome","receivedAt")
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,true,'valid:sandbox',$9,'marked_paid',$10) ON CONFLICT DO NOTHING`,
};
const markPaid = {
  name: "base_mark_paid",
  text: `UPDATE "PaymentSession" SET "state"='paid',"paidAt"=$1,"paidAmountMinor"=$2,"paidCurrency"='PEN',"operationNumber"=$3,"paidVia"='notification',"updatedAt"=$1 WHERE "cip"=$4 AND "state"='pending' RETURNING "id","shopId"`,
};
const insertJob = {
  name: "base_job",
  text: `INSERT INTO "OutboxJob" ("id","kind","shopId","paymentSessionId","payloadJson","dedupeKey","status","attempts","nextAttemptAt","createdAt") VALUES ($1,'payment_session.resolve',$2,$3,$4,$5,'pending',0,$6,$6) ON CONFLICT DO NOTHING`,
};

async function handle(body: Buffer, signature: string, event: { cip: string; op: string; amount: number }): Promise<string> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    const now = new Date().toISOString().replace("Z", "");
    const inserted = await client.query({
      ...insertNotification,
      values: [randomUUID(), "bench-shop-0", event.cip, event.op, "cip.paid", body, "{}", signature, `${event.cip}:${event.op}:cip.paid`, now],
    });
    let outcome = "duplicate";
    if (inserted.rowCount !== 0) {
      outcome = "marked_paid";
      const session = (await client.query({ ...markPaid, values: [now, event.amount, event.op, event.cip] })).rows[0] as { id: string; shopId: string } | undefined;
      if (session) {
        await client.query({ ...insertJob, values: [randomUUID(), session.shopId, session.id, JSON.stringify({ paymentSessionId: session.id }), `payment_session.final:${session.id}`, now] });
      }
    }
    await client.query("COMMIT");
    return outcome;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

const server = http.createServer((req, res) => {
  if (req.method === "GET") {
    res.end("ok");
    return;
  }
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", () => {
    const body = Buffer.concat(chunks);
    const signature = String(req.headers["pe-signature"] ?? "");
    const expected = createHmac("sha256", secretKey).update(body).digest();
    const given = Buffer.from(signature, "hex");
    if (given.length !== 32 || !timingSafeEqual(expected, given)) {
      res.writeHead(401, { "content-type": "application/json" }).end('{"code":"111"}');
      return;
    }
    const json = JSON.parse(body.toString("utf8")) as { operationNumber: string; data: { cip: string; amount: number } };
    handle(body, signature, { cip: json.data.cip, op: json.operationNumber, amount: Math.round(json.data.amount * 100) }).then(
      (outcome) => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ code: "100", outcome })),
      (error: unknown) => res.writeHead(500).end(String(error)),
    );
  });
});
server.listen(Number(port), "127.0.0.1");
process.on("SIGTERM", () => {
  server.close();
  server.closeAllConnections();
  void pool.end().finally(() => process.exit(0));
});
