// `npm run test:two-instances` (also run by .ci/run): two real app processes on one fresh
// PostgreSQL database behind a round-robin TCP balancer, sharing the sandbox stand-ins run as their
// own process (`npm run sandbox`). A few hundred checkouts and payments go through both; mid-stream
// the sandbox clock jumps 5 minutes ahead (moved through instance b; it is one clock for every process,
// so leases held at that moment must not look spent: they are measured on the database's clock), and
// later instance a is SIGKILLed. Then: every session is resolved exactly once, and every call to
// Shopify is on the record with the instance that made it (the app names itself in User-Agent and the
// simulator keeps it), except calls the killed instance had in flight when it died, which nobody can
// record: only instance a's, at most its worker's concurrency, and they explain every double resolve.
//
// Needs a PostgreSQL server: TEST_DATABASE_URL (default postgresql://postgres@127.0.0.1:5432/postgres);
// a database is created for the run and dropped after it. Bounded: gives up after RUN_LIMIT_MS.
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

import pg from "pg";

import { record } from "../chaos/chaos-report";
import { freePort } from "../helpers/test-app";
import { startTcpBalancer } from "./tcp-balancer";

const repo = path.resolve(import.meta.dirname, "../..");
const CHECKOUTS = Number(process.env.TWO_INSTANCES_CHECKOUTS ?? 200);
const CONCURRENCY = 12;
const JUMP_AFTER = Math.floor(CHECKOUTS / 6);
const KILL_AFTER = Math.floor(CHECKOUTS / 3);
// Bounded, with room for a machine shared by many jobs (measured: 190 s at a load of 16 on 2 cores, over 290 s at 24).
const RUN_LIMIT_MS = 480_000;
/** After the last payment. A notification lost at the kill is retried by PagoEfectivo 2 s later. */
const RESOLVE_LIMIT_MS = 120_000;
const serverUrl = process.env.TEST_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";

const started = Date.now();
const log = (message: string) => process.stdout.write(`[${((Date.now() - started) / 1000).toFixed(1)}s] ${message}\n`);
const children: ChildProcess[] = [];
let failed = false;
/** Set once the run has started: a process that dies without being killed ends the run at once, saying which. */
let onUnexpectedExit: ((message: string) => void) | null = null;

function check(condition: boolean, message: string): void {
  if (condition) {
    log(`ok   ${message}`);
  } else {
    failed = true;
    process.stderr.write(`FAIL ${message}\n`);
  }
}

function spawnNode(name: string, entry: string, env: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, ["--import", "tsx", entry], {
    cwd: repo,
    env: { ...process.env, ...env, LOG_LEVEL: process.env.TWO_INSTANCES_LOG_LEVEL ?? "warn" },
    stdio: ["ignore", "inherit", "inherit"],
  });
  child.on("exit", (code, signal) => {
    if (signal !== "SIGKILL" && signal !== "SIGTERM" && code !== 0) {
      log(`${name} exited with ${code ?? signal}`);
      onUnexpectedExit?.(`${name} exited with ${code ?? signal} on its own (see its log above)`);
    }
  });
  children.push(child);
  return child;
}

async function waitFor<T>(what: string, check: () => Promise<T | null | undefined | false>, timeoutMs: number, everyMs = 250): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(everyMs);
  }
}

async function json<T>(url: string, init: RequestInit = {}): Promise<{ status: number; body: T }> {
  const response = await fetch(url, { ...init, headers: { "Content-Type": "application/json", ...init.headers } });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : null) as T };
}

