/**
 * The API versions the simulator answers. Shopify releases a dated version every quarter and supports
 * each for at least twelve months (https://shopify.dev/docs/api/usage/versioning); the reference pages of
 * the Payments Apps API list 2025-01 through 2026-10 plus `unstable`.
 */
export const API_VERSIONS = ["2025-01", "2025-04", "2025-07", "2025-10", "2026-01", "2026-04", "2026-07", "2026-10"] as const;

export const UNSTABLE = "unstable";

const DATED = /^\d{4}-(01|04|07|10)$/;

/**
 * The version a request is served with, or null for a path Shopify answers 404. "Requests to an
 * unsupported (retired) version fall forward to the oldest supported stable version" (versioning page,
 * "Version fall-forward"); a version newer than the newest release does not exist yet (404: a guess).
 */
export function servedVersion(requested: string): string | null {
  if (requested === UNSTABLE) return UNSTABLE;
  if (!DATED.test(requested)) return null;
  const oldest = API_VERSIONS[0];
  const newest = API_VERSIONS[API_VERSIONS.length - 1] as string;
  if (requested < oldest) return oldest;
  if (requested > newest) return null;
  return (API_VERSIONS as readonly string[]).includes(requested) ? requested : null;
}

/** Whether `version` includes what was added in `since` (`unstable` includes everything). */
export function includesVersion(version: string, since: string): boolean {
  return version === UNSTABLE || version >= since;
}
