import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

import BetterSqlite3 from "better-sqlite3";
import pg from "pg";

import { freePort } from "../helpers/test-app";
import { createTestDatabase, type TestDatabase } from "../helpers/test-database";

/**
 * The chaos suite's world (issue #10): the stand-ins run as their own process (`npm run sandbox`'s entry
 * point), the app as another (`npm start`'s entry point, app/main.ts), both on one business clock (a
 * SANDBOX_CLOCK_FILE the harness moves). The app can be SIGKILLed and started again on the same
 * database and DATA_DIR while the stand-ins keep their state.
 */

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));
export const DEMO_SHOP = "pagoefectivo-demo.myshopify.com";

export interface SimMutation {
  name: string;
  at: string;
  result: "ok" | "user_error" | "fault" | "error";
  fault?: string;
  applied?: boolean;
  replayed?: boolean;
}

export interface SimSession {
  id: string;
  state: string;
  mutations: SimMutation[];
}

export interface EmulatorCip {
  cip: string;
  status: string;
  transactionCode: string;
  payments: { operationNumber: string }[];
}

/** One try of the emulator to deliver a payment's notification (GET /sandbox/pagoefectivo/cips/:cip). */
export interface EmulatorNotification {
  deliveryId: string;
  attempt: number;
  httpStatus: number | null;
  at: string;
  error?: string;
}

export interface CheckoutAnswer {
  id: string;
  status: number | null;
  redirect_url?: string | null;
}

export class ChaosWorld {
  readonly dir: string;
  readonly clockFile: string;
  app: ChildProcess | null = null;
  sandbox: ChildProcess | null = null;
  appUrl = "";
  sandboxUrl = "";
  private appPort = 0;
  private mtlsPort = 0;
  private sandboxPort = 0;
  database: TestDatabase | null = null;
  readonly figures = { kills: 0, restarts: 0, faultsInjected: 0 };
  private readonly logs: string[] = [];

  /** Rewrites the database URL the app is given (the database-outage scenario sends PostgreSQL through a proxy). */
  databaseUrlForApp: (url: string) => string = (url) => url;

  constructor(readonly name: string, private readonly extraAppEnv: Record<string, string> = {}) {
    this.dir = mkdtempSync(path.join(tmpdir(), `pe-chaos-${name}-`));
    this.clockFile = path.join(this.dir, "clock-offset-ms");
    writeFileSync(this.clockFile, "0");
  }

  async start(): Promise<void> {
    this.database = await createTestDatabase();
    [this.appPort, this.mtlsPort, this.sandboxPort] = [await freePort(), await freePort(), await freePort()];
    this.appUrl = `http://127.0.0.1:${this.appPort}`;
    this.sandboxUrl = `http://127.0.0.1:${this.sandboxPort}`;
    mkdirSync(path.join(this.dir, "sandbox"), { recursive: true });
    this.sandbox = this.spawnNode("sandbox", "app/sandbox/main.ts", {
      HOST: "127.0.0.1",
      SANDBOX_PORT: String(this.sandboxPort),
      SANDBOX_URL: this.sandboxUrl,
      DATA_DIR: path.join(this.dir, "sandbox"),
      SANDBOX_CLOCK_FILE: this.clockFile,
      // The simulator warns on every session request the dead app could not take; the app's own lines matter more.
      LOG_LEVEL: process.env.CHAOS_SANDBOX_LOG_LEVEL ?? "error",
    });
    await this.waitHealthy(`${this.sandboxUrl}/healthz`, 60_000, this.sandbox);
    await this.startApp();
  }

  /** Starts (or restarts) the app process and waits until it answers and has registered with the simulator. */
  async startApp(): Promise<void> {
    this.app = this.spawnNode("app", "app/main.ts", {
      APP_MODE: "sandbox",
      PORT: String(this.appPort),
      HOST: "127.0.0.1",
      APP_URL: this.appUrl,
      MTLS_HOST: "127.0.0.1",
      MTLS_PORT: String(this.mtlsPort),
      DATA_DIR: path.join(this.dir, "app"),
      DATABASE_URL: this.databaseUrlForApp(this.database?.url ?? ""),
      SANDBOX_URL: this.sandboxUrl,
      SANDBOX_CLOCK_FILE: this.clockFile,
      POLL_PENDING_EVERY_SECONDS: "5",
      PAGOEFECTIVO_TIMEOUT_MS: "2000",
      ...this.extraAppEnv,
    });
    await this.waitHealthy(`${this.appUrl}/healthz`, 90_000, this.app);
    // afterListen registers the app with the simulator and installs the demo shop before "running".
    await waitFor(async () => (await this.simulator<{ apiKey?: string }>("GET", "/app")).status === 200, 30_000);
    // The simulator takes checkouts as soon as the demo shop is installed there, but the app stores the shop's
    // PagoEfectivo credentials (both environments) only after that, and rejects a session it has none for: on the
    // first start, wait until both emulator services point at this app (on restarts they already do). Shopify
    // itself sends no session before the app's paymentsAppConfigure(ready: true); the simulator does not model it.
    await waitFor(async () => {
      const services = (await this.emulator<{ services: { notificationUrl: string | null }[] }>("GET", "/services")).body.services;
      return services.filter((s) => s.notificationUrl?.startsWith(`${this.appUrl}/`)).length >= 2;
    }, 30_000);
  }

