import {
  type DocumentNode,
  execute,
  type ExecutionResult,
  getOperationAST,
  type GraphQLError,
  type GraphQLSchema,
  Kind,
  type OperationDefinitionNode,
  parse,
  print,
  validate,
} from "graphql";
import { z } from "zod";

import { err, ok, type Result } from "../../lib/result";

/**
 * Parses, validates and executes a GraphQL request against a versioned schema with the `graphql`
 * package, and words the errors the way Shopify's GraphQL server (graphql-ruby) does: HTTP 200 with a
 * top-level `errors` array and no `data` for anything that fails before execution, the graphql-ruby
 * error codes in `extensions.code` (undefinedField, argumentNotAccepted, missingRequiredArguments,
 * INVALID_VARIABLE, ...). Messages graphql-js words differently and that have no mapping are passed
 * through unchanged (a guess: only the presence of top-level errors is what a client can rely on).
 */

export interface ShopifyGraphQLError {
  message: string;
  locations?: { line: number; column: number }[];
  path?: (string | number)[];
  extensions?: Record<string, unknown>;
}

export interface PreparedOperation {
  document: DocumentNode;
  operation: OperationDefinitionNode;
  variables: Record<string, unknown>;
  operationName: string | null;
  /** Root field names in document order (fragments on the root are rare and not expanded here). */
  rootFields: string[];
}

const bodySchema = z.object({
  query: z.string({ error: "Body must contain a \"query\" string" }).min(1, "Query is empty"),
  variables: z.record(z.string(), z.unknown()).nullish(),
  operationName: z.string().nullish(),
});

type ValidOperation = Omit<PreparedOperation, "variables">;

/** Documents already parsed and validated, per schema, by query text and operation name. */
const validated = new WeakMap<GraphQLSchema, Map<string, ValidOperation>>();
/** An app sends a handful of distinct documents; more than this are forgotten oldest first. */
const MAX_VALIDATED_DOCUMENTS = 500;

/**
 * Everything a GraphQL server checks before executing: body, syntax, validation against the schema. Parsing and
 * validating cost about 0.5-0.8 ms per request (graphql-js) and depend only on the schema, the query text and the
 * operation name, so a document that passed is remembered and reused; a failing one is checked again every time.
 */
export function prepareOperation(schema: GraphQLSchema, rawBody: unknown): Result<PreparedOperation, ShopifyGraphQLError[]> {
  const body = typeof rawBody === "string" ? { query: rawBody } : rawBody;
  const parsed = bodySchema.safeParse(body);
  if (!parsed.success) return err([{ message: parsed.error.issues[0]?.message ?? "Invalid GraphQL request body" }]);
  let known = validated.get(schema);
  if (!known) validated.set(schema, (known = new Map()));
  // null and undefined ask the same (the only operation); "" names one, and is answered differently.
  const key = JSON.stringify([parsed.data.operationName ?? null, parsed.data.query]);
  let operation = known.get(key);
  if (!operation) {
    const checked = parseAndValidate(schema, parsed.data.query, parsed.data.operationName ?? undefined);
    if (!checked.ok) return checked;
    operation = checked.value;
    if (known.size >= MAX_VALIDATED_DOCUMENTS) known.delete(known.keys().next().value as string);
    known.set(key, operation);
  }
  return ok({ ...operation, variables: parsed.data.variables ?? {} });
}

function parseAndValidate(schema: GraphQLSchema, query: string, operationName: string | undefined): Result<ValidOperation, ShopifyGraphQLError[]> {
  let document: DocumentNode;
  try {
    document = parse(query);
  } catch (error) {
    return err([toShopifyError(error as GraphQLError, null)]);
  }
  const operation = getOperationAST(document, operationName);
  if (!operation) {
    const message = operationName ? `No operation named "${operationName}"` : "An operation name is required";
    return err([{ message }]);
  }
  const errors = validate(schema, document);
  if (errors.length > 0) return err(errors.map((error) => toShopifyError(error, operation)));
  const rootFields = operation.selectionSet.selections.flatMap((selection) => (selection.kind === Kind.FIELD ? [selection.name.value] : []));
  return ok({ document, operation, operationName: operation.name?.value ?? null, rootFields });
}

/** Executes a prepared operation; variable coercion errors come back as top-level errors without data. */
export async function executeOperation(
  schema: GraphQLSchema,
  prepared: PreparedOperation,
  rootValue: Record<string, unknown>,
): Promise<{ data: Record<string, unknown> | null; errors: ShopifyGraphQLError[] }> {
  const result: ExecutionResult = await execute({
    schema,
    document: prepared.document,
    rootValue,
    variableValues: prepared.variables,
    operationName: prepared.operationName ?? undefined,
  });
  return {
    data: (result.data as Record<string, unknown> | null | undefined) ?? null,
    errors: (result.errors ?? []).map((error) => toShopifyError(error, prepared.operation)),
  };
}

