import {
  createPrivateKey,
  createPublicKey,
  type KeyObject,
  randomBytes,
  X509Certificate,
} from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { isIP } from "node:net";
import { join } from "node:path";

import forge from "node-forge";

import { type Clock, systemClock } from "../lib/clock";

/**
 * Sandbox PKI. Shopify only talks to payments apps over mutual TLS, so the sandbox needs two small
 * certificate authorities: one that signs the app's HTTPS server certificate (standing in for a
 * public CA) and one that plays "Shopify Payments Platform Root CA" and signs the client
 * certificate the simulator presents. Keys are RSA 2048, signatures SHA-256.
 *
 * TLS stacks check validity against wall time, never against the app's adjustable business
 * clock, so callers should pass a clock that follows real time (the default).
 */

export const APP_SANDBOX_CA_NAME = "PagoEfectivo App Sandbox CA";
export const PAYMENTS_PLATFORM_CA_NAME = "Shopify Payments Platform Root CA (sandbox)";

export type CertificateKind = "server" | "client";

export interface PemPair {
  certPem: string;
  keyPem: string;
}

export interface IssueCertificateOptions {
  commonName: string;
  kind: CertificateKind;
  /** DNS names and IP addresses (v4 or v6), e.g. "localhost", "127.0.0.1", "::1". */
  altNames?: string[];
  /** Lifetime in days; 825 by default (the longest lifetime browsers accept for a server leaf). */
  days?: number;
  clock?: Clock;
}

export interface TlsBundle {
  caPem: string;
  certPem: string;
  keyPem: string;
}

export interface BundleSpec {
  /** File name prefix inside the directory, so several bundles can share one directory. */
  name: string;
  caCommonName: string;
  leaf: Omit<IssueCertificateOptions, "clock">;
  clock?: Clock;
}

const CA_DAYS = 3650;
const DEFAULT_LEAF_DAYS = 825;
const RENEW_BEFORE_MS = 30 * 24 * 60 * 60 * 1000;
// Backdated so a peer whose clock is slightly behind does not see "certificate is not yet valid".
const BACKDATE_MS = 60 * 60 * 1000;

export function createCertificateAuthority(commonName: string, clock: Clock = systemClock): PemPair {
  const keys = forge.pki.rsa.generateKeyPair({ bits: 2048, e: 0x10001 });
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = randomSerial();
  setValidity(cert, clock, CA_DAYS);
  const subject = [{ name: "commonName", value: commonName }, { name: "organizationName", value: "PagoEfectivo for Shopify sandbox" }];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.setExtensions([
    { name: "basicConstraints", cA: true, critical: true },
    { name: "keyUsage", keyCertSign: true, cRLSign: true, critical: true },
    { name: "subjectKeyIdentifier" },
  ]);
  cert.sign(keys.privateKey, forge.md.sha256.create());
  return { certPem: forge.pki.certificateToPem(cert), keyPem: forge.pki.privateKeyToPem(keys.privateKey) };
}

export function issueCertificate(ca: PemPair, options: IssueCertificateOptions): PemPair {
  const caCert = forge.pki.certificateFromPem(ca.certPem);
  const caKey = forge.pki.privateKeyFromPem(ca.keyPem);
  const keys = forge.pki.rsa.generateKeyPair({ bits: 2048, e: 0x10001 });
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = randomSerial();
  setValidity(cert, options.clock ?? systemClock, options.days ?? DEFAULT_LEAF_DAYS);
  cert.setSubject([{ name: "commonName", value: options.commonName }]);
  cert.setIssuer(caCert.subject.attributes);

  const extensions: object[] = [
    { name: "basicConstraints", cA: false, critical: true },
    { name: "keyUsage", digitalSignature: true, keyEncipherment: true, critical: true },
    options.kind === "server" ? { name: "extKeyUsage", serverAuth: true } : { name: "extKeyUsage", clientAuth: true },
    { name: "subjectKeyIdentifier" },
    { name: "authorityKeyIdentifier", keyIdentifier: caCert.generateSubjectKeyIdentifier().getBytes() },
  ];
  const altNames = options.altNames ?? [];
  if (altNames.length > 0) {
    extensions.push({
      name: "subjectAltName",
      altNames: altNames.map((name) => (isIP(name) ? { type: 7, ip: name } : { type: 2, value: name })),
    });
  }
  cert.setExtensions(extensions);
  cert.sign(caKey, forge.md.sha256.create());
  return { certPem: forge.pki.certificateToPem(cert), keyPem: forge.pki.privateKeyToPem(keys.privateKey) };
}

/**
 * Returns the bundle stored under `dir`, creating (or renewing) what is missing, expiring soon,
 * mismatched or issued for a different spec. Generating RSA keys costs a few hundred ms, so this
 * is done once and the files are reused on the next start.
 */
