import { gunzipSync } from "node:zlib";

import { describe, expect, it } from "vitest";

import { BuyerPageCache, pickEncoding } from "../../../../app/http/routes/buyer-page-cache";

describe("pickEncoding", () => {
  it.each([
    [undefined, "identity"],
    ["", "identity"],
    ["gzip, deflate, br", "br"],
    ["gzip, deflate", "gzip"],
    ["br;q=0, gzip", "gzip"],
    ["*", "gzip"],
    ["identity", "identity"],
    ["deflate", "identity"],
  ] as const)("%j -> %s", (header, expected) => {
    expect(pickEncoding(header)).toBe(expected);
  });
});

describe("BuyerPageCache", () => {
  const at = (iso: string) => new Date(iso);

  it("renders once per version and time window, and compresses once per encoding", async () => {
    const cache = new BuyerPageCache();
    let renders = 0;
    const render = async () => `<p>page ${++renders}</p>`;
    const first = await cache.body("tok|es", "pending|1", at("2026-12-04T10:00:00.100Z"), "gzip", render);
    const again = await cache.body("tok|es", "pending|1", at("2026-12-04T10:00:04.900Z"), "gzip", render);
    expect(again).toBe(first);
    expect(gunzipSync(first).toString()).toBe("<p>page 1</p>");
    expect(renders).toBe(1);
  });

  it("renders again when the session changed or the window moved on", async () => {
    const cache = new BuyerPageCache();
    let renders = 0;
    const render = async () => `<p>page ${++renders}</p>`;
    await cache.body("tok|es", "pending|1", at("2026-12-04T10:00:00.100Z"), "identity", render);
    const paid = await cache.body("tok|es", "paid|2", at("2026-12-04T10:00:00.200Z"), "identity", render);
    expect(paid.toString()).toBe("<p>page 2</p>");
    const later = await cache.body("tok|es", "paid|2", at("2026-12-04T10:00:05.000Z"), "identity", render);
    expect(later.toString()).toBe("<p>page 3</p>");
  });
});

describe("BuyerPageCache memory", () => {
  it("never holds more than its byte budget, dropping the least recently used page first", async () => {
    const cache = new BuyerPageCache(10_000);
    const now = new Date("2026-12-04T10:00:00.000Z");
    const page = (n: number) => async () => `<p>${String(n).padStart(4, "0")}</p>`.padEnd(1_000, "x");
    for (let n = 0; n < 50; n++) {
      await cache.body(`tok${n}|es`, "v", now, "identity", page(n));
      await cache.body("tok0|es", "v", now, "identity", page(0)); // kept in use
      expect(cache.size.bytes).toBeLessThanOrEqual(10_000);
    }
    expect(cache.size.entries).toBe(10);
    let renders = 0;
    await cache.body("tok0|es", "v", now, "identity", async () => `${++renders}`);
    expect(renders).toBe(0); // the page in use survived
    await cache.body("tok1|es", "v", now, "identity", async () => `${++renders}`);
    expect(renders).toBe(1); // an old one was dropped and is simply rendered again
  });

  it("counts every encoding of a page in the budget", async () => {
    const cache = new BuyerPageCache();
    const now = new Date("2026-12-04T10:00:00.000Z");
    const render = async () => "<p>page</p>".repeat(100);
    await cache.body("tok|es", "v", now, "identity", render);
    const identityBytes = cache.size.bytes;
    const gzip = await cache.body("tok|es", "v", now, "gzip", render);
    expect(cache.size.bytes).toBe(identityBytes + gzip.length);
  });
});
