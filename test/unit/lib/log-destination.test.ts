import { spawnSync } from "node:child_process";
import path from "node:path";

import { describe, expect, it } from "vitest";

import { TurnBatchedDestination } from "../../../app/lib/log-destination";

const REPO = path.resolve(__dirname, "../../..");

function recorder() {
  const writes: string[] = [];
  const turns: (() => void)[] = [];
  const destination = new TurnBatchedDestination({ write: (text) => writes.push(text) }, (flush) => turns.push(flush));
  const endTurn = () => turns.splice(0).forEach((flush) => flush());
  return { writes, turns, destination, endTurn };
}

/** Runs a script with the app's default logger writing to a pipe, as the app runs under a process manager. */
function runLogging(script: string): { stdout: string; status: number | null } {
  const result = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { cwd: REPO, encoding: "utf8", timeout: 30_000 });
  return { stdout: result.stdout, status: result.status };
}

describe("TurnBatchedDestination", () => {
  it("writes the lines of one turn once, in order, and nothing before the turn ends", () => {
    const { writes, turns, destination, endTurn } = recorder();
    destination.write("a\n");
    destination.write("b\n");
    destination.write("c\n");
    expect(writes).toEqual([]);
    expect(turns).toHaveLength(1);
    endTurn();
    expect(writes).toEqual(["a\nb\nc\n"]);
    destination.write("d\n");
    endTurn();
    expect(writes).toEqual(["a\nb\nc\n", "d\n"]);
  });

  it("writes at once when a turn has logged more than 64 kB, so memory stays bounded", () => {
    const { writes, destination } = recorder();
    const line = `${"x".repeat(1023)}\n`;
    for (let i = 0; i < 64; i += 1) destination.write(line);
    expect(writes).toEqual([]);
    destination.write(line);
    expect(writes).toHaveLength(1);
    expect(writes[0]).toHaveLength(65 * 1024);
  });

  it("flushSync and flush(cb) write what is pending", () => {
    const { writes, destination } = recorder();
    destination.write("a\n");
    destination.flushSync();
    destination.write("b\n");
    let called = false;
    destination.flush(() => (called = true));
    expect(writes).toEqual(["a\n", "b\n"]);
    expect(called).toBe(true);
  });
});

describe("the default logger on stdout", () => {
  it("writes every line logged right before process.exit, and right before a crash", () => {
    const exit = runLogging(`
      const { createLogger } = await import("./app/lib/logger.ts");
      const logger = createLogger();
      for (let i = 0; i < 500; i += 1) logger.info({ n: i }, "line");
      process.exit(3);
    `);
    expect(exit.status).toBe(3);
    const lines = exit.stdout.trim().split("\n").map((l) => JSON.parse(l) as { n: number });
    expect(lines.map((l) => l.n)).toEqual(Array.from({ length: 500 }, (_, i) => i));

    const crash = runLogging(`
      const { createLogger } = await import("./app/lib/logger.ts");
      createLogger().error({ n: 1 }, "about to crash");
      setTimeout(() => { throw new Error("boom"); }, 0);
    `);
    expect(crash.status).not.toBe(0);
    expect(crash.stdout).toContain('"about to crash"');
  });

  it("still censors secrets on the lines it writes", () => {
    const { stdout } = runLogging(`
      const { createLogger } = await import("./app/lib/logger.ts");
      const logger = createLogger();
      logger.info({ secretKey: "s3cr3t-one", creds: { accessToken: "s3cr3t-two" }, headers: { authorization: "Bearer s3cr3t-three" } }, "with secrets");
      logger.child({ token: "s3cr3t-four" }).warn({ paymentSessionId: "ps-1" }, "child line");
    `);
    expect(stdout).toContain('"with secrets"');
    expect(stdout).toContain('"child line"');
    expect(stdout).toContain("[redacted]");
    expect(stdout).not.toMatch(/s3cr3t/);
  });
});
