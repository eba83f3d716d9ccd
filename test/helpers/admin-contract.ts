import { errorAnswer, findEndpoint } from "../../app/contracts/admin-api";

/**
 * Checks one answer of the admin JSON API against the wire contract (app/contracts/admin-api): a success
 * against its endpoint's schema (strict: an unlisted field fails too), an error against the error shape.
 * Every admin integration test goes through it (adminApi, uploadRaw), so the server cannot drift from
 * what the panel parses. Non-JSON answers (CSV, evidence download, HTML) are not checked here.
 */
export function checkAdminAnswer(method: string, path: string, response: { status: number; headers: Headers }, body: unknown): void {
  if (!path.startsWith("/api/")) return;
  const type = response.headers.get("content-type") ?? "";
  if (response.status === 204 || !type.includes("application/json")) return;
  const apiPath = path.slice("/api".length);
  if (response.status >= 400) {
    const parsed = errorAnswer.safeParse(body);
    if (!parsed.success) throw new Error(`${method} ${path} → ${response.status}: not the error contract: ${parsed.error.message}\n${JSON.stringify(body)}`);
    return;
  }
  const endpoint = findEndpoint(method, apiPath);
  // Evidence bundles are a JSON file download, not an API answer the panel parses.
  if (!endpoint && /^\/payments\/[^/]+\/evidence$/.test(apiPath.split("?")[0]!)) return;
  if (!endpoint) throw new Error(`${method} ${path} answered ${response.status} JSON but is not in the admin API contract`);
  if (!endpoint.answer) throw new Error(`${method} ${path} should answer without a body, answered ${response.status} JSON`);
  const parsed = endpoint.answer.safeParse(body);
  if (!parsed.success) {
    throw new Error(`${method} ${path} → ${response.status} does not match the contract:\n${parsed.error.message}\n${JSON.stringify(body).slice(0, 2_000)}`);
  }
}
