import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { startTestApp, type TestApp } from "../../helpers/test-app";
import { testEngine } from "../../helpers/test-database";

describe("GET /healthz", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  it("says ok and names the database engine", async () => {
    const health = await t.json("GET", "/healthz");
    expect(health.status).toBe(200);
    expect(health.body).toEqual({ status: "ok", database: testEngine() });
  });

  it("answers unknown routes and malformed JSON with a clear 4xx", async () => {
    const missing = await t.json<{ error: { message: string } }>("GET", "/nope");
    expect(missing.status).toBe(404);
    expect(missing.body.error.message).toContain("/nope");
    const bad = await fetch(`${t.url}/sandbox/clock`, { method: "POST", headers: { "Content-Type": "application/json" }, body: "{" });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain("Malformed JSON");
  });
});
