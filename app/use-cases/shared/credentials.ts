import type { PagoEfectivoCredentials } from "../../ports/pagoefectivo-gateway";
import type { CredentialRecord, Environment, PaymentStore } from "../../ports/payment-store";
import type { Secrets } from "../../ports/secrets";

export interface PagoEfectivoEndpoints {
  /** Base URL for each credential environment: pre-production (sandbox) and production. */
  baseUrl(environment: Environment): string;
}

/** Turns stored, sealed credentials into what the PagoEfectivo client needs, just in time. */
export class CredentialsResolver {
  constructor(
    private readonly store: Pick<PaymentStore, "findCredentials" | "listCredentials">,
    private readonly secrets: Secrets,
    private readonly endpoints: PagoEfectivoEndpoints,
  ) {}

  async forShop(shopId: string, environment: Environment): Promise<PagoEfectivoCredentials | null> {
    const record = await this.store.findCredentials(shopId, environment);
    return record ? this.open(record) : null;
  }

  async allForShop(shopId: string): Promise<Array<{ environment: Environment; credentials: PagoEfectivoCredentials }>> {
    const records = await this.store.listCredentials(shopId);
    return records.map((r) => ({ environment: r.environment, credentials: this.open(r) }));
  }

  open(record: CredentialRecord): PagoEfectivoCredentials {
    return {
      accessKey: record.accessKey,
      secretKey: this.secrets.decrypt(record.secretKeyEncrypted),
      idService: record.idService,
      baseUrl: this.endpoints.baseUrl(record.environment),
    };
  }
}

/** test: true sessions use the shop's sandbox (pre-production) service, live ones production. */
export function environmentFor(test: boolean): Environment {
  return test ? "sandbox" : "production";
}
