import { type Response, Router } from "express";

import { activateRequest, type ConnectionTestAnswer, environmentParam } from "../../contracts/admin-api";
import { assertUnreachable } from "../../lib/assert-unreachable";
import type { AdminSettingsStore } from "../../ports/admin-settings";
import type { ActivatePaymentsApp, ActivationError } from "../../use-cases/activate-payments-app/activate-payments-app";
import { type ConfigureShop, credentialsInput, settingsUpdateInput } from "../../use-cases/configure-shop/configure-shop";
import type { TestConnection } from "../../use-cases/test-connection/test-connection";
import { conflict, HttpError, notFound } from "../http-error";
import { adminOf } from "./admin-auth";
import { notificationUrlFor, settingsView } from "./admin-views";
import { parseInput } from "./parse-input";

/** Settings, credentials, Test connection, notification URL and activation (docs/admin-api.md). */

export function settingsApiRoutes(deps: {
  settings: AdminSettingsStore;
  configure: ConfigureShop;
  testConnection: TestConnection;
  activation: ActivatePaymentsApp;
  appUrl: string;
}): Router {
  const router = Router();

  /** The settings as stored now (re-read, so the answer shows exactly what was saved). */
  const sendSettings = async (res: Response, shopId: string) => {
    const [shop, credentials] = await Promise.all([deps.settings.findShop(shopId), deps.settings.credentials(shopId)]);
    if (!shop) throw notFound("Shop not found");
    res.json(settingsView(shop, credentials, notificationUrlFor(deps.appUrl, shop)));
  };

  router.get("/settings", async (_req, res) => {
    await sendSettings(res, adminOf(res).shop.id);
  });

  router.put("/settings", async (req, res) => {
    const { shop } = adminOf(res);
    const input = parseInput(settingsUpdateInput, req.body, "body");
    await deps.configure.updateSettings(shop.id, input);
    await sendSettings(res, shop.id);
  });

  router.put("/credentials/:environment", async (req, res) => {
    const { shop } = adminOf(res);
    const { environment } = parseInput(environmentParam, req.params, "path");
    const input = parseInput(credentialsInput, req.body, "body");
    const saved = await deps.configure.saveCredentials(shop.id, environment, input);
    if (!saved.ok) throw new HttpError(400, "secret_key_required", saved.error.message, [{ path: "secretKey", message: "is required the first time credentials are saved" }]);
    await sendSettings(res, shop.id);
  });

  router.post("/credentials/:environment/test", async (req, res) => {
    const { shop } = adminOf(res);
    const { environment } = parseInput(environmentParam, req.params, "path");
    const tested = await deps.testConnection.execute(shop.id, environment);
    if (!tested.ok) throw conflict(tested.error.message);
    const result = tested.value;
    const answer: ConnectionTestAnswer = result.ok
      ? { ok: true, tokenExpires: result.tokenExpires.toISOString() }
      : { ok: false, reason: result.reason, message: result.message };
    res.json(answer);
  });

  router.post("/notification-url/confirm", async (_req, res) => {
    const { shop } = adminOf(res);
    await deps.configure.confirmNotificationUrl(shop.id);
    await sendSettings(res, shop.id);
  });

  router.post("/activate", async (req, res) => {
    const { shop } = adminOf(res);
    const input = parseInput(activateRequest, req.body, "body");
    const result = await deps.activation.activate(shop, input.externalHandle);
    if (!result.ok) throw activationError(result.error);
    await sendSettings(res, shop.id);
  });

  router.post("/deactivate", async (_req, res) => {
    const { shop } = adminOf(res);
    const result = await deps.activation.deactivate(shop);
    if (!result.ok) throw activationError(result.error);
    await sendSettings(res, shop.id);
  });

  return router;
}

function activationError(error: ActivationError): HttpError {
  switch (error.kind) {
    case "not_ready":
      return new HttpError(409, "activation_not_ready", error.message);
    case "not_installed":
      return new HttpError(409, "not_installed", error.message);
    case "shopify_error":
      return new HttpError(502, "shopify_error", error.message);
    default:
      return assertUnreachable(error);
  }
}
