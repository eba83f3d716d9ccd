import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { appEnv, freePort, writeTls } from "../lib/app-env";
import { createBenchDb } from "../lib/bench-db";
import { alternate, log, parseArgs } from "../lib/compare";
import { type LoadRequest, runLoad } from "../lib/load";
import { REPO_ROOT, startServer } from "../lib/processes";
import { seedShop } from "../lib/seed";
import { emulatorLoad } from "./emulator-probe";

/**
 * `npm run bench:sessions [-- --duration 10 --connections 50 --rounds 2 --postgres|--pg URL --profile --keep --rate N]`
 *
 * Shopify's payment session requests over mutual TLS (client certificate checked), each a new session
 * with the buyer's phone, so the app stores it and creates its CIP in the PagoEfectivo emulator, which runs
 * in its own process (`npm run sandbox`): the app's own cost is what is measured. Baseline: a bare mTLS
 * server with the same certificates (bench/sessions/baseline-server.ts), alternated with the app.
 * Afterwards every session answered 201 must hold exactly one CIP and one pending job.
 * BENCH_APP_NODE_ARGS="--trace-gc --import ./bench/lib/loop-delay-probe.mjs" (with --keep) adds node flags to the app
 * process only, e.g. to see its GC pauses and event-loop stalls in the kept app.log.
 */
const TARGET = { ratio: 0.3, p99Ms: 50 };

