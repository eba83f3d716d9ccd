// `npm run test:two-instances` (also run by .ci/run): two real app processes on one fresh
// PostgreSQL database behind a round-robin TCP balancer, sharing the sandbox stand-ins run as their
// own process (`npm run sandbox`). A few hundred checkouts and payments go through both; one
// instance is SIGKILLed mid-stream, and the other's clock runs 5 minutes ahead. Then: every session is resolved exactly once, and every call
// to Shopify is on the record with the instance that made it (except calls the killed process had
// in flight at the moment it died, which nobody can record; those are bounded and checked).
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

import { freePort } from "../helpers/test-app";
import { startTcpBalancer } from "./tcp-balancer";

const repo = path.resolve(import.meta.dirname, "../..");
const CHECKOUTS = Number(process.env.TWO_INSTANCES_CHECKOUTS ?? 200);
const CONCURRENCY = 12;
const KILL_AFTER = Math.floor(CHECKOUTS / 3);
const RUN_LIMIT_MS = 290_000;
const serverUrl = process.env.TEST_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";

const started = Date.now();
const log = (message: string) => process.stdout.write(`[${((Date.now() - started) / 1000).toFixed(1)}s] ${message}\n`);
const children: ChildProcess[] = [];
let failed = false;

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
    if (signal !== "SIGKILL" && signal !== "SIGTERM" && code !== 0) log(`${name} exited with ${code ?? signal}`);
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
  const watchdog = setTimeout(() => {
    process.stderr.write(`FAIL the run took longer than ${RUN_LIMIT_MS / 1000}s\n`);
    for (const child of children) child.kill("SIGKILL");
    process.exit(1);
  }, RUN_LIMIT_MS);
  watchdog.unref();

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
    // Instance b's clock runs 5 minutes ahead of a's (the sandbox clock; in production, drift): leases
    // are measured on the database's clock, so b must not take jobs a still holds.
    const skew = await json(`http://127.0.0.1:${ports.b.http}/sandbox/clock`, { method: "POST", body: JSON.stringify({ advanceSeconds: 300 }) });
    if (skew.status !== 200) throw new Error(`could not move instance b's clock (${skew.status})`);
    log(`instances a and b are ready on one PostgreSQL database (${dbName}); b's clock is 5 minutes ahead`);

    // Checkouts and payments, CONCURRENCY at a time; instance a is SIGKILLed part-way.
    const ids: string[] = [];
    let next = 0;
    let killedAt: number | null = null;
    const shopper = async () => {
      while (next < CHECKOUTS) {
        const n = next++;
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
        const cips = await waitFor(
          `the CIP of ${id}`,
          async () => {
            const found = await json<{ cips: Array<{ cip: string }> }>(`${sandboxUrl}/sandbox/pagoefectivo/cips?transactionCode=${id}`);
            const cip = found.body.cips[0]?.cip;
            // An instance killed while issuing it leaves no CIP yet: the shopper's page issues it
            // once the dead instance's issuing lease (60 s, app/use-cases/issue-cip) has run out.
            if (!cip && buyerPage) await fetch(buyerPage).catch(() => undefined);
            return cip;
          },
          100_000,
          1_000,
        );
        const paid = await json(`${sandboxUrl}/sandbox/pagoefectivo/cips/${cips}/pay`, { method: "POST", body: "{}" });
        if (paid.status >= 300) throw new Error(`paying CIP ${cips} failed with ${paid.status}`);
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, shopper));
    log(`${ids.length} checkouts accepted and paid; waiting for every session to be resolved`);

    type SessionView = { id: string; state: string; mutations: Array<{ name: string; at: string; result: string }> };
    const sessions = await waitFor(
      "every session resolved",
      async () => {
        const all = await json<{ paymentSessions: SessionView[] }>(`${sandboxUrl}/sandbox/shopify/payment-sessions`);
        const ours = all.body.paymentSessions.filter((s) => ids.includes(s.id));
        const open = ours.filter((s) => s.state !== "resolved");
        return open.length === 0 && ours.length === ids.length ? ours : null;
      },
      150_000,
      1_000,
    );
    // Let deliveries still in flight be recorded before reading the database.
    await sleep(2_000);
    log(`all ${sessions.length} sessions resolved`);

    // The simulator stamps its calls on the sandbox clock, which follows the instance whose clock runs
    // ahead (one sandbox clock, the furthest ahead wins): compare the kill on that clock.
    const sandboxClock = await json<{ offsetSeconds: number }>(`${sandboxUrl}/sandbox/clock`);
    const killedOnSandboxClock = killedAt === null ? null : killedAt + sandboxClock.body.offsetSeconds * 1000;

    // Every session resolved exactly once, never rejected.
    const detailed = await Promise.all(sessions.map((s) => json<SessionView>(`${sandboxUrl}/sandbox/shopify/payment-sessions/${s.id}`)));
    const resolveCounts = detailed.map((d) => d.body.mutations.filter((m) => m.name === "paymentSessionResolve" && m.result === "ok").length);
    const rejects = detailed.filter((d) => d.body.mutations.some((m) => m.name === "paymentSessionReject" && m.result === "ok"));
    check(resolveCounts.every((c) => c >= 1), "every session got a successful paymentSessionResolve");
    // Twice only where the killed instance's call was in flight when it died (its lease then ran out).
    const twice = detailed.filter((d, i) => (resolveCounts[i] ?? 0) > 1);
    const twiceOutsideKill = twice.filter((d) => {
      const first = d.body.mutations.find((m) => m.name === "paymentSessionResolve" && m.result === "ok");
      return killedOnSandboxClock === null || !first || Date.parse(first.at) > killedOnSandboxClock + 1_000;
    });
    check(twiceOutsideKill.length === 0 && twice.length <= 4, `every session resolved exactly once (${twice.length} resolved twice, all by a call in flight at the kill)`);
    check(rejects.length === 0, "no session was rejected");

    const db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
    const rows = await db.query<{ id: string; state: string; shopifyState: string | null }>(`SELECT id, state, "shopifyState" FROM "PaymentSession" WHERE id = ANY($1)`, [ids]);
    check(rows.rows.length === ids.length && rows.rows.every((r) => r.state === "paid" && r.shopifyState === "resolved"), "the app's database has every session paid and resolved at Shopify");
    const resolveJobs = await db.query<{ paymentSessionId: string; n: string }>(
      `SELECT "paymentSessionId", count(*) AS n FROM "OutboxJob" WHERE kind = 'payment_session.resolve' AND "paymentSessionId" = ANY($1) AND status = 'done' GROUP BY 1`,
      [ids],
    );
    check(resolveJobs.rows.length === ids.length && resolveJobs.rows.every((r) => r.n === "1"), "exactly one resolve job per session, each done");

    // Every call to Shopify is on the record with the instance that made it.
    const attempts = await db.query<{ paymentSessionId: string; instanceId: string | null; kind: string; detail: string; at: Date }>(
      `SELECT a."paymentSessionId", a."instanceId", j.kind, a.detail, a.at FROM "DeliveryAttempt" a JOIN "OutboxJob" j ON j.id = a."jobId" WHERE a."paymentSessionId" = ANY($1)`,
      [ids],
    );
    await db.end();
    const byInstance = new Map<string, number>();
    for (const a of attempts.rows) byInstance.set(a.instanceId ?? "none", (byInstance.get(a.instanceId ?? "none") ?? 0) + 1);
    check(attempts.rows.every((a) => a.instanceId === "a" || a.instanceId === "b"), "every delivery attempt names its instance");
    check((byInstance.get("a") ?? 0) > 0 && (byInstance.get("b") ?? 0) > 0, `both instances delivered (a: ${byInstance.get("a") ?? 0}, b: ${byInstance.get("b") ?? 0})`);

    // Calls Shopify received, per session and mutation, against attempts recorded that made a call.
    const madeCall = (detail: string) => !detail.replace(/^lease lost \(another instance owns the job\): /, "").startsWith("skipped");
    const kindOf: Record<string, string> = { paymentSessionPending: "payment_session.pending", paymentSessionResolve: "payment_session.resolve", paymentSessionReject: "payment_session.reject" };
    let unrecorded = 0;
    let unrecordedAfterKill = 0;
    for (const d of detailed) {
      for (const [mutation, kind] of Object.entries(kindOf)) {
        const calls = d.body.mutations.filter((m) => m.name === mutation);
        const recorded = attempts.rows.filter((a) => a.paymentSessionId === d.body.id && a.kind === kind && madeCall(a.detail)).length;
        if (calls.length > recorded) {
          unrecorded += calls.length - recorded;
          // Only calls the killed instance had in flight may be missing: there must be at least
          // as many calls from before the kill as there are calls missing from the record.
          const beforeKill = killedOnSandboxClock === null ? 0 : calls.filter((m) => Date.parse(m.at) <= killedOnSandboxClock + 1_000).length;
          if (calls.length - recorded > beforeKill) unrecordedAfterKill += calls.length - recorded - beforeKill;
        }
      }
    }
    check(unrecordedAfterKill === 0, "no call to Shopify after the kill is missing from the record");
    check(unrecorded <= 4, `calls not recorded: ${unrecorded} (at most the 4 the killed instance could have had in flight)`);
    const totalCalls = detailed.reduce((sum, d) => sum + d.body.mutations.length, 0);
    log(`Shopify received ${totalCalls} calls; ${attempts.rows.length} attempts recorded; connections a/b: http ${[...httpLb.counts.values()].join("/")}, mtls ${[...mtlsLb.counts.values()].join("/")}`);
  } finally {
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
