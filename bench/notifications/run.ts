import { createHmac, randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { appEnv, freePort, writeTls } from "../lib/app-env";
import { createBenchDb } from "../lib/bench-db";
import { alternate, log, parseArgs, type Verdict } from "../lib/compare";
import { type LoadRequest, runLoad } from "../lib/load";
import { REPO_ROOT, startServer } from "../lib/processes";
import { paidNotification, seedPendingSessions, seedShop } from "../lib/seed";

/**
 * `npm run bench:notifications [-- --duration 10 --connections 50 --rounds 2 --postgres|--pg URL --profile --keep]`
 *
 * Signed `cip.paid` notifications, each for a different pending session, through the real app (its own
 * process, production mode, worker off) against the bare baseline (bench/notifications/baseline-server.ts; with
 * --postgres, baseline-server-pg.ts on its own database on the same PostgreSQL server),
 * alternated; then the same notifications replayed (duplicates). Every run targets sessions never notified
 * before; afterwards the app's database must show exactly one paid state, one resolve job and one stored
 * notification per session answered 200.
 */
const TARGET = { ratio: 0.5, p99Ms: 25 };
/**
 * Each server first notifies sessions of its own for this long, not measured: a process just started runs its first
 * seconds unoptimised (JIT) and with cold caches, which made the first measured round of every run slower than the
 * rest for the app and for the baseline alike (bench/notifications/RESULTS.md, round 5).
 */
const WARM_UP_SECONDS = 2;

async function main(): Promise<void> {
  const args = parseArgs();
  const root = mkdtempSync(path.join(tmpdir(), "pe-bench-notifications-"));
  const dataDir = path.join(root, "data");
  mkdirSync(dataDir);
  const encryptionKey = randomBytes(32);
  // More pending sessions per run than the fastest server can notify in the run's time.
  const perRun = Math.max(5_000, args.durationSeconds * 7_000);
  // Then sessions only the warm-up notifies (WARM_UP_SECONDS per server before the measured runs).
  const warmUpFrom = perRun * args.rounds;
  const sessions = warmUpFrom + WARM_UP_SECONDS * 7_000;

  log(`notifications: ${args.engine}, ${args.connections} connections, ${args.durationSeconds} s per run, ${args.rounds} rounds; seeding ${sessions.toLocaleString("en-US")} pending sessions per server...`);
  const appDb = await createBenchDb({ engine: args.engine, dir: root, postgresUrl: args.postgresUrl, name: "app" });
  // Like for like: on PostgreSQL the baseline writes to PostgreSQL too (baseline-server-pg.ts).
  const baseDb = await createBenchDb({ engine: args.engine, dir: root, postgresUrl: args.postgresUrl, name: "baseline" });
  const shop = await seedShop(appDb, encryptionKey);
  await seedShop(baseDb, encryptionKey);
  await seedPendingSessions(appDb, shop.id, 0, sessions);
  await seedPendingSessions(baseDb, shop.id, 0, sessions);
  const tls = writeTls(root);

  const appPort = await freePort();
  const basePort = await freePort();
  const env = appEnv({ port: appPort, mtlsPort: await freePort(), dataDir, databaseUrl: appDb.url, encryptionKey, tls });
  const app = await startServer({
    name: "app",
    script: "app/main.ts",
    env,
    readyUrl: `http://127.0.0.1:${appPort}/healthz`,
    logFile: path.join(root, "app.log"),
    nodeArgs: args.profile ? ["--cpu-prof", `--cpu-prof-dir=${path.join(REPO_ROOT, "bench/notifications/profiles")}`] : [],
  });
  const baseline = await startServer({
    name: "baseline",
    script: baseDb.engine === "postgresql" ? "bench/notifications/baseline-server-pg.ts" : "bench/notifications/baseline-server.ts",
    args: [baseDb.engine === "postgresql" ? baseDb.url : baseDb.url.replace(/^file:/, ""), String(basePort), shop.secretKey],
    env: {},
    readyUrl: `http://127.0.0.1:${basePort}/`,
    logFile: path.join(root, "baseline.log"),
  });
  const idle = app.rss();
  if (idle) log(`  app idle RSS ${(idle.rssBytes / 1048576).toFixed(0)} MiB`);

  const bodies = new Map<number, { body: string; signature: string }>();
  const signed = (n: number) => {
    let entry = bodies.get(n);
    if (!entry) {
      const body = paidNotification(n);
      entry = { body, signature: createHmac("sha256", shop.secretKey).update(body).digest("hex") };
      if (bodies.size < 400_000) bodies.set(n, entry);
    }
    return entry;
  };
  const request = (pathname: string, n: number): LoadRequest => {
    const { body, signature } = signed(n);
    return { method: "POST", path: pathname, headers: { "content-type": "application/json", "pe-signature": signature }, body };
  };
  const appPath = `/webhooks/pagoefectivo/${shop.notificationKey}`;
  const basePath = "/";
  const common = { connections: args.connections, durationSeconds: args.durationSeconds, expectStatus: 200 };
  const answered = { app: [] as number[], baseline: [] as number[] };

  const verdicts: Verdict[] = [];
  try {
    for (const [url, pathname] of [
      [`http://127.0.0.1:${appPort}`, appPath],
      [`http://127.0.0.1:${basePort}`, basePath],
    ] as const) {
      await runLoad({ ...common, durationSeconds: WARM_UP_SECONDS, url, next: (n) => request(pathname, warmUpFrom + (n % (WARM_UP_SECONDS * 7_000))) });
    }
    verdicts.push(
      await alternate({
        name: `notifications-first-time${args.engine === "postgresql" ? "-pg" : ""}`,
        rounds: args.rounds,
        ratioTarget: TARGET.ratio,
        p99TargetMs: TARGET.p99Ms,
        app: {
          name: "app",
          process: app,
          settleUrl: `http://127.0.0.1:${appPort}/healthz`,
          load: (round) => ({ ...common, url: `http://127.0.0.1:${appPort}`, next: (n) => request(appPath, round * perRun + (n % perRun)) }),
          after: (_round, result) => void answered.app.push(result.requests),
        },
        baseline: {
          name: "baseline",
          process: baseline,
          settleUrl: `http://127.0.0.1:${basePort}/`,
          load: (round) => ({ ...common, url: `http://127.0.0.1:${basePort}`, next: (n) => request(basePath, round * perRun + (n % perRun)) }),
          after: (_round, result) => void answered.baseline.push(result.requests),
        },
      }),
    );
    // Replays of notifications each server already stored in its first round.
    const seen = (counts: number[]) => Math.max(1, Math.min(perRun, counts[0] ?? 1) - args.connections);
    verdicts.push(
      await alternate({
        name: `notifications-duplicate${args.engine === "postgresql" ? "-pg" : ""}`,
        rounds: args.rounds,
        ratioTarget: TARGET.ratio,
        p99TargetMs: TARGET.p99Ms,
        app: { name: "app", process: app, settleUrl: `http://127.0.0.1:${appPort}/healthz`, load: () => ({ ...common, url: `http://127.0.0.1:${appPort}`, next: (n) => request(appPath, n % seen(answered.app)) }) },
        baseline: { name: "baseline", process: baseline, settleUrl: `http://127.0.0.1:${basePort}/`, load: () => ({ ...common, url: `http://127.0.0.1:${basePort}`, next: (n) => request(basePath, n % seen(answered.baseline)) }) },
      }),
    );
    const peak = app.rss();
    if (peak) log(`  app RSS after the runs ${(peak.rssBytes / 1048576).toFixed(0)} MiB, peak ${(peak.peakBytes / 1048576).toFixed(0)} MiB`);

    // Exactly once: per paid session one notification stored as marked_paid and one resolve job.
    const counts = await appDb.get<{ paid: number | string; jobs: number | string; notes: number | string }>(
      `SELECT (SELECT COUNT(*) FROM "PaymentSession" WHERE "state"='paid') AS paid,
              (SELECT COUNT(*) FROM "OutboxJob" WHERE "kind"='payment_session.resolve') AS jobs,
              (SELECT COUNT(*) FROM "PagoEfectivoNotification" WHERE "outcome"='marked_paid') AS notes`,
    );
    const [paid, jobs, notes] = [Number(counts.paid), Number(counts.jobs), Number(counts.notes)];
    log(`  app database: ${paid} paid sessions, ${jobs} resolve jobs, ${notes} notifications marked_paid`);
    if (paid !== jobs || paid !== notes) throw new Error("exactly-once check failed: paid sessions, resolve jobs and notifications differ");
  } finally {
    await app.stop();
    await baseline.stop();
    await appDb.drop();
    await baseDb.drop();
    if (!args.keep) rmSync(root, { recursive: true, force: true });
    else log(`  kept ${root}`);
  }
  for (const v of verdicts) process.stdout.write(`${v.line}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