  /** SIGKILL: no shutdown hook runs, whatever was in flight is cut. */
  async killApp(): Promise<void> {
    const child = this.app;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGKILL");
    await exited;
    this.figures.kills += 1;
  }

  async restartApp(): Promise<void> {
    await this.startApp();
    this.figures.restarts += 1;
  }

  /** Moves the shared business clock forward (both processes read the same file). */
  advance(seconds: number): void {
    const current = Number(readFileSync(this.clockFile, "utf8")) || 0;
    const temporary = `${this.clockFile}.harness.tmp`;
    writeFileSync(temporary, String(current + seconds * 1000));
    renameSync(temporary, this.clockFile);
  }

  async simulator<T>(method: string, pathname: string, body?: unknown): Promise<{ status: number; body: T }> {
    return call<T>(`${this.sandboxUrl}/sandbox/shopify${pathname}`, method, body);
  }

  async emulator<T>(method: string, pathname: string, body?: unknown): Promise<{ status: number; body: T }> {
    return call<T>(`${this.sandboxUrl}/sandbox/pagoefectivo${pathname}`, method, body);
  }

  /** Starts a checkout; while the app is still installing the demo shop (just started) the simulator refuses, so try again. */
  async checkout(amount: string): Promise<{ status: number; body: CheckoutAnswer }> {
    let answer = await this.simulator<CheckoutAnswer>("POST", "/checkouts", { shop: DEMO_SHOP, amount, currency: "PEN" });
    for (let tries = 0; !answer.body.id && tries < 60; tries += 1) {
      await sleep(500);
      answer = await this.simulator<CheckoutAnswer>("POST", "/checkouts", { shop: DEMO_SHOP, amount, currency: "PEN" });
    }
    return answer;
  }

  /** Shopify retries a payment session request until it gets an answer (the simulator's resend). */
  async resendCheckout(id: string): Promise<{ status: number; body: CheckoutAnswer }> {
    return this.simulator<CheckoutAnswer>("POST", `/checkouts/${id}/resend`);
  }

  /**
   * What the buyer does: opens the page Shopify redirected to and reads the CIP. A session whose CIP was being
   * created when the app died waits for its creation lease (60 s of business time) to pass; then the app keeps
   * that creation as unconfirmed (it may have reached PagoEfectivo) and the page says to look for PagoEfectivo's
   * e-mail (DOC §5.1.2): the buyer reads the CIP there (here: the emulator's CIPs with the session's
   * transactionCode), or has none if the request never reached PagoEfectivo.
   */
  async cipShownToBuyer(redirectUrl: string, sessionId: string): Promise<{ cip: string | null; via: "page" | "email" }> {
    let last = "";
    const deadline = Date.now() + 120_000;
    for (let tries = 0; Date.now() < deadline; tries += 1) {
      try {
        last = "";
        const html = await (await fetch(redirectUrl)).text();
        last = html.replace(/<style[\s\S]*?<\/style>/g, "").replace(/<[^>]+>/g, " ").replace(/\s+/g, " ").slice(0, 600);
        const cip = /data-testid="cip"[^>]*>([^<]+)</.exec(html)?.[1]?.replace(/\s/g, "");
        if (cip && /^\d+$/.test(cip)) return { cip, via: "page" };
        if (html.includes('data-state="pending"')) {
          const emailed = (await this.emulator<{ cips: EmulatorCip[] }>("GET", `/cips?transactionCode=${sessionId.slice(0, 36)}`)).body.cips;
          if (emailed.length > 1) throw new Error(`${emailed.length} CIPs created for session ${sessionId}`);
          return { cip: emailed[0]?.cip ?? null, via: "email" };
        }
      } catch (error) {
        if (String(error).includes("CIPs created")) throw error;
        // the app is restarting
      }
      if (last !== "" && tries % 5 === 4) this.advance(61);
      await sleep(400);
    }
    throw new Error(`no CIP on the buyer page ${redirectUrl}: ${last}\n${this.tail()}`);
  }

  async sessions(): Promise<SimSession[]> {
    return (await this.simulator<{ paymentSessions: SimSession[] }>("GET", `/payment-sessions?shop=${DEMO_SHOP}`)).body.paymentSessions;
  }

  async cips(): Promise<EmulatorCip[]> {
    return (await this.emulator<{ cips: EmulatorCip[] }>("GET", "/cips")).body.cips;
  }

