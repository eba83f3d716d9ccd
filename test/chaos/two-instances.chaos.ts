import { spawn } from "node:child_process";

import { describe, expect, it } from "vitest";

import { ROOT } from "./chaos-harness";

/**
 * Two instances on PostgreSQL, one killed (issue #10; issue #9's scale-out test): runs test/production/two-instances.ts
 * (`npm run test:two-instances`): two app processes on one fresh database behind a round-robin TCP balancer, the
 * stand-ins as their own process; TWO_INSTANCES_CHECKOUTS checkouts (default 200) paid through both; the business
 * clock jumps 5 minutes while leases are held; instance a is SIGKILLed a third of the way. Every session resolved
 * exactly once (a second resolve only where the killed instance's call was in flight and unrecorded), none rejected,
 * every call to Shopify recorded with its instance. The script prints and records its figures
 * (`chaos two-instances-postgresql: ...`). PostgreSQL only (TEST_DATABASE_URL); SQLite is one instance by design.
 */
const POSTGRES = Boolean(process.env.TEST_DATABASE_URL);

describe.skipIf(!POSTGRES)("chaos: two instances on one PostgreSQL database, one SIGKILLed", () => {
  it("resolves every session exactly once and records every call with its instance", async () => {
    const output: string[] = [];
    const child = spawn(process.execPath, ["--import", "tsx", "test/production/two-instances.ts"], {
      cwd: ROOT,
      env: process.env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const keep = (chunk: Buffer) => {
      output.push(chunk.toString("utf8"));
      if (output.length > 2000) output.splice(0, output.length - 2000);
    };
    child.stdout.on("data", keep);
    child.stderr.on("data", keep);
    const code = await new Promise<number | null>((resolve) => child.once("exit", (exitCode) => resolve(exitCode)));
    const text = output.join("");
    const figures = /chaos two-instances-postgresql: .*/.exec(text)?.[0];
    if (figures) process.stdout.write(`${figures}\n`);
    expect(code, text.split("\n").filter((l) => !l.includes('"level":30')).slice(-80).join("\n")).toBe(0);
    expect(figures).toMatch(/ lost=0 doubled=0 stuck=0 /);
  }, 540_000);
});
