import { Writable } from "node:stream";

import { describe, expect, it } from "vitest";

import { createLogger, type Logger } from "../../../app/lib/logger";

/**
 * Every secret the logger redacted with pino's path list (wildcards included, as it stood before issue #13 made it
 * cheaper) must still be redacted, wherever that list reached: at the top, one level down under any key (arrays
 * included), two levels down for credentials, request headers in either spelling, inside a logged error, and in a
 * child logger's bindings. Written against the path list first, so the cheaper mechanism had to pass the same test.
 */
const SECRET = "s3cr3t-value-that-must-never-be-logged";

/** The old REDACTED_PATHS, each with its wildcards filled in by a few different keys. */
const OLD_PATHS: string[][] = [
  ["secretKey"],
  ["*", "secretKey"],
  ["*", "*", "secretKey"],
  ["accessToken"],
  ["*", "accessToken"],
  ["*", "*", "accessToken"],
  ["token"],
  ["*", "token"],
  ["hashString"],
  ["*", "hashString"],
  ["password"],
  ["*", "password"],
  ["headers", "authorization"],
  ["*", "headers", "authorization"],
  ["headers", "x-shopify-access-token"],
  ["*", "headers", "x-shopify-access-token"],
  ["headers", "X-Shopify-Access-Token"],
  ["*", "headers", "X-Shopify-Access-Token"],
  ["headers", "pe-signature"],
  ["headers", "Authorization"],
  ["encryptionKey"],
  ["*", "encryptionKey"],
];
const FILLERS = ["shop", "payload", "0"];

function capture(): { logger: Logger; lines: () => Array<{ raw: string; json: Record<string, unknown> }> } {
  const raw: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, callback) {
      raw.push(...String(chunk).split("\n").filter(Boolean));
      callback();
    },
  });
  const logger = createLogger({ destination, level: "debug" });
  return { logger, lines: () => raw.map((line) => ({ raw: line, json: JSON.parse(line) as Record<string, unknown> })) };
}

/** Builds {a: {b: SECRET, other: "kept"}, other: "kept"}; "0" makes that level an array. */
function nest(path: string[]): unknown {
  const [head, ...rest] = path;
  const value = rest.length === 0 ? SECRET : nest(rest);
  if (head === "0") return [value];
  return { [head as string]: value, other: "kept" };
}

function at(value: unknown, path: string[]): unknown {
  return path.reduce<unknown>((v, key) => (v as Record<string, unknown>)?.[key], value);
}

const instances = OLD_PATHS.flatMap((path) =>
  FILLERS.map((filler) => path.map((key) => (key === "*" ? filler : key))).filter((path, i, all) => all.findIndex((p) => p.join(".") === path.join(".")) === i),
).filter((path) => path[0] !== "0");
// Arrays one and two levels down: the wildcards matched their indices too.
instances.push(["items", "0", "secretKey"], ["items", "0", "accessToken"], ["items", "headers", "authorization"]);

describe("logger redaction", () => {
  it.each(instances.map((path) => [path.join("."), path] as const))("redacts %s", (_name, path) => {
    const { logger, lines } = capture();
    const logged = nest(path) as Record<string, unknown>;
    const before = JSON.stringify(logged);
    logger.info(logged, "line");
    const [line] = lines();
    expect(line?.raw).not.toContain(SECRET);
    expect(at(line?.json, path)).toBe("[redacted]");
    // What is not a secret is still there, and the caller's object is left as it was.
    expect(line?.json.other).toBe("kept");
    expect(JSON.stringify(logged)).toBe(before);
  });

  it("redacts a secret carried on a logged error (top level and in a nested object), keeping its message", () => {
    const { logger, lines } = capture();
    const error = Object.assign(new Error("boom"), { secretKey: SECRET, request: { accessToken: SECRET } });
    logger.error({ err: error }, "failed");
    logger.error(error, "failed again");
    for (const line of lines()) {
      expect(line.raw).not.toContain(SECRET);
      expect(at(line.json, ["err", "message"])).toBe("boom");
      expect(at(line.json, ["err", "secretKey"])).toBe("[redacted]");
      expect(at(line.json, ["err", "request", "accessToken"])).toBe("[redacted]");
    }
    expect(error.secretKey).toBe(SECRET);
  });

  it("redacts secrets in a child logger's bindings", () => {
    const { logger, lines } = capture();
    logger.child({ component: "c", accessToken: SECRET, shop: { secretKey: SECRET } }).child({ deeper: { password: SECRET } }).info("hello");
    const [line] = lines();
    expect(line?.raw).not.toContain(SECRET);
    expect(line?.json).toMatchObject({ component: "c", accessToken: "[redacted]", shop: { secretKey: "[redacted]" }, deeper: { password: "[redacted]" }, msg: "hello" });
  });

  it("leaves lines without secrets as they were", () => {
    const { logger, lines } = capture();
    logger.info({ shopId: "shop-1", count: 3, nested: { state: "paid", list: [1, 2] }, at: new Date(0) }, "plain");
    expect(lines()[0]?.json).toMatchObject({ shopId: "shop-1", count: 3, nested: { state: "paid", list: [1, 2] }, at: "1970-01-01T00:00:00.000Z", msg: "plain", app: "pagoefectivo-shopify" });
  });
});
