import type { Clock } from "../../lib/clock";
import type { Logger } from "../../lib/logger";
import { err, ok, type Result } from "../../lib/result";
import type { AdminCredential } from "../../ports/admin-settings";
import type { PagoEfectivoCredentials, PagoEfectivoGateway } from "../../ports/pagoefectivo-gateway";
import type { CredentialRecord, Environment } from "../../ports/payment-store";

/**
 * "Test connection": signs in to PagoEfectivo's authorization endpoint with the saved credentials
 * of one environment and records the outcome on them (verifiedAt, or lastTestError in plain words).
 */

/** `reason` is PagoEfectivo's error kind, so the panel can explain it in the merchant's language. */
export type ConnectionTestResult = { ok: true; tokenExpires: Date } | { ok: false; reason: string; message: string };

export type TestConnectionError = { kind: "no_credentials"; message: string };

export class TestConnection {
  constructor(
    private readonly deps: {
      settings: {
        credential(shopId: string, environment: Environment): Promise<AdminCredential | null>;
        recordConnectionTest(params: {
          shopId: string;
          environment: Environment;
          testedVersion: Date;
          verifiedAt: Date | null;
          lastTestError: string | null;
        }): Promise<boolean>;
      };
      /** Opens the sealed secret and adds the environment's base URL (CredentialsResolver). */
      credentials: { open(record: CredentialRecord): PagoEfectivoCredentials };
      gateway: Pick<PagoEfectivoGateway, "authorize">;
      clock: Clock;
      logger: Logger;
    },
  ) {}

  async execute(shopId: string, environment: Environment): Promise<Result<ConnectionTestResult, TestConnectionError>> {
    const { deps } = this;
    const saved = await deps.settings.credential(shopId, environment);
    if (!saved) return err({ kind: "no_credentials", message: `Save the ${environment} credentials before testing them` });
    const answer = await deps.gateway.authorize(deps.credentials.open(saved));
    const result: ConnectionTestResult = answer.ok ? { ok: true, tokenExpires: answer.value.tokenExpires } : { ok: false, reason: answer.error.kind, message: answer.error.message };
    const stored = await deps.settings.recordConnectionTest({
      shopId,
      environment,
      testedVersion: saved.updatedAt,
      verifiedAt: result.ok ? deps.clock.now() : null,
      lastTestError: result.ok ? null : result.message,
    });
    deps.logger.info(
      { shopId, environment, ok: result.ok, errorKind: answer.ok ? null : answer.error.kind, stored },
      "PagoEfectivo connection tested",
    );
    return ok(result);
  }
}
