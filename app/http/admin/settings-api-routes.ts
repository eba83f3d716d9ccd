import { type Response, Router } from "express";

import { activateRequest, type ConnectionTestAnswer, credentialsRequest, environmentParam, settingsUpdateRequest } from "../../contracts/admin-api";
import type { AdminSettingsStore } from "../../ports/admin-settings";
import type { ActivatePaymentsApp } from "../../use-cases/activate-payments-app/activate-payments-app";
import type { ConfigureShop } from "../../use-cases/configure-shop/configure-shop";
import type { TestConnection } from "../../use-cases/test-connection/test-connection";
import { notFound } from "../http-error";
import { refusalError } from "../result-status";
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
    const input = parseInput(settingsUpdateRequest, req.body, "body");
    await deps.configure.updateSettings(shop.id, input);
    await sendSettings(res, shop.id);
  });

  router.put("/credentials/:environment", async (req, res) => {
    const { shop } = adminOf(res);
    const { environment } = parseInput(environmentParam, req.params, "path");
    const input = parseInput(credentialsRequest, req.body, "body");
    const saved = await deps.configure.saveCredentials(shop.id, environment, input);
    if (!saved.ok) throw refusalError(saved.error.kind, saved.error.message, { details: [{ path: "secretKey", message: "is required the first time credentials are saved" }] });
    await sendSettings(res, shop.id);
  });

  router.post("/credentials/:environment/test", async (req, res) => {
    const { shop } = adminOf(res);
    const { environment } = parseInput(environmentParam, req.params, "path");
    const tested = await deps.testConnection.execute(shop.id, environment);
    if (!tested.ok) throw refusalError(tested.error.kind, tested.error.message);
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
    if (!result.ok) throw refusalError(result.error.kind, result.error.message);
    await sendSettings(res, shop.id);
  });

  router.post("/deactivate", async (_req, res) => {
    const { shop } = adminOf(res);
    const result = await deps.activation.deactivate(shop);
    if (!result.ok) throw refusalError(result.error.kind, result.error.message);
    await sendSettings(res, shop.id);
  });

  return router;
}