async function main(): Promise<void> {
  const args = parseArgs();
  const root = mkdtempSync(path.join(tmpdir(), "pe-bench-sessions-"));
  const dataDir = path.join(root, "data");
  const sandboxDir = path.join(root, "sandbox");
  mkdirSync(dataDir);
  mkdirSync(sandboxDir);
  const encryptionKey = randomBytes(32);
  log(`sessions: ${args.engine}, ${args.connections} connections, ${args.durationSeconds} s per run, ${args.rounds} rounds`);
  const appDb = await createBenchDb({ engine: args.engine, dir: root, postgresUrl: args.postgresUrl, name: "app" });
  const shop = await seedShop(appDb, encryptionKey);
  const tls = writeTls(root);

  const sandboxPort = await freePort();
  const sandboxUrl = `http://127.0.0.1:${sandboxPort}`;
  const emulator = await startServer({
    name: "emulator",
    script: "app/sandbox/main.ts",
    env: { APP_MODE: "sandbox", HOST: "127.0.0.1", SANDBOX_PORT: String(sandboxPort), SANDBOX_URL: sandboxUrl, DATA_DIR: sandboxDir, LOG_LEVEL: "warn" },
    readyUrl: `${sandboxUrl}/healthz`,
    logFile: path.join(root, "emulator.log"),
  });
  const appPort = await freePort();
  const mtlsPort = await freePort();
  const basePort = await freePort();
  const registered = await fetch(`${sandboxUrl}/sandbox/pagoefectivo/services/${shop.idService}`, {
    method: "PUT",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ accessKey: shop.accessKey, secretKey: shop.secretKey, notificationUrl: `http://127.0.0.1:${appPort}/webhooks/pagoefectivo/${shop.notificationKey}` }),
  });
  if (!registered.ok) throw new Error(`emulator refused the service: ${registered.status} ${await registered.text()}`);

  const env = appEnv({ port: appPort, mtlsPort, dataDir, databaseUrl: appDb.url, encryptionKey, tls, pagoefectivoUrl: `${sandboxUrl}/sandbox/pagoefectivo` });
  const app = await startServer({
    name: "app",
    script: "app/main.ts",
    env,
    readyUrl: `http://127.0.0.1:${appPort}/healthz`,
    logFile: path.join(root, "app.log"),
    // BENCH_APP_NODE_ARGS (space-separated, e.g. "--trace-gc"): extra node flags for the app process only.
    nodeArgs: [...(process.env.BENCH_APP_NODE_ARGS?.split(" ").filter(Boolean) ?? []), ...(args.profile ? ["--cpu-prof", `--cpu-prof-dir=${path.join(REPO_ROOT, "bench/sessions/profiles")}`] : [])],
  });
  const baseline = await startServer({
    name: "baseline",
    script: "bench/sessions/baseline-server.ts",
    args: [String(basePort)],
    env: { BENCH_TLS: JSON.stringify({ cert: readFileSync(tls.files.cert, "utf8"), key: readFileSync(tls.files.key, "utf8"), clientCa: tls.clientCaPem }) },
    readyUrl: `${sandboxUrl}/healthz`,
    logFile: path.join(root, "baseline.log"),
  });
  await waitForTls(basePort, tls);
  const idle = app.rss();
  if (idle) log(`  app idle RSS ${(idle.rssBytes / 1048576).toFixed(0)} MiB`);

  const runId = randomBytes(3).toString("hex");
  const request = (round: number, who: string, n: number): LoadRequest => {
    const id = `${who}${runId}r${round}n${n}`;
    const body = JSON.stringify({
      id,
      gid: `gid://shopify/PaymentSession/${id}`,
      group: `g${id}`,
      session_id: `s${id}`,
      amount: "150.00",
      currency: "PEN",
      test: true,
      merchant_locale: "es-PE",
      payment_method: { type: "offsite", data: { cancel_url: `https://${shop.domain}/checkouts/${id}` } },
      proposed_at: new Date().toISOString().slice(0, 19) + "Z",
      customer: { email: "maria.quispe@example.pe", phone_number: "987654321", locale: "es-PE", billing_address: { given_name: "María", family_name: "Quispe", country_code: "PE", phone_number: "987654321" } },
      kind: "sale",
    });
    return {
      method: "POST",
      path: "/shopify/payment_session",
      headers: { "content-type": "application/json", "shopify-shop-domain": shop.domain, "shopify-request-id": `req-${id}`, "shopify-api-version": "2026-10" },
      body,
    };
  };
  const tlsClient = { cert: tls.client.certPem, key: tls.client.keyPem, ca: tls.serverCaPem, servername: "localhost" };
  // With --rate, every run sends that many sessions per second: the app's CPU per session then compares across runs.
  const common = { connections: args.connections, durationSeconds: args.durationSeconds, expectStatus: 201, tls: tlsClient, ...(args.rate ? { rate: args.rate } : {}) };
  let verdictLine = "";
  // The emulator serves only the app's runs: its CPU over them, per session, says how much of the two cores it took.
  const emulatorCpuBefore = emulator.cpuMs();
  try {
    const verdict = await alternate({
      name: `sessions${args.engine === "postgresql" ? "-pg" : ""}`,
      rounds: args.rounds,
      ratioTarget: TARGET.ratio,
      p99TargetMs: TARGET.p99Ms,
      app: { name: "app", process: app, settleUrl: `http://127.0.0.1:${appPort}/healthz`, load: (round) => ({ ...common, url: `https://127.0.0.1:${mtlsPort}`, next: (n) => request(round, "a", n) }) },
      baseline: { name: "bare-mtls", process: baseline, load: (round) => ({ ...common, url: `https://127.0.0.1:${basePort}`, next: (n) => request(round, "b", n) }) },
    });
    verdictLine = verdict.line;
    const emulatorCpu = (emulator.cpuMs() ?? 0) - (emulatorCpuBefore ?? 0);
    const answered = await appDb.get<{ n: number | string }>(`SELECT COUNT(*) AS n FROM "PaymentSession"`);
    if (emulatorCpuBefore !== null && Number(answered.n) > 0) log(`  the emulator's CPU during the app's runs: ${(emulatorCpu / Number(answered.n)).toFixed(2)} ms per session`);
    const probe = await runLoad(await emulatorLoad(`${sandboxUrl}/sandbox/pagoefectivo`, shop, args.connections, Math.min(args.durationSeconds, 5)));
    log(
      `  the emulator alone (POST /v1/cips, ${args.connections} connections): ${probe.rps.toFixed(0)} CIPs/s, p50 ${probe.p50} ms, p99 ${probe.p99} ms` +
        (probe.wrongStatus || probe.errors ? `, statuses ${JSON.stringify(probe.statuses)}` : ""),
    );
    const peak = app.rss();
    if (peak) log(`  app RSS after the runs ${(peak.rssBytes / 1048576).toFixed(0)} MiB, peak ${(peak.peakBytes / 1048576).toFixed(0)} MiB; emulator RSS ${((emulator.rss()?.rssBytes ?? 0) / 1048576).toFixed(0)} MiB`);
    const counts = await appDb.get<{ sessions: number | string; withCip: number | string; jobs: number | string }>(
      `SELECT (SELECT COUNT(*) FROM "PaymentSession") AS sessions,
              (SELECT COUNT(*) FROM "PaymentSession" WHERE "cip" IS NOT NULL AND "state"='pending') AS "withCip",
              (SELECT COUNT(*) FROM "OutboxJob" WHERE "kind"='payment_session.pending') AS jobs`,
    );
    log(`  app database: ${counts.sessions} sessions, ${counts.withCip} pending with a CIP, ${counts.jobs} pending jobs`);
    if (Number(counts.withCip) !== Number(counts.jobs)) throw new Error("every session with a CIP must have exactly one pending job");
  } finally {
    await app.stop();
    await baseline.stop();
    await emulator.stop();
    await appDb.drop();
    if (!args.keep) rmSync(root, { recursive: true, force: true });
    else log(`  kept ${root}`);
  }
  process.stdout.write(`${verdictLine}\n`);
}

/** The baseline has no plain-http port to poll: wait until its TLS listener accepts a request. */
async function waitForTls(port: number, tls: ReturnType<typeof writeTls>): Promise<void> {
  const https = await import("node:https");
  for (let i = 0; i < 100; i += 1) {
    const ok = await new Promise<boolean>((resolve) => {
      const req = https.request({ host: "127.0.0.1", port, method: "GET", path: "/", ca: tls.serverCaPem, servername: "localhost", cert: tls.client.certPem, key: tls.client.keyPem }, (res) => {
        res.resume();
        resolve(res.statusCode === 200);
      });
      req.on("error", () => resolve(false));
      req.end();
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("the bare mTLS baseline did not start");
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
