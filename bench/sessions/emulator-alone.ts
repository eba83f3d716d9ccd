import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { freePort } from "../lib/app-env";
import { log, parseArgs } from "../lib/compare";
import { runLoad } from "../lib/load";
import { REPO_ROOT, startServer } from "../lib/processes";
import { emulatorLoad } from "./emulator-probe";

/**
 * `node --import tsx bench/sessions/emulator-alone.ts [--duration 8 --connections 50 --rounds 2 --profile]`
 *
 * The PagoEfectivo emulator alone in its own process (app/sandbox/main.ts, as bench:sessions runs it):
 * POST /v1/cips at the benchmark's concurrency. With --profile the emulator runs under `node --cpu-prof`
 * (profiles in bench/sessions/profiles, summarised by bench/lib/profile-summary.ts).
 */
async function main(): Promise<void> {
  const args = parseArgs();
  const root = mkdtempSync(path.join(tmpdir(), "pe-bench-emulator-"));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const emulator = await startServer({
    name: "emulator",
    script: "app/sandbox/main.ts",
    env: { APP_MODE: "sandbox", HOST: "127.0.0.1", SANDBOX_PORT: String(port), SANDBOX_URL: url, DATA_DIR: root, LOG_LEVEL: "warn" },
    readyUrl: `${url}/healthz`,
    logFile: path.join(root, "emulator.log"),
    nodeArgs: args.profile ? ["--cpu-prof", `--cpu-prof-dir=${path.join(REPO_ROOT, "bench/sessions/profiles")}`] : [],
  });
  const shop = { idService: 20321, accessKey: "BENCHACCESSKEY000001", secretKey: randomBytes(12).toString("hex") };
  try {
    const registered = await fetch(`${url}/sandbox/pagoefectivo/services/${shop.idService}`, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ accessKey: shop.accessKey, secretKey: shop.secretKey, notificationUrl: null }),
    });
    if (!registered.ok) throw new Error(`emulator refused the service: ${registered.status} ${await registered.text()}`);
    for (let round = 0; round < args.rounds; round += 1) {
      const cpuBefore = emulator.cpuMs();
      const result = await runLoad(await emulatorLoad(`${url}/sandbox/pagoefectivo`, shop as never, args.connections, args.durationSeconds));
      const cpu = emulator.cpuMs();
      log(
        `  emulator round ${round + 1}: ${result.rps.toFixed(0)} CIPs/s, p50 ${result.p50} ms, p99 ${result.p99} ms, ${result.requests} CIPs` +
          (cpuBefore !== null && cpu !== null && result.requests > 0 ? `, CPU ${((cpu - cpuBefore) / result.requests).toFixed(2)} ms/CIP` : "") +
          (result.wrongStatus || result.errors ? `, statuses ${JSON.stringify(result.statuses)}` : ""),
      );
    }
  } finally {
    await emulator.stop();
    rmSync(root, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
