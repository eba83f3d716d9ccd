import { randomUUID } from "node:crypto";

import express, { type Request, type Response, type Router } from "express";
import { z } from "zod";

import { executeAdminGraphQL } from "./admin-graphql";
import { errorMessage, startCheckout } from "./checkouts";
import { checkoutPage, indexPage, storefrontPage, thankYouPage } from "./html-pages";
import { orderForSession } from "./orders";
import { executePaymentsGraphQL } from "./payments-graphql";
import { servedVersion } from "./schema/api-versions";
import { defaultCustomer } from "./session-requests";
import { isValidToken } from "./shops";
import { logCall, type SimulatorContext } from "./simulator-context";
import { type ShopRecord } from "./simulator-types";
import { parseDecimalAmount } from "./simulator-values";

/** Endpoints the app and the buyer reach as if they were https://{shop}/...: GraphQL APIs and pages. */

const INVALID_TOKEN = { errors: "[API] Invalid API key or access token (unrecognized login or wrong password)" };

const storefrontSchema = z.object({
  amount: z.string(),
  currency: z.enum(["PEN", "USD"]).default("PEN"),
  email: z.email().optional().or(z.literal("")),
  locale: z.enum(["es", "en"]).default("es"),
  test: z.literal("true").optional(),
});

export interface ShopifyRoutes {
  /** Ends requests held open by "timeout" faults (on close). */
  destroyHeld(): void;
}

export function mountShopifyRoutes(router: Router, context: SimulatorContext): ShopifyRoutes {
  const held = new Set<Response>();
  const graphqlBody = [express.json({ limit: "1mb" }), express.text({ type: "application/graphql", limit: "1mb" })];

  const authenticate = (req: Request<{ shop: string; version: string }>, res: Response): { shop: ShopRecord; version: string } | null => {
    res.set("X-Request-Id", randomUUID());
    const version = servedVersion(req.params.version);
    if (version === null) {
      res.status(404).json({ errors: "Not Found" });
      return null;
    }
    const shop = context.state.shops[req.params.shop];
    if (shop === undefined) {
      res.status(404).json({ errors: "Not Found" });
      return null;
    }
    if (!isValidToken(context, shop, req.get("X-Shopify-Access-Token"))) {
      res.status(401).json(INVALID_TOKEN);
      return null;
    }
    if (!hasQuery(req.body)) {
      res.status(400).json({ errors: { query: "Required parameter missing or invalid" } });
      return null;
    }
    // The version actually served, which differs from the requested one after a fall-forward.
    res.set("X-Shopify-API-Version", version);
    return { shop, version };
  };

  const hold = (res: Response) => {
    held.add(res);
    // Never answers: after the hold the connection is dropped, as a gateway timeout would.
    const timer = setTimeout(() => res.destroy(), context.settings.faultTimeoutMs);
    res.on("close", () => {
      clearTimeout(timer);
      held.delete(res);
    });
  };

  router.post("/shops/:shop/payments_apps/api/:version/graphql.json", ...graphqlBody, async (req: Request<{ shop: string; version: string }>, res) => {
    const authenticated = authenticate(req, res);
    if (authenticated === null) return;
    const { shop, version } = authenticated;
    const at = context.clock.now().toISOString();
    const outcome = await executePaymentsGraphQL(context, shop, version, req.body, req.get("user-agent") ?? null);
    if (outcome.changed) await context.store.save();
    logCall(context, { at, api: "payments", shop: shop.domain, apiVersion: version, ...outcome.log });
    if (outcome.hold) return hold(res);
    res.status(outcome.httpStatus).json(outcome.body);
  });

  router.post("/shops/:shop/admin/api/:version/graphql.json", ...graphqlBody, async (req: Request<{ shop: string; version: string }>, res) => {
    const authenticated = authenticate(req, res);
    if (authenticated === null) return;
    const { shop, version } = authenticated;
    const at = context.clock.now().toISOString();
    const outcome = await executeAdminGraphQL(context, shop, version, req.body);
    logCall(context, { at, api: "admin", shop: shop.domain, apiVersion: version, operation: outcome.operation, rootFields: outcome.rootFields, status: outcome.httpStatus, outcome: outcome.outcome });
    if (outcome.hold) return hold(res);
    res.status(outcome.httpStatus).json(outcome.body);
  });

  router.get("/shops/:shop/checkouts/:id/thank-you", (req, res) => {
    const shop = context.state.shops[req.params.shop];
    const session = context.state.paymentSessions[req.params.id];
    if (shop === undefined || session === undefined || session.shop !== shop.domain) {
      res.status(404).type("html").send("Not found");
      return;
    }
    res.type("html").send(thankYouPage(shop, session, orderForSession(context, session)));
  });

  router.get("/shops/:shop/checkouts/:id", (req, res) => {
    const shop = context.state.shops[req.params.shop];
    const session = context.state.paymentSessions[req.params.id];
    if (shop === undefined || session === undefined || session.shop !== shop.domain) {
      res.status(404).type("html").send("Not found");
      return;
    }
    res.type("html").send(checkoutPage(shop, session, `${context.publicUrl()}/shops/${shop.domain}/storefront`));
  });

  router.get("/shops/:shop/storefront", (req, res) => {
    const shop = context.state.shops[req.params.shop];
    if (shop === undefined) {
      res.status(404).type("html").send("Not found");
      return;
    }
    res.type("html").send(storefrontPage(shop, `${context.publicUrl()}/shops/${shop.domain}/storefront`));
  });

  router.post("/shops/:shop/storefront", express.urlencoded({ extended: false }), async (req, res) => {
    const shop = context.state.shops[req.params.shop];
    if (shop === undefined) {
      res.status(404).type("html").send("Not found");
      return;
    }
    const action = `${context.publicUrl()}/shops/${shop.domain}/storefront`;
    const parsed = storefrontSchema.safeParse(req.body ?? {});
    const amountMinor = parsed.success ? parseDecimalAmount(parsed.data.amount) : null;
    if (!parsed.success || amountMinor === null || amountMinor <= 0) {
      res.status(400).type("html").send(storefrontPage(shop, action, "Enter an amount such as 150.00"));
      return;
    }
    const input = parsed.data;
    const started = await startCheckout(context, {
      shop: shop.domain,
      amountMinor,
      currency: input.currency,
      test: input.test === "true",
      kind: "sale",
      locale: input.locale,
      merchantLocale: "es",
      customer: input.email ? { ...defaultCustomer(input.locale), email: input.email } : undefined,
    });
    if (!started.ok) {
      res.status(errorMessage(started.error).status).type("html").send(storefrontPage(shop, action, errorMessage(started.error).message));
      return;
    }
    const { attempt } = started.value;
    if (attempt.redirectUrl === null) {
      const reason = attempt.error ?? `the app answered HTTP ${attempt.status}`;
      res.status(502).type("html").send(storefrontPage(shop, action, `Payment could not start: ${reason}`));
      return;
    }
    res.redirect(303, attempt.redirectUrl);
  });

  router.get("/", (_req, res) => {
    res.type("html").send(indexPage(Object.values(context.state.shops), context.publicUrl(), context.state.app !== null));
  });

  return {
    destroyHeld: () => {
      for (const res of held) res.destroy();
      held.clear();
    },
  };
}

function hasQuery(body: unknown): boolean {
  if (typeof body === "string") return body.trim().length > 0;
  return typeof body === "object" && body !== null && typeof (body as { query?: unknown }).query === "string";
}
