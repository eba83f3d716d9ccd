import { createHash } from "node:crypto";

import type { Clock } from "../../lib/clock";
import type { EvidenceSource } from "../../ports/evidence-source";

export const EVIDENCE_BUNDLE_VERSION = 1;

/**
 * The evidence bundle of one payment, for a dispute with the buyer, PagoEfectivo or Shopify: the payment
 * session request exactly as Shopify sent it, the CIP, every PagoEfectivo notification with its raw bytes
 * (base64, and as UTF-8 text), their SHA-256 and the signature check the app made, every delivery to
 * Shopify and each attempt's outcome, the timeline, refunds, reconciliation exceptions and the settlement
 * lines that mention the CIP. The buyer's page token is never included (it opens the buyer page).
 */
export class BuildEvidenceBundle {
  constructor(private readonly deps: { source: EvidenceSource; clock: Clock }) {}

  async execute(shopId: string, paymentSessionId: string): Promise<Record<string, unknown> | null> {
    const records = await this.deps.source.load(shopId, paymentSessionId);
    if (!records) return null;
    const { payment } = records;
    const fileOf = new Map(records.imports.map((i) => [i.id, i]));
    return {
      bundleVersion: EVIDENCE_BUNDLE_VERSION,
      generatedAt: this.deps.clock.now().toISOString(),
      shop: records.shop,
      payment: {
        id: payment.id,
        gid: payment.gid,
        kind: payment.kind,
        test: payment.test,
        environment: payment.environment,
        state: payment.state,
        shopifyState: payment.shopifyState,
        amountMinor: payment.amountMinor,
        currency: payment.currency,
        createdAt: iso(payment.createdAt),
        updatedAt: iso(payment.updatedAt),
        rejectionReason: payment.rejectionReason,
        buyer: {
          givenName: payment.givenName,
          familyName: payment.familyName,
          email: payment.email,
          phone: payment.phone,
          phoneCountryCode: payment.phoneCountryCode,
        },
        order: payment.orderId ? { id: payment.orderId, name: payment.orderName, financialStatus: payment.orderFinancialStatus } : null,
      },
      sessionRequest: {
        requestId: payment.requestId,
        apiVersion: payment.apiVersion,
        proposedAt: iso(payment.proposedAt),
        body: parseJson(payment.requestBody),
        rawText: payment.requestBody,
      },
      cip: payment.cip
        ? {
            cip: payment.cip,
            cipUrl: payment.cipUrl,
            issuedAt: iso(payment.cipIssuedAt),
            expiresAt: iso(payment.cipExpiresAt),
            paidAt: iso(payment.paidAt),
            paidAmountMinor: payment.paidAmountMinor,
            paidCurrency: payment.paidCurrency,
            operationNumber: payment.operationNumber,
            paidVia: payment.paidVia,
            channel: payment.channel,
          }
        : null,
      notifications: records.notifications.map((n) => {
        const raw = Buffer.from(n.rawBody);
        return {
          id: n.id,
          receivedAt: iso(n.receivedAt),
          eventType: n.eventType,
          cip: n.cip,
          operationNumber: n.operationNumber,
          outcome: n.outcome,
          headers: parseJson(n.headersJson),
          signature: n.signature,
          signatureCheck: { valid: n.signatureValid, reason: n.verificationReason, algorithm: "HMAC-SHA256 of the raw body with the shop's secretKey" },
          rawBody: { base64: raw.toString("base64"), utf8: raw.toString("utf8"), sha256: createHash("sha256").update(raw).digest("hex"), bytes: raw.length },
        };
      }),
      deliveries: records.jobs.map((job) => ({
        id: job.id,
        kind: job.kind,
        status: job.status,
        attempts: job.attempts,
        payload: parseJson(job.payloadJson),
        createdAt: iso(job.createdAt),
        completedAt: iso(job.completedAt),
        lastError: job.lastError,
        attemptLog: job.attemptsLog.map((a) => ({ at: iso(a.at), outcome: a.outcome, detail: a.detail })),
      })),
      timeline: records.events.map((e) => ({ at: iso(e.at), type: e.type, detail: parseJson(e.detailJson) })),
      refunds: records.refunds.map((r) => ({
        id: r.id,
        amountMinor: r.amountMinor,
        currency: r.currency,
        state: r.state,
        method: r.method,
        reference: r.reference,
        refundedOn: r.refundedOn ? iso(r.refundedOn)?.slice(0, 10) : null,
        note: r.note,
        rejectReason: r.rejectReason,
        createdAt: iso(r.createdAt),
        decidedAt: iso(r.decidedAt),
      })),
      exceptions: records.exceptions.map((e) => ({
        id: e.id,
        kind: e.kind,
        source: e.source,
        status: e.status,
        detectedAt: iso(e.detectedAt),
        evidence: parseJson(e.evidenceJson),
        resolvedAt: iso(e.resolvedAt),
        resolvedBy: e.resolvedBy,
        resolutionNote: e.resolutionNote,
      })),
      settlementLines: records.lines.map((line) => ({
        importId: line.importId,
        fileName: fileOf.get(line.importId)?.fileName ?? null,
        fileSha256: fileOf.get(line.importId)?.fileHash ?? null,
        lineNumber: line.lineNumber,
        cip: line.cip,
        amountMinor: line.amountMinor,
        currency: line.currency,
        paymentDate: iso(line.paymentDate),
        channel: line.channel,
        commissionMinor: line.commissionMinor,
        netMinor: line.netMinor,
        payoutDate: iso(line.payoutDate),
        operationNumber: line.operationNumber,
        status: line.status,
      })),
    };
  }
}

function iso(date: Date | null): string | null {
  return date ? date.toISOString() : null;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}
