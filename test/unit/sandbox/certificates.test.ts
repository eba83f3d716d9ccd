import { createPrivateKey, X509Certificate } from "node:crypto";
import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { afterAll, describe, expect, it } from "vitest";

import { FixedClock } from "../../../app/lib/clock";
import {
  APP_SANDBOX_CA_NAME,
  createCertificateAuthority,
  issueCertificate,
  loadOrCreateClientIdentity,
  loadOrCreateServerTls,
  PAYMENTS_PLATFORM_CA_NAME,
} from "../../../app/sandbox/certificates";

const tmpDirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "certs-test-"));
  tmpDirs.push(dir);
  return dir;
}

afterAll(() => {
  for (const dir of tmpDirs) rmSync(dir, { recursive: true, force: true });
});

describe("createCertificateAuthority / issueCertificate", () => {
  const ca = createCertificateAuthority("Test Root CA");
  const caCert = new X509Certificate(ca.certPem);

  it("creates a self-signed CA valid for ten years", () => {
    expect(caCert.ca).toBe(true);
    expect(caCert.subject).toContain("CN=Test Root CA");
    expect(caCert.checkIssued(caCert)).toBe(true);
    expect(caCert.verify(caCert.publicKey)).toBe(true);
    const years = (Date.parse(caCert.validTo) - Date.parse(caCert.validFrom)) / (365.25 * 24 * 3600 * 1000);
    expect(years).toBeGreaterThan(9.9);
    expect(caCert.publicKey.asymmetricKeyDetails?.modulusLength).toBe(2048);
  });

  it("issues a server leaf that verifies against its CA, with serverAuth and SANs", () => {
    const leaf = issueCertificate(ca, { commonName: "localhost", kind: "server", altNames: ["localhost", "127.0.0.1", "::1"] });
    const cert = new X509Certificate(leaf.certPem);
    expect(cert.ca).toBe(false);
    expect(cert.checkIssued(caCert)).toBe(true);
    expect(cert.verify(caCert.publicKey)).toBe(true);
    expect(cert.keyUsage).toEqual(["1.3.6.1.5.5.7.3.1"]);
    expect(cert.subjectAltName).toContain("DNS:localhost");
    expect(cert.subjectAltName).toContain("IP Address:127.0.0.1");
    expect(cert.checkHost("localhost")).toBe("localhost");
    expect(cert.checkIP("127.0.0.1")).toBe("127.0.0.1");
    expect(cert.checkIP("::1")).toBeDefined();
  });

  it("issues a client leaf with clientAuth only", () => {
    const leaf = issueCertificate(ca, { commonName: "client", kind: "client", days: 30 });
    const cert = new X509Certificate(leaf.certPem);
    expect(cert.checkIssued(caCert)).toBe(true);
    expect(cert.keyUsage).toEqual(["1.3.6.1.5.5.7.3.2"]);
    expect(cert.checkPrivateKey(createPrivateKey(leaf.keyPem))).toBe(true);
  });

  it("does not verify against a different CA", () => {
    const other = new X509Certificate(createCertificateAuthority("Other CA").certPem);
    const leaf = new X509Certificate(issueCertificate(ca, { commonName: "x", kind: "client" }).certPem);
    expect(leaf.checkIssued(other)).toBe(false);
    expect(leaf.verify(other.publicKey)).toBe(false);
  });

  it("uses the injected clock for the validity window", () => {
    const clock = new FixedClock(new Date("2030-01-01T00:00:00Z"));
    const cert = new X509Certificate(createCertificateAuthority("Future CA", clock).certPem);
    expect(new Date(cert.validFrom).getUTCFullYear()).toBe(2029);
    expect(new Date(cert.validTo).getUTCFullYear()).toBe(2039);
  });
});

describe("loadOrCreateServerTls / loadOrCreateClientIdentity", () => {
  it("persists the server bundle, keys 0600, and returns the same certificate next time", () => {
    const dir = tempDir();
    const first = loadOrCreateServerTls(dir);
    const second = loadOrCreateServerTls(dir);
    expect(second).toEqual(first);
    const ca = new X509Certificate(first.caPem);
    const leaf = new X509Certificate(first.certPem);
    expect(ca.subject).toContain(`CN=${APP_SANDBOX_CA_NAME}`);
    expect(leaf.subject).toContain("CN=localhost");
    expect(leaf.checkIssued(ca)).toBe(true);
    expect(leaf.verify(ca.publicKey)).toBe(true);
    expect(statSync(join(dir, "app-server-key.pem")).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, "app-server-ca-key.pem")).mode & 0o777).toBe(0o600);
  });

  it("creates the payments platform CA and a client certificate", () => {
    const dir = tempDir();
    const identity = loadOrCreateClientIdentity(dir, "payments.shopify.test");
    const ca = new X509Certificate(identity.caPem);
    const leaf = new X509Certificate(identity.certPem);
    expect(ca.subject).toContain(`CN=${PAYMENTS_PLATFORM_CA_NAME}`);
    expect(leaf.subject).toContain("CN=payments.shopify.test");
    expect(leaf.keyUsage).toEqual(["1.3.6.1.5.5.7.3.2"]);
    expect(loadOrCreateClientIdentity(dir, "payments.shopify.test")).toEqual(identity);
  });

  it("reissues the leaf (keeping the CA) when the spec changes or the key no longer matches", () => {
    const dir = tempDir();
    const first = loadOrCreateClientIdentity(dir, "one");
    const renamed = loadOrCreateClientIdentity(dir, "two");
    expect(renamed.caPem).toBe(first.caPem);
    expect(renamed.certPem).not.toBe(first.certPem);

    writeFileSync(join(dir, "payments-platform-client-key.pem"), first.keyPem);
    const repaired = loadOrCreateClientIdentity(dir, "two");
    expect(repaired.certPem).not.toBe(renamed.certPem);
    expect(new X509Certificate(repaired.certPem).checkPrivateKey(createPrivateKey(repaired.keyPem))).toBe(true);
  });

  it("renews a leaf that is about to expire", () => {
    const dir = tempDir();
    const first = loadOrCreateServerTls(dir);
    const later = new FixedClock(new Date(Date.now() + 820 * 24 * 3600 * 1000));
    const renewed = loadOrCreateServerTls(dir, later);
    expect(renewed.caPem).toBe(first.caPem);
    expect(renewed.certPem).not.toBe(first.certPem);
  });
});
