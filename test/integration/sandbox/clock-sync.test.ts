import { mkdtempSync, rmSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { sandboxClockRoutes } from "../../../app/http/routes/sandbox-routes";
import { AdjustableClock, systemClock } from "../../../app/lib/clock";
import { ClockOffsetFile } from "../../../app/lib/clock-offset-file";
import { silentLogger } from "../../../app/lib/logger";
import { keepClockInStep } from "../../../app/sandbox/clock-sync";
import { eventually } from "../../helpers/test-app";

/** The app and a separate `npm run sandbox` process on different DATA_DIRs keep one time, both ways. */
describe("clock sync with a separate sandbox process", () => {
  const dirs = [mkdtempSync(path.join(tmpdir(), "clock-sandbox-")), mkdtempSync(path.join(tmpdir(), "clock-app-"))];
  const sandboxClock = new AdjustableClock(systemClock, ClockOffsetFile.forDataDir(dirs[0] ?? ""));
  const appClock = new AdjustableClock(systemClock, ClockOffsetFile.forDataDir(dirs[1] ?? ""));
  let server: http.Server;
  let sync: ReturnType<typeof keepClockInStep>;
  let url = "";

  beforeAll(async () => {
    const app = express();
    app.use(sandboxClockRoutes({ clock: sandboxClock, afterAdvance: async () => undefined }));
    server = http.createServer(app);
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    sync = keepClockInStep(appClock, url, silentLogger);
  });
  afterAll(async () => {
    sync.stop();
    await new Promise((r) => server.close(r));
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it("carries an advance on the app to the sandbox, and one on the sandbox to the app", async () => {
    appClock.advance(2 * 3600);
    await eventually(async () => sandboxClock.offsetSeconds === 7200, 5_000);
    const answer = await fetch(`${url}/sandbox/clock`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ advanceSeconds: 600 }),
    });
    expect(answer.status).toBe(200);
    await eventually(async () => appClock.offsetSeconds === 7800, 5_000);
    const bad = await fetch(`${url}/sandbox/clock`, { method: "POST", headers: { "Content-Type": "application/json" }, body: "{\"offsetSeconds\":-5}" });
    expect(bad.status).toBe(400);
  });
});
