import { randomFillSync } from "node:crypto";

/**
 * `bytes` bytes from the CSPRNG as base64url, as `randomBytes(bytes).toString("base64url")` gives them, but taken
 * from a pool filled by one randomFillSync call per 4 kB instead of one call into OpenSSL per token: that call was
 * most of the cost of a payment session's buyer token (issue #13), and node's randomUUID pools the same way. Every
 * pool byte is handed out once and the pool is refilled before it runs dry, so tokens stay independent and
 * unguessable.
 */
const POOL_BYTES = 4096;
const pool = Buffer.alloc(POOL_BYTES);
let offset = POOL_BYTES;

export function randomToken(bytes: number): string {
  if (!Number.isInteger(bytes) || bytes <= 0 || bytes > POOL_BYTES) throw new RangeError(`randomToken: ${bytes} bytes`);
  if (offset + bytes > POOL_BYTES) {
    randomFillSync(pool);
    offset = 0;
  }
  const token = pool.toString("base64url", offset, offset + bytes);
  // Handed-out bytes are wiped so the pool never holds a token that is already in use.
  pool.fill(0, offset, offset + bytes);
  offset += bytes;
  return token;
}
