import pg from "pg";
const url = "postgresql://postgres@127.0.0.1:5432/pe_bench_app_a2d8cc";
const pool = new pg.Pool({ connectionString: url, max: 10 });
const { rows } = await pool.query(`SELECT id FROM "ShopifySession" LIMIT 1`);
const id = rows[0].id;
const SQL = `SELECT s."id", s."shop", s."scope", s."expires", s."userId", s."firstName", s."lastName", s."email",
  s."accountOwner", s."locale" AS "sessionLocale", s."createdAt" AS "sessionCreatedAt",
  h."id" AS "shopId", h."domain", h."status", h."offlineTokenEncrypted", h."scopes", h."notificationKey",
  h."locale" AS "shopLocale", h."timezone", h."cipLifetimeHours", h."paymentConcept", h."externalHandle", h."ready",
  h."notificationUrlConfirmedAt", h."legalName", h."ruc"
FROM "ShopifySession" s JOIN "Shop" h ON h."domain" = s."shop"
WHERE s."id" = $1 AND s."isOnline" = $2 AND s."expires" > $3`;
const LIST = `SELECT "id", "createdAt", "state", "amountMinor", "currency", "test", "cip", "orderName", "email", "paidAt", "cipExpiresAt" FROM "PaymentSession" WHERE "shopId" = $1 ORDER BY "createdAt" DESC, "id" DESC LIMIT $2 OFFSET $3`;
async function run(named: boolean, ms: number) {
  const end = Date.now() + ms;
  let n = 0;
  const cpu0 = process.cpuUsage();
  await Promise.all(Array.from({ length: 50 }, async () => {
    while (Date.now() < end) {
      const now = new Date().toISOString().replace("Z", "");
      await pool.query(named ? { name: "p1", text: SQL, values: [id, true, now] } : { text: SQL, values: [id, true, now] });
      await pool.query(named ? { name: "l1", text: LIST, values: ["bench-shop-0", 50, 0] } : { text: LIST, values: ["bench-shop-0", 50, 0] });
      n++;
    }
  }));
  const cpu = process.cpuUsage(cpu0);
  console.log(named ? "named  " : "unnamed", (n / (ms / 1000)).toFixed(0), "pairs/s", ((cpu.user + cpu.system) / 1000 / n).toFixed(3), "ms app CPU/pair");
}
for (let i = 0; i < 3; i++) { await run(false, 3000); await run(true, 3000); }
await pool.end();
