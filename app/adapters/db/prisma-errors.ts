/** Prisma's "unique constraint failed" (P2002), also when raised through a driver adapter. */
export function isUniqueViolation(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  const e = error as { code?: unknown; message?: unknown; meta?: { driverAdapterError?: { cause?: { kind?: string } } } };
  if (e.code === "P2002") return true;
  if (e.meta?.driverAdapterError?.cause?.kind === "UniqueConstraintViolation") return true;
  return typeof e.message === "string" && /Unique constraint failed|UNIQUE constraint failed|duplicate key value/i.test(e.message);
}
