import path from "node:path";

import { describe, expect, it } from "vitest";

import { ConfigError, loadConfig } from "../../../app/config/env";

describe("loadConfig", () => {
  it("runs with no variables at all: sandbox mode, port 3000, SQLite under ./data", () => {
    const config = loadConfig({});
    expect(config.mode).toBe("sandbox");
    expect(config.port).toBe(3000);
    expect(config.appUrl).toBe("http://localhost:3000");
    expect(config.dataDir).toBe(path.resolve("./data"));
    expect(config.database).toEqual({ engine: "sqlite", url: `file:${path.resolve("./data/app.db")}`, connectTimeoutMs: 5000, queryTimeoutMs: 15000 });
    expect(config.mtls.port).toBe(0);
    expect(config.pagoefectivo.preUrl).toBe("http://localhost:3000/sandbox/pagoefectivo");
  });

  it("derives APP_URL from PORT and the SQLite file from DATA_DIR", () => {
    const config = loadConfig({ PORT: "4100", DATA_DIR: "/tmp/x" });
    expect(config.appUrl).toBe("http://localhost:4100");
    expect(config.database.url).toBe("file:/tmp/x/app.db");
  });

  it("picks PostgreSQL from a postgres URL", () => {
    expect(loadConfig({ DATABASE_URL: "postgresql://u@h:5432/db" }).database.engine).toBe("postgresql");
    expect(loadConfig({ DATABASE_URL: "postgres://u@h/db" }).database.engine).toBe("postgresql");
  });

  it("reads the PostgreSQL connect and query timeouts", () => {
    const config = loadConfig({ DATABASE_URL: "postgresql://u@h/db", DATABASE_CONNECT_TIMEOUT_MS: "2000", DATABASE_QUERY_TIMEOUT_MS: "30000" });
    expect(config.database).toMatchObject({ connectTimeoutMs: 2000, queryTimeoutMs: 30000 });
    expect(() => loadConfig({ DATABASE_QUERY_TIMEOUT_MS: "0" })).toThrow(/DATABASE_QUERY_TIMEOUT_MS/);
  });

  it.each([
    [{ PORT: "seventy" }, "PORT"],
    [{ PORT: "70000" }, "PORT"],
    [{ APP_MODE: "staging" }, "APP_MODE"],
    [{ DATABASE_URL: "mysql://x" }, "DATABASE_URL"],
    [{ APP_URL: "not a url" }, "APP_URL"],
    [{ ENCRYPTION_KEY: "c2hvcnQ=" }, "ENCRYPTION_KEY"],
    [{ WORKER_ENABLED: "maybe" }, "WORKER_ENABLED"],
    [{ APP_MODE: "production" }, "SHOPIFY_API_KEY"],
  ])("stops with one line naming the variable: %o", (env, variable) => {
    try {
      loadConfig(env);
      expect.unreachable("should have thrown");
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).variable).toBe(variable);
      expect((error as Error).message).toMatch(new RegExp(`^Invalid configuration: ${variable} `));
      expect((error as Error).message).not.toContain("\n");
    }
  });

  it("never echoes a secret value in the error", () => {
    expect(() => loadConfig({ ENCRYPTION_KEY: "super-secret-value" })).toThrow(/\[redacted\]/);
  });

  it("requires TLS files in production direct mode and accepts a complete production setup", () => {
    const base = {
      APP_MODE: "production",
      SHOPIFY_API_KEY: "k",
      SHOPIFY_API_SECRET: "s",
      ENCRYPTION_KEY: Buffer.alloc(32, 1).toString("base64"),
      APP_URL: "https://pay.example.pe",
      MTLS_PUBLIC_URL: "https://pay-mtls.example.pe",
    };
    expect(() => loadConfig(base)).toThrow(/TLS_CERT_FILE/);
    const config = loadConfig({ ...base, TLS_CERT_FILE: "c.pem", TLS_KEY_FILE: "k.pem", SHOPIFY_CLIENT_CA_FILE: "ca.pem" });
    expect(config.pagoefectivo.prodUrl).toBe("https://services.pagoefectivo.pe");
    expect(config.mtls.port).toBe(3443);
  });
});
