const ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
  "`": "&#96;",
};

/**
 * Escapes text for HTML element content and for quoted attribute values alike, so one function is safe
 * everywhere a value is interpolated. Views quote every attribute with double quotes.
 */
export function escapeHtml(value: string | number): string {
  return String(value).replace(/[&<>"'`]/g, (c) => ESCAPES[c] ?? c);
}
