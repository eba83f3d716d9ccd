import type { z } from "zod";

import { fromZodError } from "../http-error";

/** Parses a request part with zod or throws the 400 that names each bad field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, what: "body" | "query" | "path"): z.output<S> {
  const parsed = schema.safeParse(input ?? {});
  if (!parsed.success) throw fromZodError(parsed.error, what);
  return parsed.data;
}
