import { type ChildProcess, spawn } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { eventually, freePort } from "../helpers/test-app";

const repo = path.resolve(import.meta.dirname, "../..");

/**
 * `npm start` as an operator runs it, from a clone under a directory whose name starts with a dot
 * (~/.cache/…): the admin panel's index must still be served, and the signals an operator or a
 * process manager sends must stop the server, not leave it holding the port.
 */
describe("npm start from a path with a dot-directory", () => {
  let base: string;
  let clone: string;

  beforeAll(() => {
    base = mkdtempSync(path.join(tmpdir(), "pe-dotpath-"));
    clone = path.join(base, ".cache", "pagoefectivo-shopify");
    mkdirSync(clone, { recursive: true });
    for (const entry of ["app", "prisma", "scripts", "package.json", "tsconfig.json"]) {
      cpSync(path.join(repo, entry), path.join(clone, entry), { recursive: true });
    }
    symlinkSync(path.join(repo, "node_modules"), path.join(clone, "node_modules"), "dir");
    // A built panel (no web/src in the copy, so start.mjs serves it as it is).
    mkdirSync(path.join(clone, "web/dist/assets"), { recursive: true });
    writeFileSync(path.join(clone, "web/dist/index.html"), "<!doctype html><title>panel</title><div id=root>panel from a dot path</div>");
  });

  afterAll(() => {
    rmSync(base, { recursive: true, force: true });
  });

  async function start(): Promise<{ child: ChildProcess; url: string; output: () => string }> {
    const port = await freePort();
    const dataDir = path.join(base, `data-${port}`);
    let output = "";
    const child = spawn(process.execPath, ["scripts/start.mjs"], {
      cwd: clone,
      env: { ...process.env, APP_MODE: "sandbox", PORT: String(port), HOST: "127.0.0.1", DATA_DIR: dataDir, LOG_LEVEL: "info", SHUTDOWN_GRACE_SECONDS: "5", DATABASE_URL: "" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout?.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr?.on("data", (d: Buffer) => (output += d.toString()));
    const url = `http://127.0.0.1:${port}`;
    await eventually(async () => {
      if (child.exitCode !== null) throw new Error(`npm start exited with ${child.exitCode}`);
      return (await fetch(`${url}/healthz`)).ok;
    }, 90_000, 250).catch((error: unknown) => {
      child.kill("SIGKILL");
      throw new Error(`the app did not start: ${String(error)}\n${output}`);
    });
    return { child, url, output: () => output };
  }

  const exited = (child: ChildProcess) =>
    new Promise<{ code: number | null; signal: string | null }>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) resolve({ code: child.exitCode, signal: child.signalCode });
      else child.once("exit", (code, signal) => resolve({ code, signal }));
    });

  const refused = async (url: string) => {
    try {
      await fetch(`${url}/healthz`);
      return false;
    } catch {
      return true;
    }
  };

  it("serves the admin panel, and SIGTERM to npm start stops the server it started", async () => {
    const app = await start();
    const admin = await fetch(`${app.url}/admin`);
    expect(admin.status).toBe(200);
    expect(await admin.text()).toContain("panel from a dot path");
    const deepLink = await fetch(`${app.url}/admin/payments/123`);
    expect(deepLink.status).toBe(200);

    app.child.kill("SIGTERM");
    expect(await exited(app.child)).toEqual({ code: 0, signal: null });
    expect(await refused(app.url)).toBe(true);
    expect(app.output()).toContain("shutting down");
  }, 180_000);

  it("a SIGKILLed npm start takes its server down with it", async () => {
    const app = await start();
    app.child.kill("SIGKILL");
    await exited(app.child);
    // The server notices its parent is gone (IPC channel closed) and shuts down by itself.
    await eventually(() => refused(app.url), 30_000, 200);
  }, 180_000);
});
