import { describe, expect, it } from "vitest";

import { escapeHtml } from "../../../../app/http/views/html";

describe("escapeHtml", () => {
  it("escapes every character that can end text or a quoted attribute", () => {
    expect(escapeHtml(`<a href="x" title='y'>&\`</a>`)).toBe(
      "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&#96;&lt;/a&gt;",
    );
  });

  it("escapes an ampersand first so existing entities are not left live", () => {
    expect(escapeHtml("&lt;")).toBe("&amp;lt;");
  });

  it("leaves ordinary text, accents and numbers alone", () => {
    expect(escapeHtml("Tienda Ñandú · S/ 1,234.50")).toBe("Tienda Ñandú · S/ 1,234.50");
    expect(escapeHtml(42)).toBe("42");
  });
});
