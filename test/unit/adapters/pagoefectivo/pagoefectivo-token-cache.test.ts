import { describe, expect, it } from "vitest";

import { PagoEfectivoTokenCache, TOKEN_CACHE_LIMIT } from "../../../../app/adapters/pagoefectivo/pagoefectivo-token-cache";
import { systemClock } from "../../../../app/lib/clock";
import { ok } from "../../../../app/lib/result";
import type { PagoEfectivoCredentials } from "../../../../app/ports/pagoefectivo-gateway";

describe("PagoEfectivo token cache", () => {
  const creds = (idService: number): PagoEfectivoCredentials => ({ accessKey: "ACCESSKEY", secretKey: "s", idService, baseUrl: "https://pre1a.example/" });

  it("signs in once per service, and keeps at most TOKEN_CACHE_LIMIT services (the least recent dropped)", async () => {
    const signIns: number[] = [];
    const cache = new PagoEfectivoTokenCache(systemClock, async (c) => {
      signIns.push(c.idService);
      const now = Date.now();
      return ok({ token: `t${c.idService}-${signIns.length}`, codeService: null, tokenStart: new Date(now), tokenExpires: new Date(now + 7_200_000), requestedAt: new Date(now) });
    });
    await Promise.all([cache.get(creds(1)), cache.get(creds(1)), cache.get(creds(1))]);
    expect(signIns).toEqual([1]);
    for (let id = 2; id <= TOKEN_CACHE_LIMIT + 1; id += 1) await cache.get(creds(id));
    expect(signIns).toHaveLength(TOKEN_CACHE_LIMIT + 1);
    // Service 1 was the least recently issued: dropped, so it signs in again; the newest is still cached.
    await cache.get(creds(TOKEN_CACHE_LIMIT + 1));
    expect(signIns).toHaveLength(TOKEN_CACHE_LIMIT + 1);
    await cache.get(creds(1));
    expect(signIns).toHaveLength(TOKEN_CACHE_LIMIT + 2);
  });
});
