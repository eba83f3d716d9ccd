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
