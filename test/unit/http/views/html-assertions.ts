/**
 * Small string helpers for asserting on rendered HTML without a DOM library. They rely on the views'
 * own conventions: double-quoted attributes and one element per data-testid.
 */
export function openingTag(html: string, testId: string): string | null {
  const match = new RegExp(`<[a-z0-9]+\\b[^>]*\\bdata-testid="${testId}"[^>]*>`, "i").exec(html);
  return match ? match[0] : null;
}

export function hasTestId(html: string, testId: string): boolean {
  return openingTag(html, testId) !== null;
}

export function attribute(tag: string, name: string): string | null {
  const match = new RegExp(`\\s${name}="([^"]*)"`).exec(tag);
  return match ? (match[1] ?? "") : null;
}

/** Text content of the element with this test id, for elements that contain no nested element. */
export function textOf(html: string, testId: string): string | null {
  const match = new RegExp(`<([a-z0-9]+)\\b[^>]*\\bdata-testid="${testId}"[^>]*>([^<]*)</\\1>`, "i").exec(html);
  return match ? (match[2] ?? "") : null;
}

/** Whole element (with nested markup) from its opening tag to the matching close of the same tag name. */
export function elementOf(html: string, testId: string): string | null {
  const open = openingTag(html, testId);
  if (!open) return null;
  const tagName = /^<([a-z0-9]+)/i.exec(open)?.[1] ?? "";
  const close = `</${tagName}>`;
  const start = html.indexOf(open);
  const end = html.indexOf(close, start);
  return end === -1 ? null : html.slice(start, end + close.length);
}

export function tags(html: string, tagName: string): string[] {
  return html.match(new RegExp(`<${tagName}\\b[^>]*>`, "gi")) ?? [];
}

/** Every absolute http(s) URL written anywhere in the document. */
export function absoluteUrls(html: string): string[] {
  return html.match(/https?:\/\/[^\s"'<>`]+/gi) ?? [];
}

export function unescapeAttribute(value: string): string {
  return value
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&#96;/g, "`")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}
