import type { ZodError } from "zod";

/**
 * The one place where failures become HTTP answers. Routes return or throw an HttpError; anything
 * else reaching the error handler is a bug and becomes a 500 (logged, never leaked).
 */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    /** The words' parameters: the admin panel says the code in the merchant's language with them. */
    readonly params?: Record<string, string | number>,
  ) {
    super(message);
    this.name = "HttpError";
  }

  toBody(): Record<string, unknown> {
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(this.params === undefined ? {} : { params: this.params }),
        ...(this.details === undefined ? {} : { details: this.details }),
      },
    };
  }
}

export const badRequest = (message: string, details?: unknown) => new HttpError(400, "bad_request", message, details);
export const unauthorized = (message: string) => new HttpError(401, "unauthorized", message);
export const forbidden = (message: string) => new HttpError(403, "forbidden", message);
export const notFound = (message: string) => new HttpError(404, "not_found", message);
export const conflict = (message: string, details?: unknown) => new HttpError(409, "conflict", message, details);
export const unprocessable = (message: string, details?: unknown) => new HttpError(422, "unprocessable", message, details);
export const serviceUnavailable = (message: string) => new HttpError(503, "unavailable", message);

/** Turns a zod failure into a 400 whose message names each bad field. */
export function fromZodError(error: ZodError, what = "request"): HttpError {
  const issues = error.issues.map((issue) => ({
    path: issue.path.join(".") || "(root)",
    message: issue.message,
  }));
  const summary = issues.map((i) => `${i.path}: ${i.message}`).join("; ");
  return badRequest(`Invalid ${what}: ${summary}`, issues);
}