/** The response body: only `errors` when nothing executed, as GraphQL servers answer. */
export function responseBody(outcome: { data: Record<string, unknown> | null; errors: ShopifyGraphQLError[] }): Record<string, unknown> {
  if (outcome.data === null) return { errors: outcome.errors };
  return outcome.errors.length > 0 ? { errors: outcome.errors, data: outcome.data } : { data: outcome.data };
}

const MAPPINGS: { pattern: RegExp; map: (match: RegExpExecArray, operation: OperationDefinitionNode | null) => Omit<ShopifyGraphQLError, "locations"> }[] = [
  {
    pattern: /^Cannot query field "(\w+)" on type "(\w+)"/,
    map: ([, field, type]) => ({
      message: `Field '${field}' doesn't exist on type '${type}'`,
      extensions: { code: "undefinedField", typeName: type, fieldName: field },
    }),
  },
  {
    pattern: /^Unknown argument "(\w+)" on field "(\w+)\.(\w+)"/,
    map: ([, argument, , field]) => ({
      message: `Field '${field}' doesn't accept argument '${argument}'`,
      extensions: { code: "argumentNotAccepted", name: field, typeName: "Field", argumentName: argument },
    }),
  },
  {
    pattern: /^Field "(\w+)" argument "(\w+)" of type "[^"]+" is required, but it was not provided/,
    map: ([, field, argument]) => ({
      message: `Field '${field}' is missing required arguments: ${argument}`,
      extensions: { code: "missingRequiredArguments", className: "Field", name: field, arguments: argument },
    }),
  },
  {
    pattern: /^Variable "\$(\w+)" got invalid value (.*?)(?:; | at "[\w.[\]]+"; )?(.*)$/s,
    map: ([whole, name], operation) => {
      const definition = operation?.variableDefinitions?.find((variable) => variable.variable.name.value === name);
      const at = /at "([\w.[\]]+)"/.exec(whole)?.[1];
      const path = at ? at.split(".").slice(1) : [];
      return {
        message: `Variable $${name} of type ${definition ? print(definition.type) : "unknown"} was provided invalid value${path.length > 0 ? ` for ${path.join(".")}` : ""}`,
        extensions: { code: "INVALID_VARIABLE", problems: [{ path, explanation: whole }] },
      };
    },
  },
  {
    pattern: /^Variable "\$(\w+)" of required type "([^"]+)" was not provided/,
    map: ([, name, type]) => ({
      message: `Variable $${name} of type ${type} was provided invalid value`,
      extensions: { code: "INVALID_VARIABLE", value: null, problems: [{ path: [], explanation: "Expected value to not be null" }] },
    }),
  },
  {
    pattern: /^Variable "\$(\w+)" of non-null type "([^"]+)" must not be null/,
    map: ([, name, type]) => ({
      message: `Variable $${name} of type ${type} was provided invalid value`,
      extensions: { code: "INVALID_VARIABLE", value: null, problems: [{ path: [], explanation: "Expected value to not be null" }] },
    }),
  },
  {
    pattern: /^Value "(\w+)" does not exist in "(\w+)" enum/,
    map: ([whole]) => ({ message: whole, extensions: { code: "argumentLiteralsIncompatible" } }),
  },
  {
    pattern: /^Variable "\$(\w+)" of type "([^"]+)" used in position expecting type "([^"]+)"/,
    map: ([, name, given, expected]) => ({
      message: `Type mismatch on variable $${name} and argument (${given} / ${expected})`,
      extensions: { code: "variableMismatch", variableName: name, typeName: given },
    }),
  },
  {
    pattern: /^Syntax Error: (.*)$/s,
    map: ([, detail]) => ({ message: `syntax error: ${detail}` }),
  },
];

function toShopifyError(error: GraphQLError, operation: OperationDefinitionNode | null): ShopifyGraphQLError {
  const locations = error.locations?.map(({ line, column }) => ({ line, column }));
  const base: ShopifyGraphQLError = { message: error.message, ...(locations && locations.length > 0 ? { locations } : {}) };
  if (error.path) base.path = [...error.path];
  if (error.extensions && Object.keys(error.extensions).length > 0) base.extensions = { ...error.extensions };
  for (const { pattern, map } of MAPPINGS) {
    const match = pattern.exec(error.message);
    if (match) return { ...base, ...map(match, operation) };
  }
  return base;
}