  /** One number read from the app's own database beside the running app: `sql` selects it as `n`. */
  async appDbCount(sql: string): Promise<number> {
    const database = this.database;
    if (!database) throw new Error("the world is not started");
    if (database.engine === "postgresql") {
      const client = new pg.Client({ connectionString: database.url });
      await client.connect();
      try {
        return Number((await client.query<{ n: string }>(sql)).rows[0]?.n ?? 0);
      } finally {
        await client.end();
      }
    }
    const db = new BetterSqlite3(database.url.replace(/^file:/, ""), { readonly: true, timeout: 2_000 });
    try {
      return Number((db.prepare(sql).get() as { n: number }).n);
    } finally {
      db.close();
    }
  }

  async stop(): Promise<void> {
    for (const child of [this.app, this.sandbox]) {
      if (child && child.exitCode === null) {
        const exited = new Promise((resolve) => child.once("exit", resolve));
        child.kill("SIGKILL");
        await exited;
      }
    }
    if (process.env.CHAOS_KEEP) {
      process.stdout.write(`chaos ${this.name}: kept ${this.dir} and ${this.database?.url}\n`);
      return;
    }
    await this.database?.drop();
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** Log lines of the app that report an unhandled error (answered 500). */
  unhandledErrors(): number {
    return this.logs.filter((chunk) => chunk.startsWith("[app]")).reduce((sum, chunk) => sum + chunk.split('"msg":"unhandled error"').length - 1, 0);
  }

  /** How many times the app's log says `text` (e.g. a message at warn level or above). */
  appLogCount(text: string): number {
    return this.logs.filter((chunk) => chunk.startsWith("[app]")).reduce((sum, chunk) => sum + chunk.split(text).length - 1, 0);
  }

  /** The app's log lines (warn and above by default) that contain `text`, the last `max` of them. */
  appLogLinesWith(text: string, max = 20): string[] {
    const lines = this.logs.filter((chunk) => chunk.startsWith("[app]")).flatMap((chunk) => chunk.split("\n").filter((line) => line.includes(text)));
    return lines.slice(-max);
  }

  /** The last lines both processes wrote (for a failure message). */
  tail(lines = 40): string {
    return this.logs.filter((line) => !line.includes('"level":30')).slice(-lines).join("");
  }

  private spawnNode(label: string, entry: string, env: Record<string, string>): ChildProcess {
    const child = spawn(process.execPath, ["--import", "tsx", entry], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", LOG_LEVEL: process.env.CHAOS_LOG_LEVEL ?? "warn", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const keep = (chunk: Buffer) => {
      this.logs.push(`[${label}] ${chunk.toString("utf8")}`);
      if (this.logs.length > 4000) this.logs.splice(0, this.logs.length - 4000);
    };
    child.stdout?.on("data", keep);
    child.stderr?.on("data", keep);
    return child;
  }

  private async waitHealthy(url: string, timeoutMs: number, child: ChildProcess | null): Promise<void> {
    await waitFor(async () => {
      // A process that exited (bad configuration, missing build) will never answer: say so now.
      if (child && child.exitCode !== null) throw new ProcessExited(`the process exited with code ${child.exitCode}`);
      try {
        return (await fetch(url)).ok;
      } catch {
        return false;
      }
    }, timeoutMs).catch((error: unknown) => {
      throw new Error(`${url} did not come up: ${String(error)}\n${this.tail()}`);
    });
  }
}

export async function call<T>(url: string, method: string, body?: unknown): Promise<{ status: number; body: T }> {
  const response = await fetch(url, {
    method,
    headers: body === undefined ? {} : { "Content-Type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // not JSON
  }
  return { status: response.status, body: parsed as T };
}

class ProcessExited extends Error {}

export async function waitFor(check: () => Promise<boolean>, timeoutMs: number, everyMs = 200): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (await check()) return;
    } catch (error) {
      if (error instanceof ProcessExited) throw error;
      // not yet
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms`);
    await sleep(everyMs);
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves that took effect at Shopify: answered ok (not a replay), or faulted after being applied. */
export function effective(session: SimSession, name: string): SimMutation[] {
  return session.mutations.filter((m) => m.name === name && ((m.result === "ok" && !m.replayed) || (m.result === "fault" && m.applied === true)));
}

/** Calls of `name` made after the first one the app saw succeed (there must be none). */
export function repeatedAfterSuccess(session: SimSession, name: string): SimMutation[] {
  const index = session.mutations.findIndex((m) => m.name === name && m.result === "ok");
  return index < 0 ? [] : session.mutations.slice(index + 1).filter((m) => m.name === name);
}

/** Runs `tasks` with at most `limit` at a time. */
export async function pool<T>(items: readonly T[], limit: number, task: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      for (let i = next++; i < items.length; i = next++) await task(items[i] as T, i);
    }),
  );
}