async function main(): Promise<void> {
  const dbName = `pe_two_instances_${Date.now()}_${randomBytes(3).toString("hex")}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${dbName}"`);
  const dbUrl = new URL(serverUrl);
  dbUrl.pathname = `/${dbName}`;
  const databaseUrl = dbUrl.toString();
  const tmp = mkdtempSync(path.join(tmpdir(), "pe-two-instances-"));
  const balancers: Array<{ close(): Promise<void> }> = [];
  const abort = (why: string) => {
    process.stderr.write(`FAIL ${why}\n`);
    for (const child of children) child.kill("SIGKILL");
    void admin
      .query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`)
      .catch(() => undefined)
      .finally(() => {
        rmSync(tmp, { recursive: true, force: true });
        process.exit(1);
      });
  };
  const watchdog = setTimeout(() => abort(`the run took longer than ${RUN_LIMIT_MS / 1000}s`), RUN_LIMIT_MS);
  watchdog.unref();
  onUnexpectedExit = abort;
  process.once("SIGINT", () => abort("interrupted (SIGINT)"));
  process.once("SIGTERM", () => abort("terminated (SIGTERM)"));

  try {
    // The stand-ins, as their own process.
    const sandboxPort = await freePort();
    const sandboxUrl = `http://127.0.0.1:${sandboxPort}`;
    spawnNode("sandbox", "app/sandbox/main.ts", { DATA_DIR: path.join(tmp, "sandbox"), SANDBOX_PORT: String(sandboxPort), HOST: "127.0.0.1", SANDBOX_URL: sandboxUrl });
    await waitFor("the sandbox", async () => (await fetch(`${sandboxUrl}/healthz`)).ok, 60_000);

    // Two instances behind one balancer for the main port and one for the mTLS port.
    const ports = { a: { http: await freePort(), mtls: await freePort() }, b: { http: await freePort(), mtls: await freePort() } };
    const httpLb = await startTcpBalancer([ports.a.http, ports.b.http]);
    const mtlsLb = await startTcpBalancer([ports.a.mtls, ports.b.mtls]);
    balancers.push(httpLb, mtlsLb);
    const shared = {
      APP_MODE: "sandbox",
      HOST: "127.0.0.1",
      MTLS_HOST: "127.0.0.1",
      APP_URL: `http://127.0.0.1:${httpLb.port}`,
      MTLS_PUBLIC_URL: `https://localhost:${mtlsLb.port}`,
      DATA_DIR: path.join(tmp, "app"),
      DATABASE_URL: databaseUrl,
      SANDBOX_URL: sandboxUrl,
      ENCRYPTION_KEY: randomBytes(32).toString("base64"),
      OUTBOX_LEASE_SECONDS: "15",
      // Sizes the CIP-issuing lease (3 x 8 s + 5 s = 29 s, app/use-cases/issue-cip) that a creation cut
      // short by the kill holds before the buyer page may try again.
      PAGOEFECTIVO_TIMEOUT_MS: "8000",
      POLL_PENDING_EVERY_SECONDS: "5",
      SHUTDOWN_GRACE_SECONDS: "5",
    };
    const startInstance = async (id: "a" | "b") => {
      const child = spawnNode(`instance ${id}`, "app/main.ts", { ...shared, INSTANCE_ID: id, PORT: String(ports[id].http), MTLS_PORT: String(ports[id].mtls) });
      await waitFor(`instance ${id}`, async () => (await fetch(`http://127.0.0.1:${ports[id].http}/readyz`)).ok, 90_000);
      // Ready means listening; the sandbox wiring (demo shop, credentials) finishes just after.
      await waitFor(`instance ${id}'s sandbox setup`, async () => (await json<{ shops: unknown[] }>(`${sandboxUrl}/sandbox/shopify/shops`)).body.shops.length > 0, 30_000);
      return child;
    };
    // One after the other: the first sets up the demo shop, the second finds it.
    const a = await startInstance("a");
    await sleep(2_000);
    await startInstance("b");
    log(`instances a and b are ready on one PostgreSQL database (${dbName})`);

    // Checkouts and payments, CONCURRENCY at a time; instance a is SIGKILLed part-way.
    const ids: string[] = [];
    /** Sessions whose creation the kill cut before PagoEfectivo got it: no CIP exists, none is paid. */
    const interrupted = new Set<string>();
    const NO_CIP = "none";
    const appSession = async (id: string) => {
      const db = new pg.Client({ connectionString: databaseUrl });
      await db.connect();
      try {
        const row = await db.query<{ cip: string | null; cipExpiresAt: Date | null }>(`SELECT cip, "cipExpiresAt" FROM "PaymentSession" WHERE id = $1`, [id]);
        const found = row.rows[0];
        return found ? { unconfirmed: found.cip === null && found.cipExpiresAt !== null } : null;
      } finally {
        await db.end();
      }
    };
    let next = 0;
    let killedAt: number | null = null;
    const shopper = async () => {
      while (next < CHECKOUTS) {
        const n = next++;
        if (n === JUMP_AFTER) {
          // Business time jumps while both instances hold leases (outbox jobs, CIP creations, the poller's).
          const jump = await json(`http://127.0.0.1:${ports.b.http}/sandbox/clock`, { method: "POST", body: JSON.stringify({ advanceSeconds: 300 }) });
          if (jump.status !== 200) throw new Error(`could not move the sandbox clock through instance b (${jump.status})`);
          log(`moved the sandbox clock 5 minutes ahead through instance b after ${n} checkouts`);
        }
        if (n === KILL_AFTER && killedAt === null) {
          killedAt = Date.now();
          a.kill("SIGKILL");
          log(`SIGKILLed instance a after ${n} checkouts`);
        }
        const amount = `${10 + (n % 90)}.${String(n % 100).padStart(2, "0")}`;
        let checkout = await json<{ id: string; status: number | null; redirect_url?: string }>(`${sandboxUrl}/sandbox/shopify/checkouts`, {
          method: "POST",
          body: JSON.stringify({ amount, currency: "PEN", test: false }),
        });
        // Shopify retries a session request that got no answer; so do we (same session id).
        for (let retry = 0; checkout.body.status !== 201 && retry < 10; retry += 1) {
          await sleep(300);
          checkout = await json(`${sandboxUrl}/sandbox/shopify/checkouts/${checkout.body.id}/resend`, { method: "POST" });
        }
        if (checkout.body.status !== 201) throw new Error(`checkout ${checkout.body.id} was never accepted (${checkout.body.status})`);
        const id = checkout.body.id;
        ids.push(id);
        const buyerPage = checkout.body.redirect_url;
        const cipAtPagoEfectivo = async () =>
          (await json<{ cips: Array<{ cip: string }> }>(`${sandboxUrl}/sandbox/pagoefectivo/cips?transactionCode=${id}`)).body.cips[0]?.cip;
        const cips = await waitFor(
          `the CIP of ${id}`,
          async () => {
            const cip = await cipAtPagoEfectivo();
            if (cip) return cip;
            // Instance a killed while this session's creation held the issuing lease: once the lease runs out
            // (29 s here) the app cannot know whether PagoEfectivo got the request (v1 has no search by
            // transactionCode), so it sends no second one and keeps the session pending, "unconfirmed"
            // (IssueCip.keepInterrupted). Killed after PagoEfectivo created it: the CIP exists, is paid below,
            // and the app links the payment to the cut-short creation. Killed before: there is no CIP to pay.
            if (buyerPage) await fetch(buyerPage).catch(() => undefined);
            if ((await appSession(id))?.unconfirmed) return (await cipAtPagoEfectivo()) ?? NO_CIP;
            return undefined;
          },
          100_000,
          1_000,
        );
        if (cips === NO_CIP) {
          interrupted.add(id);
          log(`${id}: creation interrupted by the kill before PagoEfectivo created a CIP; it stays pending, unconfirmed`);
          continue;
        }
        const paid = await json(`${sandboxUrl}/sandbox/pagoefectivo/cips/${cips}/pay`, { method: "POST", body: "{}" });
        if (paid.status >= 300) throw new Error(`paying CIP ${cips} failed with ${paid.status}`);
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, shopper));
    const paidIds = ids.filter((id) => !interrupted.has(id));
    log(`${ids.length} checkouts accepted, ${paidIds.length} paid; waiting for every paid session to be resolved`);

    type Mutation = { name: string; at: string; result: string; userAgent?: string };
    type SessionView = { id: string; state: string; mutations: Mutation[] };
    const listed = async () => {
      const all = await json<{ paymentSessions: SessionView[] }>(`${sandboxUrl}/sandbox/shopify/payment-sessions`);
      return all.body.paymentSessions.filter((s) => paidIds.includes(s.id));
    };
    let sessions: SessionView[];
    try {
      sessions = await waitFor(
        "every session resolved",
        async () => {
          const ours = await listed();
          return ours.length === paidIds.length && ours.every((s) => s.state === "resolved") ? ours : null;
        },
        RESOLVE_LIMIT_MS,
        1_000,
      );
    } catch (error) {
      // Say which ones and where they stand in the app, so a failure can be diagnosed from the log.
      const open = (await listed().catch(() => [])).filter((s) => s.state !== "resolved");
      const db = new pg.Client({ connectionString: databaseUrl });
      await db.connect();
      for (const s of open.slice(0, 10)) {
        const row = await db.query(`SELECT state, "shopifyState", cip, "cipExpiresAt", "issuingUntil", "cipAttempts" FROM "PaymentSession" WHERE id = $1`, [s.id]);
        const events = await db.query(`SELECT type, at FROM "PaymentEvent" WHERE "paymentSessionId" = $1 ORDER BY at`, [s.id]);
        const jobs = await db.query(`SELECT kind, status, attempts, "lockedBy", "leaseUntil", "lastError" FROM "OutboxJob" WHERE "paymentSessionId" = $1`, [s.id]);
        process.stderr.write(
          `unresolved ${s.id} at Shopify: ${s.state}, calls ${JSON.stringify(s.mutations.map((m) => [m.name, m.result]))}\n` +
            `  app: ${JSON.stringify(row.rows[0])}\n  events: ${events.rows.map((e: { type: string }) => e.type).join(", ")}\n  jobs: ${JSON.stringify(jobs.rows)}\n`,
        );
      }
      await db.end();
      throw new Error(`${open.length} of ${paidIds.length} paid sessions not resolved within ${RESOLVE_LIMIT_MS / 1000}s after the last payment`, { cause: error });
    }
    // Let deliveries still in flight be recorded before reading the database.
    await sleep(2_000);
    log(`all ${sessions.length} sessions resolved`);

    const detailed = (await Promise.all(sessions.map((s) => json<SessionView>(`${sandboxUrl}/sandbox/shopify/payment-sessions/${s.id}`)))).map((d) => d.body);
    const instanceOf = (m: Mutation) => /\(instance ([^)]+)\)/.exec(m.userAgent ?? "")?.[1] ?? "unknown";
    const allCalls = detailed.flatMap((d) => d.mutations);
    check(allCalls.every((m) => instanceOf(m) === "a" || instanceOf(m) === "b"), "every call Shopify received names the instance that made it (User-Agent)");

    const db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
    // The jobs instance a held when it was killed are taken over by b once their leases run out (29 s here); b then
    // records a's attempt as interrupted (PrismaOutboxRepository.recordInterrupted) and runs the job again, so a
    // resolve a's call already got to Shopify is recorded done only then. Wait for all of it before counting.
    await waitFor(
      "instance a's claimed jobs taken over and every resolve job done",
      async () => {
        const held = Number((await db.query<{ n: string }>(`SELECT count(*) AS n FROM "OutboxJob" WHERE "lockedBy" = 'a' AND status = 'pending'`)).rows[0]?.n ?? 0);
        const open = Number(
          (await db.query<{ n: string }>(`SELECT count(*) AS n FROM "OutboxJob" WHERE kind = 'payment_session.resolve' AND "paymentSessionId" = ANY($1) AND status <> 'done'`, [paidIds])).rows[0]?.n ?? 0,
        );
        return held === 0 && open === 0;
      },
      RESOLVE_LIMIT_MS,
      1_000,
    );
    const rows = await db.query<{ id: string; state: string; shopifyState: string | null }>(`SELECT id, state, "shopifyState" FROM "PaymentSession" WHERE id = ANY($1)`, [paidIds]);
    check(rows.rows.length === paidIds.length && rows.rows.every((r) => r.state === "paid" && r.shopifyState === "resolved"), "the app's database has every paid session paid and resolved at Shopify");
    const cut = await db.query<{ id: string; state: string; cip: string | null }>(`SELECT id, state, cip FROM "PaymentSession" WHERE id = ANY($1)`, [[...interrupted]]);
    check(cut.rows.every((r) => r.state === "pending" && r.cip === null), `the ${interrupted.size} sessions whose creation the kill cut before PagoEfectivo stay pending, unconfirmed`);
    const cutAtShopify = (await json<{ paymentSessions: SessionView[] }>(`${sandboxUrl}/sandbox/shopify/payment-sessions`)).body.paymentSessions.filter((x) => interrupted.has(x.id));
    check(cutAtShopify.every((x) => x.state === "pending"), "and pending at Shopify, neither resolved nor rejected");
    const resolveJobs = await db.query<{ paymentSessionId: string; n: string }>(
      `SELECT "paymentSessionId", count(*) AS n FROM "OutboxJob" WHERE kind = 'payment_session.resolve' AND "paymentSessionId" = ANY($1) AND status = 'done' GROUP BY 1`,
      [paidIds],
    );
    check(resolveJobs.rows.length === paidIds.length && resolveJobs.rows.every((r) => r.n === "1"), "exactly one resolve job per session, each done");
    const attempts = await db.query<{ paymentSessionId: string; instanceId: string | null; kind: string; outcome: string; detail: string }>(
      `SELECT a."paymentSessionId", a."instanceId", j.kind, a.outcome, a.detail FROM "DeliveryAttempt" a JOIN "OutboxJob" j ON j.id = a."jobId" WHERE a."paymentSessionId" = ANY($1)`,
      [ids],
    );
    await db.end();
    const byInstance = new Map<string, number>();
    for (const a of attempts.rows) byInstance.set(a.instanceId ?? "none", (byInstance.get(a.instanceId ?? "none") ?? 0) + 1);
    check(attempts.rows.every((a) => a.instanceId === "a" || a.instanceId === "b"), "every delivery attempt recorded names its instance");
    check((byInstance.get("a") ?? 0) > 0 && (byInstance.get("b") ?? 0) > 0, `both instances delivered (a: ${byInstance.get("a") ?? 0}, b: ${byInstance.get("b") ?? 0})`);

    // Calls Shopify received, per session, mutation and instance, against the attempts that instance
    // recorded as having made a call. Instance b ran to the end: all of its calls must be on the record.
    // Instance a's may lack only what it had in flight when it was SIGKILLed.
    const madeCall = (detail: string) => !detail.replace(/^lease lost \(another instance owns the job\): /, "").startsWith("skipped");
    const kindOf: Record<string, string> = { paymentSessionPending: "payment_session.pending", paymentSessionResolve: "payment_session.resolve", paymentSessionReject: "payment_session.reject" };
    const missing = { a: 0, b: 0 };
    const missingResolveOfA = new Set<string>();
    for (const d of detailed) {
      for (const [mutation, kind] of Object.entries(kindOf)) {
        for (const instance of ["a", "b"] as const) {
          const calls = d.mutations.filter((m) => m.name === mutation && instanceOf(m) === instance).length;
          const recorded = attempts.rows.filter((a) => a.paymentSessionId === d.id && a.kind === kind && a.instanceId === instance && madeCall(a.detail)).length;
          if (calls > recorded) {
            missing[instance] += calls - recorded;
            if (instance === "a" && mutation === "paymentSessionResolve") missingResolveOfA.add(d.id);
          }
        }
      }
    }
    check(missing.b === 0, `every call instance b made is recorded with instance b (${missing.b} missing)`);
    check(missing.a === 0, `every call instance a made is recorded with instance a, those in flight when it was SIGKILLed as interrupted (${missing.a} missing)`);
    const interruptedOfA = attempts.rows.filter((a) => a.instanceId === "a" && a.outcome === "interrupted");
    // At most one claimed batch (the worker's default batchSize, 20): claimed jobs not yet started count too ("may have").
    check(interruptedOfA.length <= 20, `instance a's interrupted attempts (${interruptedOfA.length}) are at most the batch it could hold when SIGKILLed`);
    const interruptedResolveOfA = new Set(interruptedOfA.filter((a) => a.kind === "payment_session.resolve").map((a) => a.paymentSessionId));

    // Every session resolved exactly once, never rejected; a second successful resolve is allowed only
    // where instance a's resolve reached Shopify and a died before recording it (its lease then ran out).
    const resolvedOk = (d: SessionView) => d.mutations.filter((m) => m.name === "paymentSessionResolve" && m.result === "ok");
    check(detailed.every((d) => resolvedOk(d).length >= 1), "every session got a successful paymentSessionResolve");
    const twice = detailed.filter((d) => resolvedOk(d).length > 1);
    const unexplained = twice.filter((d) => resolvedOk(d).length > 2 || !(missingResolveOfA.has(d.id) || interruptedResolveOfA.has(d.id)));
    check(unexplained.length === 0, `every session resolved exactly once (${twice.length} twice, each after instance a's call in flight at the kill, recorded as interrupted; ${unexplained.length} otherwise)`);
    check(detailed.every((d) => !d.mutations.some((m) => m.name === "paymentSessionReject" && m.result === "ok")), "no session was rejected");
    const totalCalls = allCalls.length;
    // The chaos suite's figures (test/chaos/two-instances.chaos.ts runs this script; README "Guarantees").
    record("two-instances-postgresql", {
      checkouts: ids.length,
      paid: paidIds.length,
      interruptedBeforePagoEfectivo: interrupted.size,
      shopifyCalls: totalCalls,
      attemptsRecorded: attempts.rows.length,
      faultsInjected: 2,
      kills: 1,
      clockJumps: 1,
      unrecordedCallsOfKilled: missing.a,
      interruptedAttemptsOfKilled: interruptedOfA.length,
      resolvedTwiceByKilledInFlight: twice.length - unexplained.length,
      lost: detailed.filter((d) => resolvedOk(d).length === 0).length + (paidIds.length - detailed.length),
      doubled: unexplained.length,
      stuck: paidIds.length - rows.rows.filter((r) => r.state === "paid" && r.shopifyState === "resolved").length,
      seconds: Math.round((Date.now() - started) / 1000),
    });
    log(`Shopify received ${totalCalls} calls; ${attempts.rows.length} attempts recorded; connections a/b: http ${[...httpLb.counts.values()].join("/")}, mtls ${[...mtlsLb.counts.values()].join("/")}`);
  } finally {
    onUnexpectedExit = null;
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    await sleep(1_500);
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    for (const balancer of balancers) await balancer.close();
    await admin.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`).catch(() => undefined);
    await admin.end();
    rmSync(tmp, { recursive: true, force: true });
  }
  log(failed ? "two-instance test FAILED" : "two-instance test passed");
  process.exit(failed ? 1 : 0);
}

main().catch((error: unknown) => {
  process.stderr.write(`FAIL ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  for (const child of children) child.kill("SIGKILL");
  process.exit(1);
});
