import { err, ok, type Result } from "../../lib/result";
import {
  type DirectiveNode,
  type DocumentNode,
  type FieldNode,
  type FragmentNode,
  type OperationNode,
  printType,
  type SelectionNode,
  type ValueNode,
} from "./graphql-document";

/** The pieces of GraphQL execution the simulator needs: variables, arguments and result shaping. */

export interface GraphQLError {
  message: string;
  locations?: { line: number; column: number }[];
  path?: (string | number)[];
  extensions?: Record<string, unknown>;
}

export type Variables = Record<string, unknown>;

/**
 * A resolved object: plain data plus `__typename`; a property may be a function taking the field
 * arguments (for fields such as `orders(first:)`).
 */
export type ResolvedObject = { __typename: string } & Record<string, unknown>;

export interface ShapeContext {
  fragments: Map<string, FragmentNode>;
  variables: Variables;
  /** Abstract type name -> the object types that implement it (interfaces and unions). */
  possibleTypes: Record<string, string[]>;
}

export function selectOperation(document: DocumentNode, operationName: string | null | undefined): Result<OperationNode, GraphQLError> {
  if (operationName) {
    const found = document.operations.find((operation) => operation.name === operationName);
    return found ? ok(found) : err({ message: `No operation named "${operationName}"` });
  }
  const [only, ...rest] = document.operations;
  if (only === undefined) return err({ message: "No operations in query document" });
  if (rest.length > 0) return err({ message: "An operation name is required" });
  return ok(only);
}

/** Applies defaults and rejects missing non-null variables, as a GraphQL server does before executing. */
export function coerceVariables(operation: OperationNode, provided: Variables): Result<Variables, GraphQLError[]> {
  const variables: Variables = {};
  const errors: GraphQLError[] = [];
  for (const definition of operation.variableDefinitions) {
    const value = provided[definition.name];
    if (value === undefined && definition.defaultValue !== null) {
      variables[definition.name] = valueToJs(definition.defaultValue, {});
      continue;
    }
    if ((value === undefined || value === null) && definition.type.kind === "nonNull") {
      errors.push({
        message: `Variable $${definition.name} of type ${printType(definition.type)} was provided invalid value`,
        extensions: {
          code: "INVALID_VARIABLE",
          value: value ?? null,
          problems: [{ path: [], explanation: "Expected value to not be null" }],
        },
      });
      continue;
    }
    if (value !== undefined) variables[definition.name] = value;
  }
  return errors.length > 0 ? err(errors) : ok(variables);
}

export function valueToJs(node: ValueNode, variables: Variables): unknown {
  switch (node.kind) {
    case "variable":
      return variables[node.name] ?? null;
    case "int":
      return Number.parseInt(node.value, 10);
    case "float":
      return Number(node.value);
    case "string":
    case "enum":
      return node.value;
    case "boolean":
      return node.value;
    case "null":
      return null;
    case "list":
      return node.values.map((value) => valueToJs(value, variables));
    case "object":
      return Object.fromEntries(node.fields.map((field) => [field.name, valueToJs(field.value, variables)]));
  }
}

export function argumentValues(field: FieldNode, variables: Variables): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const argument of field.arguments) {
    // An argument bound to an absent variable is "not provided", not null.
    if (argument.value.kind === "variable" && !(argument.value.name in variables)) continue;
    values[argument.name] = valueToJs(argument.value, variables);
  }
  return values;
}

/** Root fields of the operation after fragments and @skip/@include are applied, in document order. */
export function collectRootFields(selections: SelectionNode[], context: Pick<ShapeContext, "fragments" | "variables">): FieldNode[] {
  const fields: FieldNode[] = [];
  for (const selection of selections) {
    if (!isIncluded(selection.directives, context.variables)) continue;
    switch (selection.kind) {
      case "field":
        fields.push(selection);
        break;
      case "inlineFragment":
        fields.push(...collectRootFields(selection.selectionSet, context));
        break;
      case "fragmentSpread": {
        const fragment = context.fragments.get(selection.name);
        if (fragment) fields.push(...collectRootFields(fragment.selectionSet, context));
        break;
      }
    }
  }
  return fields;
}

export function responseKey(field: FieldNode): string {
  return field.alias ?? field.name;
}

/** Keeps only what the client selected, under its aliases, resolving fragments by __typename. */
export function shape(value: unknown, selections: SelectionNode[] | null, context: ShapeContext): unknown {
  if (value === null || value === undefined) return null;
  if (Array.isArray(value)) return value.map((item) => shape(item, selections, context));
  if (selections === null || typeof value !== "object") return value;
  const source = value as ResolvedObject;
  const out: Record<string, unknown> = {};
  applySelections(source, selections, context, out);
  return out;
}

function applySelections(source: ResolvedObject, selections: SelectionNode[], context: ShapeContext, out: Record<string, unknown>): void {
  for (const selection of selections) {
    if (!isIncluded(selection.directives, context.variables)) continue;
    switch (selection.kind) {
      case "field": {
        const key = responseKey(selection);
        const resolved = resolveField(source, selection, context.variables);
        const shaped = shape(resolved, selection.selectionSet, context);
        const existing = out[key];
        out[key] = isPlainObject(existing) && isPlainObject(shaped) ? { ...existing, ...shaped } : shaped;
        break;
      }
      case "inlineFragment":
        if (selection.typeCondition === null || typeMatches(source.__typename, selection.typeCondition, context)) {
          applySelections(source, selection.selectionSet, context, out);
        }
        break;
      case "fragmentSpread": {
        const fragment = context.fragments.get(selection.name);
        if (fragment && typeMatches(source.__typename, fragment.typeCondition, context)) {
          applySelections(source, fragment.selectionSet, context, out);
        }
        break;
      }
    }
  }
}

function resolveField(source: ResolvedObject, field: FieldNode, variables: Variables): unknown {
  if (field.name === "__typename") return source.__typename;
  const value = source[field.name];
  if (typeof value === "function") return (value as (args: Record<string, unknown>) => unknown)(argumentValues(field, variables));
  return value;
}

function typeMatches(typename: string, condition: string, context: ShapeContext): boolean {
  return typename === condition || (context.possibleTypes[condition]?.includes(typename) ?? false);
}

function isIncluded(directives: DirectiveNode[], variables: Variables): boolean {
  for (const directive of directives) {
    const condition = directive.arguments.find((argument) => argument.name === "if");
    const value = condition ? valueToJs(condition.value, variables) === true : false;
    if (directive.name === "skip" && value) return false;
    if (directive.name === "include" && !value) return false;
  }
  return true;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function fieldError(field: FieldNode, path: (string | number)[], message: string, extensions?: Record<string, unknown>): GraphQLError {
  return {
    message,
    locations: [{ line: field.line, column: field.column }],
    path,
    ...(extensions ? { extensions } : {}),
  };
}
