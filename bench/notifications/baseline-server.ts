import { createHmac, randomUUID, timingSafeEqual } from "node:crypto";
import http from "node:http";

import Database from "better-sqlite3";

/**
 * The notifications baseline (issue #9): a bare node:http server that checks the same PE-Signature
 * (HMAC-SHA256 of the raw body) and does the same three writes (evidence, session state, outbox job) in
 * one better-sqlite3 transaction on a database with the app's schema. What the machine can do.
 * argv: <sqlite file> <port> <secretKey>
 */
const [file, port, secretKey] = process.argv.slice(2) as [string, string, string];
const db = new Database(file);
db.pragma("journal_mode = WAL");
db.pragma("synchronous = NORMAL");
const insertNotification = db.prepare(
  `INSERT INTO "PagoEfectivoNotification" ("id","shopId","cip","operationNumber","eventType","rawBody","headersJson","signature","signatureValid","verificationReason","dedupeKey","outcome","receivedAt")
   VALUES (?,?,?,?,?,?,?,?,1,'valid:sandbox',?,'marked_paid',?) ON CONFLICT DO NOTHING`,
);
const markPaid = db.prepare(
  `UPDATE "PaymentSession" SET "state"='paid',"paidAt"=?,"paidAmountMinor"=?,"paidCurrency"='PEN',"operationNumber"=?,"paidVia"='notification',"updatedAt"=? WHERE "cip"=? AND "state"='pending' RETURNING "id","shopId"`,
);
const insertJob = db.prepare(
  `INSERT INTO "OutboxJob" ("id","kind","shopId","paymentSessionId","payloadJson","dedupeKey","status","attempts","nextAttemptAt","createdAt") VALUES (?,'payment_session.resolve',?,?,?,?,'pending',0,?,?) ON CONFLICT DO NOTHING`,
);
const handle = db.transaction((body: Buffer, signature: string, event: { cip: string; op: string; amount: number }) => {
  const now = new Date().toISOString().replace("Z", "+00:00");
  const inserted = insertNotification.run(randomUUID(), "bench-shop-0", event.cip, event.op, "cip.paid", body, "{}", signature, `${event.cip}:${event.op}:cip.paid`, now);
  if (inserted.changes === 0) return "duplicate";
  const session = markPaid.get(now, event.amount, event.op, now, event.cip) as { id: string; shopId: string } | undefined;
  if (session) insertJob.run(randomUUID(), session.shopId, session.id, JSON.stringify({ paymentSessionId: session.id }), `payment_session.final:${session.id}`, now, now);
  return "marked_paid";
});

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
    const outcome = handle(body, signature, { cip: json.data.cip, op: json.operationNumber, amount: Math.round(json.data.amount * 100) });
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ code: "100", outcome }));
  });
});
server.listen(Number(port), "127.0.0.1");
process.on("SIGTERM", () => {
  server.close();
  server.closeAllConnections();
  db.close();
  process.exit(0);
});