export function loadOrCreateBundle(dir: string, spec: BundleSpec): TlsBundle {
  const clock = spec.clock ?? systemClock;
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const paths = {
    caCert: join(dir, `${spec.name}-ca.pem`),
    caKey: join(dir, `${spec.name}-ca-key.pem`),
    cert: join(dir, `${spec.name}.pem`),
    key: join(dir, `${spec.name}-key.pem`),
    meta: join(dir, `${spec.name}.json`),
  };

  let ca = readPair(paths.caCert, paths.caKey);
  let caRenewed = false;
  if (ca === null || !isUsableCa(ca, spec.caCommonName, clock)) {
    ca = createCertificateAuthority(spec.caCommonName, clock);
    writeKeyThenCert(paths.caKey, paths.caCert, ca);
    caRenewed = true;
  }

  const wantedMeta = JSON.stringify({
    caCommonName: spec.caCommonName,
    commonName: spec.leaf.commonName,
    kind: spec.leaf.kind,
    altNames: spec.leaf.altNames ?? [],
  });
  let leaf = readPair(paths.cert, paths.key);
  const metaMatches = existsSync(paths.meta) && readFileSync(paths.meta, "utf8") === wantedMeta;
  if (caRenewed || leaf === null || !metaMatches || !isUsableLeaf(leaf, ca, clock)) {
    leaf = issueCertificate(ca, { ...spec.leaf, clock });
    writeKeyThenCert(paths.key, paths.cert, leaf);
    writeAtomic(paths.meta, wantedMeta, 0o644);
  }
  return { caPem: ca.certPem, certPem: leaf.certPem, keyPem: leaf.keyPem };
}

/** TLS material for the app's own HTTPS listener in sandbox mode (leaf CN localhost). */
export function loadOrCreateServerTls(dir: string, clock: Clock = systemClock): TlsBundle {
  return loadOrCreateBundle(dir, {
    name: "app-server",
    caCommonName: APP_SANDBOX_CA_NAME,
    leaf: { commonName: "localhost", kind: "server", altNames: ["localhost", "127.0.0.1", "::1"] },
    clock,
  });
}

/** The simulated Shopify Payments Platform root CA plus the client certificate it signs. */
export function loadOrCreateClientIdentity(dir: string, commonName: string, clock: Clock = systemClock): TlsBundle {
  return loadOrCreateBundle(dir, {
    name: "payments-platform-client",
    caCommonName: PAYMENTS_PLATFORM_CA_NAME,
    leaf: { commonName, kind: "client" },
    clock,
  });
}

function setValidity(cert: forge.pki.Certificate, clock: Clock, days: number): void {
  const now = clock.now().getTime();
  cert.validity.notBefore = new Date(now - BACKDATE_MS);
  cert.validity.notAfter = new Date(now + days * 24 * 60 * 60 * 1000);
}

function randomSerial(): string {
  const bytes = randomBytes(16);
  // A positive, non-zero DER INTEGER: clear the sign bit and make sure the first byte is not zero.
  bytes[0] = ((bytes[0] ?? 1) & 0x7f) | 0x01;
  return bytes.toString("hex");
}

function readPair(certPath: string, keyPath: string): PemPair | null {
  if (!existsSync(certPath) || !existsSync(keyPath)) return null;
  return { certPem: readFileSync(certPath, "utf8"), keyPem: readFileSync(keyPath, "utf8") };
}

function isUsableCa(ca: PemPair, commonName: string, clock: Clock): boolean {
  const parsed = parsePair(ca);
  if (parsed === null) return false;
  return (
    parsed.cert.ca &&
    parsed.cert.subject.split("\n").includes(`CN=${commonName}`) &&
    parsed.cert.verify(parsed.cert.publicKey) &&
    isFresh(parsed.cert, clock) &&
    sameKey(parsed.cert.publicKey, parsed.key)
  );
}

function isUsableLeaf(leaf: PemPair, ca: PemPair, clock: Clock): boolean {
  const parsed = parsePair(leaf);
  if (parsed === null) return false;
  const caCert = new X509Certificate(ca.certPem);
  return (
    parsed.cert.checkIssued(caCert) &&
    parsed.cert.verify(caCert.publicKey) &&
    isFresh(parsed.cert, clock) &&
    sameKey(parsed.cert.publicKey, parsed.key)
  );
}

function parsePair(pair: PemPair): { cert: X509Certificate; key: KeyObject } | null {
  try {
    return { cert: new X509Certificate(pair.certPem), key: createPrivateKey(pair.keyPem) };
  } catch {
    return null;
  }
}

function isFresh(cert: X509Certificate, clock: Clock): boolean {
  const now = clock.now().getTime();
  return new Date(cert.validFrom).getTime() <= now && new Date(cert.validTo).getTime() - RENEW_BEFORE_MS > now;
}

function sameKey(publicKey: KeyObject, privateKey: KeyObject): boolean {
  const fromPrivate = createPublicKey(privateKey).export({ type: "spki", format: "der" });
  return fromPrivate.equals(publicKey.export({ type: "spki", format: "der" }));
}

// The key is written first so a reader never sees a new certificate next to an old key; a pair
// torn by a crash between the two writes fails sameKey() and is regenerated.
function writeKeyThenCert(keyPath: string, certPath: string, pair: PemPair): void {
  writeAtomic(keyPath, pair.keyPem, 0o600);
  writeAtomic(certPath, pair.certPem, 0o644);
}

function writeAtomic(path: string, contents: string, mode: number): void {
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  writeFileSync(tmp, contents, { mode });
  chmodSync(tmp, mode);
  renameSync(tmp, path);
}
