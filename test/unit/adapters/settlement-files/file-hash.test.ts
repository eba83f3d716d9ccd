import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { readFile } from "node:fs/promises";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { fileURLToPath } from "node:url";

import { describe, expect, it } from "vitest";

import { sha256OfStream,Sha256PassThrough } from "../../../../app/adapters/settlement-files/file-hash";
import { settlementLineKey as importedLineKey } from "../../../../app/domain/settlement/line-key";

const fixture = fileURLToPath(new URL("../../../fixtures/settlement/portal-export-semicolon.csv", import.meta.url));

describe("sha256OfStream", () => {
  it("hashes a file read in chunks like hashing it whole", async () => {
    const whole = createHash("sha256").update(await readFile(fixture)).digest("hex");
    expect(await sha256OfStream(createReadStream(fixture, { highWaterMark: 7 }))).toBe(whole);
  });

  it("knows the hash of nothing and of 'abc'", async () => {
    expect(await sha256OfStream(Readable.from([]))).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    expect(await sha256OfStream(Readable.from(["a", "bc"]))).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  });
});

describe("Sha256PassThrough", () => {
  it("passes the bytes through and hashes them on the way", async () => {
    const hashing = new Sha256PassThrough();
    expect(() => hashing.digest()).toThrow();
    const received: Buffer[] = [];
    await pipeline(createReadStream(fixture), hashing, async (source: AsyncIterable<Buffer>) => {
      for await (const chunk of source) received.push(chunk);
    });
    const bytes = await readFile(fixture);
    expect(Buffer.concat(received).equals(bytes)).toBe(true);
    expect(hashing.digest()).toBe(createHash("sha256").update(bytes).digest("hex"));
  });
});

describe("importedLineKey", () => {
  const paymentDate = new Date("2025-07-15T15:30:00Z");

  it.each([
    [{ cip: "11546901", operationNumber: "000123", paymentDate, amountMinor: 15000, currency: "PEN" as const }, "op:11546901:000123"],
    [{ cip: "11546901", operationNumber: " 000123 ", paymentDate: null, amountMinor: 1, currency: "PEN" as const }, "op:11546901:000123"],
    [{ cip: "11546901", operationNumber: null, paymentDate, amountMinor: 15000, currency: "PEN" as const }, "dt:11546901:2025-07-15T15:30:00.000Z:PEN:15000"],
    [{ cip: "11546901", operationNumber: "", paymentDate: null, amountMinor: 15000, currency: "USD" as const }, "dt:11546901::USD:15000"],
  ])("%j → %s", (line, key) => {
    expect(importedLineKey(line)).toBe(key);
  });
});
