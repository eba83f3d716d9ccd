import type { PagoEfectivoCredentials } from "../../ports/pagoefectivo-gateway";
import type { CredentialRecord, Environment, PaymentStore } from "../../ports/payment-store";
import type { Secrets } from "../../ports/secrets";

export interface PagoEfectivoEndpoints {
  /** Base URL for each credential environment: pre-production (sandbox) and production. */
  baseUrl(environment: Environment): string;
}

/** How many decrypted secrets are kept: one or two per shop (sandbox, production). */
const OPENED_SECRETS_LIMIT = 2_000;

/**
 * Turns stored, sealed credentials into what the PagoEfectivo client needs, just in time. Decrypting
 * (AES-GCM) on every notification and checkout is wasted work, so opened secrets are kept in a bounded
 * LRU keyed by the sealed text itself: saving new credentials seals them with a fresh IV, so a changed
 * secret is a different key and the old entry is never served again (and ages out); nothing to invalidate,
 * on this instance or any other.
 */
export class CredentialsResolver {
  private readonly opened = new Map<string, string>();

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
      secretKey: this.secretOf(record.secretKeyEncrypted),
      idService: record.idService,
      baseUrl: this.endpoints.baseUrl(record.environment),
    };
  }

  private secretOf(sealed: string): string {
    const known = this.opened.get(sealed);
    if (known !== undefined) {
      // Most recently used last: Map keeps insertion order, so the first key is the least recently used.
      this.opened.delete(sealed);
      this.opened.set(sealed, known);
      return known;
    }
    const secret = this.secrets.decrypt(sealed);
    if (this.opened.size >= OPENED_SECRETS_LIMIT) this.opened.delete(this.opened.keys().next().value as string);
    this.opened.set(sealed, secret);
    return secret;
  }
}

/** test: true sessions use the shop's sandbox (pre-production) service, live ones production. */
export function environmentFor(test: boolean): Environment {
  return test ? "sandbox" : "production";
}
