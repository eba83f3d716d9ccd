import { createHash } from "node:crypto";

export interface HashStringInput {
  readonly idService: number;
  readonly accessKey: string;
  readonly secretKey: string;
  /** The exact dateRequest text sent in the same body; any other rendering of the instant fails. */
  readonly dateRequest: string;
}

/** The authorization hashString: lowercase hex SHA-256 of "idService.accessKey.secretKey.dateRequest" (UTF-8). */
export function computeHashString(input: HashStringInput): string {
  const message = `${input.idService}.${input.accessKey}.${input.secretKey}.${input.dateRequest}`;
  return createHash("sha256").update(message, "utf8").digest("hex");
}
