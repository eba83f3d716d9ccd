/** The stored records behind one payment, as the evidence source reads them. */
export interface EvidenceRecords {
  readonly shop: { domain: string; legalName: string | null; ruc: string | null };
  readonly payment: {
    id: string;
    gid: string;
    amountMinor: number;
    currency: string;
    test: boolean;
    kind: string;
    state: string;
    email: string | null;
    phone: string | null;
    phoneCountryCode: string | null;
    givenName: string | null;
    familyName: string | null;
    proposedAt: Date;
    requestId: string;
    apiVersion: string;
    requestBody: string;
    environment: string;
    cip: string | null;
    cipUrl: string | null;
    cipIssuedAt: Date | null;
    cipExpiresAt: Date | null;
    shopifyState: string | null;
    paidAt: Date | null;
    paidAmountMinor: number | null;
    paidCurrency: string | null;
    operationNumber: string | null;
    paidVia: string | null;
    channel: string | null;
    orderId: string | null;
    orderName: string | null;
    orderFinancialStatus: string | null;
    rejectionReason: string | null;
    createdAt: Date;
    updatedAt: Date;
  };
  readonly notifications: readonly {
    id: string;
    cip: string | null;
    operationNumber: string | null;
    eventType: string | null;
    rawBody: Uint8Array;
    headersJson: string;
    signature: string | null;
    signatureValid: boolean;
    verificationReason: string | null;
    outcome: string;
    receivedAt: Date;
  }[];
  readonly events: readonly { id: string; type: string; at: Date; detailJson: string }[];
  readonly jobs: readonly {
    id: string;
    kind: string;
    status: string;
    attempts: number;
    payloadJson: string;
    createdAt: Date;
    completedAt: Date | null;
    lastError: string | null;
    attemptsLog: readonly { id: string; at: Date; outcome: string; detail: string }[];
  }[];
  readonly refunds: readonly {
    id: string;
    amountMinor: number;
    currency: string;
    state: string;
    method: string | null;
    reference: string | null;
    refundedOn: Date | null;
    note: string | null;
    rejectReason: string | null;
    createdAt: Date;
    decidedAt: Date | null;
  }[];
  readonly exceptions: readonly {
    id: string;
    kind: string;
    source: string;
    status: string;
    evidenceJson: string;
    detectedAt: Date;
    resolvedAt: Date | null;
    resolutionNote: string | null;
    resolvedBy: string | null;
  }[];
  readonly lines: readonly {
    importId: string;
    lineNumber: number;
    cip: string;
    amountMinor: number;
    currency: string;
    paymentDate: Date | null;
    channel: string | null;
    commissionMinor: number | null;
    netMinor: number | null;
    payoutDate: Date | null;
    operationNumber: string | null;
    status: string | null;
  }[];
  readonly imports: readonly { id: string; fileName: string; fileHash: string; createdAt: Date }[];
}

export interface EvidenceSource {
  load(shopId: string, paymentSessionId: string): Promise<EvidenceRecords | null>;
}
