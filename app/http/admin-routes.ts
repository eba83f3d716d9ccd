import type { AppConfig } from "../config/env";
import type { StartOptions } from "../server";

/** The admin panel's routes (OAuth, JSON API, the built SPA). Filled in by the admin module. */
export function adminRoutesFor(_config: AppConfig): StartOptions["extraRoutes"] {
  return () => undefined;
}
