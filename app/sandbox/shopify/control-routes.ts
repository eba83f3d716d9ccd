import type { Router } from "express";

import { mountOrderControlRoutes } from "./control-order-routes";
import { mountSessionControlRoutes } from "./control-session-routes";
import { mountShopControlRoutes } from "./control-shop-routes";
import type { SimulatorContext } from "./simulator-context";
import type { RegisteredApp } from "./simulator-types";

/** The JSON control API the sandbox, the demo and the tests drive the simulated Shopify with. */
export function mountControlRoutes(router: Router, context: SimulatorContext, registerApp: (app: RegisteredApp) => Promise<void>): void {
  mountShopControlRoutes(router, context, registerApp);
  mountSessionControlRoutes(router, context);
  mountOrderControlRoutes(router, context);
}
