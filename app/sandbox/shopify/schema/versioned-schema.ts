import { readFileSync } from "node:fs";

import {
  buildASTSchema,
  type ConstDirectiveNode,
  type DefinitionNode,
  type DocumentNode,
  GraphQLError,
  GraphQLScalarType,
  type GraphQLSchema,
  Kind,
  parse,
  type ValueNode,
} from "graphql";

import { includesVersion } from "./api-versions";

/**
 * One GraphQL schema per API version, built from an SDL file in this folder. Definitions carrying
 * `@since(version: "YYYY-MM")` exist only from that version on; the rest of the SDL is the same for every
 * version. Schemas are built once per (file, version) and cached.
 */

export type SchemaName = "payments-apps" | "admin";

const sources = new Map<SchemaName, DocumentNode>();
const built = new Map<string, GraphQLSchema>();

function source(name: SchemaName): DocumentNode {
  let document = sources.get(name);
  if (!document) {
    document = parse(readFileSync(new URL(`./${name}.graphql`, import.meta.url), "utf8"));
    sources.set(name, document);
  }
  return document;
}

export function schemaFor(name: SchemaName, version: string): GraphQLSchema {
  const key = `${name}@${version}`;
  let schema = built.get(key);
  if (!schema) {
    schema = buildASTSchema(forVersion(source(name), version), { assumeValidSDL: false, assumeValid: name === "payments-apps" });
    installScalars(schema);
    built.set(key, schema);
  }
  return schema;
}

function sinceOf(directives: readonly ConstDirectiveNode[] | undefined): string | null {
  const since = directives?.find((directive) => directive.name.value === "since");
  const value = since?.arguments?.find((argument) => argument.name.value === "version")?.value;
  return value?.kind === Kind.STRING ? value.value : null;
}

function present(version: string, node: { directives?: readonly ConstDirectiveNode[] }): boolean {
  const since = sinceOf(node.directives);
  return since === null || includesVersion(version, since);
}

/** The SDL document with everything newer than `version` removed (members of unions included). */
function forVersion(document: DocumentNode, version: string): DocumentNode {
  const kept = document.definitions.filter((definition) => !("directives" in definition) || present(version, definition as never));
  const typeNames = new Set(kept.flatMap((definition) => ("name" in definition && definition.name ? [definition.name.value] : [])));
  const definitions = kept.map((definition): DefinitionNode => {
    switch (definition.kind) {
      case Kind.OBJECT_TYPE_DEFINITION:
      case Kind.INTERFACE_TYPE_DEFINITION:
        return {
          ...definition,
          fields: definition.fields
            ?.filter((field) => present(version, field))
            .map((field) => ({ ...field, arguments: field.arguments?.filter((argument) => present(version, argument)) })),
        };
      case Kind.INPUT_OBJECT_TYPE_DEFINITION:
        return { ...definition, fields: definition.fields?.filter((field) => present(version, field)) };
      case Kind.ENUM_TYPE_DEFINITION:
        return { ...definition, values: definition.values?.filter((value) => present(version, value)) };
      case Kind.UNION_TYPE_DEFINITION:
        return { ...definition, types: definition.types?.filter((member) => typeNames.has(member.name.value)) };
      default:
        return definition;
    }
  });
  return { ...document, definitions };
}

// DateTime: "An ISO-8601 encoded UTC date time string" (https://shopify.dev/docs/api/payments-apps/latest/scalars/DateTime).
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

function parseDateTime(value: unknown): string {
  if (typeof value !== "string" || !ISO_DATE_TIME.test(value) || Number.isNaN(Date.parse(value))) {
    throw new GraphQLError(`${JSON.stringify(value)} is not a valid ISO-8601 DateTime`);
  }
  return value;
}

function parseUrl(value: unknown): string {
  if (typeof value !== "string" || !URL.canParse(value)) throw new GraphQLError(`${JSON.stringify(value)} is not a valid URL`);
  return value;
}

function literal(parseValue: (value: unknown) => string) {
  return (node: ValueNode) => parseValue(node.kind === Kind.STRING ? node.value : undefined);
}

/** buildASTSchema gives custom scalars identity coercion; DateTime and URL check their input as Shopify does. */
function installScalars(schema: GraphQLSchema): void {
  for (const [name, parseValue] of [
    ["DateTime", parseDateTime],
    ["URL", parseUrl],
  ] as const) {
    const type = schema.getType(name);
    if (type instanceof GraphQLScalarType) Object.assign(type, { parseValue, parseLiteral: literal(parseValue) });
  }
}
