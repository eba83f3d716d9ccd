import http from "node:http";

import Database from "better-sqlite3";
import pg from "pg";

/**
 * The admin baseline: a bare node:http server answering the same four questions as the app (first page
 * with its total, a state filter, a search, a month's settlement report) with one raw query each on the
 * same database (better-sqlite3, or pg for PostgreSQL), as JSON. argv: <port> <DATABASE_URL> <shopId>
 */
const [port, url, shopId] = process.argv.slice(2) as [string, string, string];
const COLUMNS = `"id","createdAt","state","amountMinor","currency","test","cip","orderName","email","paidAt","cipExpiresAt"`;
type Query = (sql: string, params: unknown[]) => Promise<unknown[]>;
let query: Query;
if (url.startsWith("file:")) {
  const db = new Database(url.slice(5), { readonly: true });
  const cache = new Map<string, Database.Statement>();
  query = async (sql, params) => {
    let s = cache.get(sql);
    if (!s) cache.set(sql, (s = db.prepare(sql)));
    return s.all(...params);
  };
} else {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  query = async (sql, params) => {
    let i = 0;
    return (await pool.query(sql.replace(/\?/g, () => `$${++i}`), params)).rows;
  };
}

/**
 * The first page and its total counted up to the same bound as the app (the next 1,000 past the page): the same
 * work. Counting every row instead (a million) made the baseline the slow side, and on PostgreSQL its queued counts
 * kept the server busy into the app's next case.
 */
const COUNT_BOUND = 1_000;
const page = async (where: string, params: unknown[]) => {
  const [items, total] = await Promise.all([
    query(`SELECT ${COLUMNS} FROM "PaymentSession" WHERE "shopId" = ?${where} ORDER BY "createdAt" DESC, "id" DESC LIMIT 25`, [shopId, ...params]),
    query(`SELECT COUNT(*) AS "n" FROM (SELECT 1 FROM "PaymentSession" WHERE "shopId" = ?${where} LIMIT ${COUNT_BOUND}) AS "bounded"`, [shopId, ...params]),
  ]);
  return { items, total: Number((total[0] as { n: number | string }).n) };
};
/** PostgreSQL: ILIKE, as the app, which the pg_trgm indexes serve; SQLite: LIKE (ASCII case folded already). */
const like = url.startsWith("file:") ? "LIKE" : "ILIKE";

const server = http.createServer((req, res) => {
  const u = new URL(req.url ?? "/", "http://x");
  const answer = async (): Promise<unknown> => {
    switch (u.pathname) {
      case "/list":
        return page("", []);
      case "/filter":
        return page(` AND "state" = ?`, [u.searchParams.get("state") ?? "paid"]);
      case "/search": {
        const pattern = `%${u.searchParams.get("q") ?? ""}%`;
        return page(` AND ("cip" ${like} ? OR "orderName" ${like} ? OR "email" ${like} ? OR "id" ${like} ?)`, [pattern, pattern, pattern, pattern]);
      }
      case "/report":
        return query(
          `SELECT "channel", "currency", COUNT(*) AS "count", SUM("amountMinor") AS "gross", SUM("commissionMinor") AS "commission", SUM("netMinor") AS "net"
           FROM "SettlementLine" WHERE "shopId" = ? AND "paymentDate" >= ? AND "paymentDate" < ? GROUP BY "channel", "currency"`,
          [shopId, u.searchParams.get("from"), u.searchParams.get("to")],
        );
      default:
        return "ok";
    }
  };
  answer().then(
    (body) => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(body)),
    (error: unknown) => res.writeHead(500).end(String(error)),
  );
});
server.listen(Number(port), "127.0.0.1");
process.on("SIGTERM", () => {
  server.close();
  server.closeAllConnections();
  process.exit(0);
});
