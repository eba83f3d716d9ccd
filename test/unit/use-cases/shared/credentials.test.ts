import { randomBytes } from "node:crypto";

import { describe, expect, it } from "vitest";

import { SecretBox } from "../../../../app/adapters/crypto/secret-box";
import type { CredentialRecord } from "../../../../app/ports/payment-store";
import { CredentialsResolver } from "../../../../app/use-cases/shared/credentials";

class CountingBox extends SecretBox {
  decrypts = 0;
  override decrypt(sealed: string): string {
    this.decrypts += 1;
    return super.decrypt(sealed);
  }
}

describe("CredentialsResolver", () => {
  const box = new CountingBox(randomBytes(32));
  let stored: CredentialRecord = { shopId: "s1", environment: "sandbox", accessKey: "AK", secretKeyEncrypted: box.encrypt("first"), idService: 1, verifiedAt: null };
  const store = {
    findCredentials: async () => stored,
    listCredentials: async () => [stored],
  };
  const resolver = new CredentialsResolver(store, box, { baseUrl: () => "https://pe.test" });

  it("decrypts a secret once, and serves a changed secret at once", async () => {
    expect((await resolver.forShop("s1", "sandbox"))?.secretKey).toBe("first");
    expect((await resolver.allForShop("s1"))[0]?.credentials.secretKey).toBe("first");
    expect(box.decrypts).toBe(1);
    // The merchant saves a new secret: sealed with a fresh IV, so it is a different cache key.
    stored = { ...stored, secretKeyEncrypted: box.encrypt("second") };
    expect((await resolver.forShop("s1", "sandbox"))?.secretKey).toBe("second");
    expect(box.decrypts).toBe(2);
  });
});
