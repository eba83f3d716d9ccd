import { describe, expect, it } from "vitest";
import { z } from "zod";

import { httpUrlSchema } from "../../../../app/adapters/pagoefectivo/pagoefectivo-schemas";

/** The cheaper cipUrl check must accept, refuse and answer exactly what the zod check it replaced did. */
describe("httpUrlSchema", () => {
  const reference = z.url({ protocol: /^https?$/ });
  const inputs = [
    "https://pre1a.payment.pagoefectivo.pe/AB803C1C.html",
    "http://127.0.0.1:4010/cip/77.html",
    "  https://example.com/x  ",
    "HTTPS://EXAMPLE.COM/",
    "https://exa\nmple.com/a\tb",
    "http:example.com",
    "https:/path",
    "ftp://example.com/",
    "javascript:alert(1)",
    "//example.com/",
    "/relative/path",
    "",
    "   ",
    "https://",
    "https://[::1]:8080/",
    "https://exa mple.com/",
    "http://example.com:99999/",
    "https://user:pass@example.com/?q=1#f",
    "mailto:someone@example.com",
    "https://例え.jp/パス",
  ];
  it.each(inputs)("%j", (input) => {
    const expected = reference.safeParse(input);
    const actual = httpUrlSchema.safeParse(input);
    expect(actual.success).toBe(expected.success);
    if (expected.success && actual.success) expect(actual.data).toBe(expected.data);
  });
});
