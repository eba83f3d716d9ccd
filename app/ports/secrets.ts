/** Seals and opens secrets at rest (offline tokens, PagoEfectivo secretKeys); AES-256-GCM in app/adapters/crypto. */
export interface Secrets {
  encrypt(plaintext: string): string;
  decrypt(sealed: string): string;
}
