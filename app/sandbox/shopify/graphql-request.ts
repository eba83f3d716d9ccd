import { z } from "zod";

import { err, ok, type Result } from "../../lib/result";
import { type DocumentNode, type FieldNode, type OperationNode, parseDocument } from "./graphql-document";
import { coerceVariables, collectRootFields, type GraphQLError, selectOperation, type Variables } from "./graphql-execution";

/** Turns an HTTP GraphQL request into the operation to run, or the errors a GraphQL server answers. */

const bodySchema = z.object({
  query: z.string({ error: "Body must contain a \"query\" string" }).min(1, "Query is empty"),
  variables: z.record(z.string(), z.unknown()).nullish(),
  operationName: z.string().nullish(),
});

export interface PreparedRequest {
  document: DocumentNode;
  operation: OperationNode;
  variables: Variables;
  rootFields: FieldNode[];
}

/** `rawBody` is the parsed JSON body, or a string for `Content-Type: application/graphql`. */
export function prepareGraphQLRequest(rawBody: unknown): Result<PreparedRequest, GraphQLError[]> {
  const body = typeof rawBody === "string" ? { query: rawBody } : rawBody;
  const parsed = bodySchema.safeParse(body);
  if (!parsed.success) {
    return err([{ message: parsed.error.issues[0]?.message ?? "Invalid GraphQL request body" }]);
  }
  const document = parseDocument(parsed.data.query);
  if (!document.ok) {
    return err([{ message: document.error.message, locations: [{ line: document.error.line, column: document.error.column }] }]);
  }
  const operation = selectOperation(document.value, parsed.data.operationName);
  if (!operation.ok) return err([operation.error]);
  const variables = coerceVariables(operation.value, parsed.data.variables ?? {});
  if (!variables.ok) return err(variables.error);
  const rootFields = collectRootFields(operation.value.selectionSet, {
    fragments: document.value.fragments,
    variables: variables.value,
  });
  return ok({ document: document.value, operation: operation.value, variables: variables.value, rootFields });
}

export function undefinedFieldError(field: FieldNode, typeName: string, operation: string): GraphQLError {
  return {
    message: `Field '${field.name}' doesn't exist on type '${typeName}'`,
    locations: [{ line: field.line, column: field.column }],
    path: [operation, field.name],
    extensions: { code: "undefinedField", typeName, fieldName: field.name },
  };
}

/** Flattens zod issues into the "argument has an invalid value" error GraphQL servers return. */
export function invalidArgumentsError(field: FieldNode, operation: string, issues: z.core.$ZodIssue[]): GraphQLError {
  const details = issues.map((issue) => `${issue.path.length > 0 ? issue.path.join(".") : "(arguments)"}: ${issue.message}`);
  return {
    message: `Argument(s) on Field '${field.name}' have invalid values: ${details.join("; ")}`,
    locations: [{ line: field.line, column: field.column }],
    path: [operation, field.name],
    extensions: { code: "argumentLiteralsIncompatible", problems: details },
  };
}
