import { err, ok, type Result } from "../../lib/result";

/**
 * A small recursive-descent parser for GraphQL executable documents (operations and fragments).
 * No GraphQL library is installed and the simulator only needs to know which root fields were
 * asked for, their arguments and the selection sets, so this covers the executable grammar of the
 * spec (aliases, variables, inline fragments, fragment spreads, directives, block strings) and
 * nothing of the type-system language.
 */

export type ValueNode =
  | { kind: "variable"; name: string }
  | { kind: "int"; value: string }
  | { kind: "float"; value: string }
  | { kind: "string"; value: string }
  | { kind: "boolean"; value: boolean }
  | { kind: "null" }
  | { kind: "enum"; value: string }
  | { kind: "list"; values: ValueNode[] }
  | { kind: "object"; fields: { name: string; value: ValueNode }[] };

export type TypeNode = { kind: "named"; name: string } | { kind: "list"; ofType: TypeNode } | { kind: "nonNull"; ofType: TypeNode };

export interface DirectiveNode {
  name: string;
  arguments: ArgumentNode[];
}

export interface ArgumentNode {
  name: string;
  value: ValueNode;
}

export interface FieldNode {
  kind: "field";
  alias: string | null;
  name: string;
  arguments: ArgumentNode[];
  directives: DirectiveNode[];
  selectionSet: SelectionNode[] | null;
  line: number;
  column: number;
}

export interface InlineFragmentNode {
  kind: "inlineFragment";
  typeCondition: string | null;
  directives: DirectiveNode[];
  selectionSet: SelectionNode[];
}

export interface FragmentSpreadNode {
  kind: "fragmentSpread";
  name: string;
  directives: DirectiveNode[];
}

export type SelectionNode = FieldNode | InlineFragmentNode | FragmentSpreadNode;

export interface VariableDefinitionNode {
  name: string;
  type: TypeNode;
  defaultValue: ValueNode | null;
}

export interface OperationNode {
  operation: "query" | "mutation" | "subscription";
  name: string | null;
  variableDefinitions: VariableDefinitionNode[];
  selectionSet: SelectionNode[];
}

export interface FragmentNode {
  name: string;
  typeCondition: string;
  selectionSet: SelectionNode[];
}

export interface DocumentNode {
  operations: OperationNode[];
  fragments: Map<string, FragmentNode>;
}

export interface SyntaxError {
  kind: "syntax";
  message: string;
  line: number;
  column: number;
}

type Token =
  | { type: "punct"; value: string; line: number; column: number }
  | { type: "name"; value: string; line: number; column: number }
  | { type: "int" | "float"; value: string; line: number; column: number }
  | { type: "string"; value: string; line: number; column: number }
  | { type: "eof"; value: ""; line: number; column: number };

class ParseFailure extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(message);
  }
}

export function parseDocument(source: string): Result<DocumentNode, SyntaxError> {
  try {
    const parser = new Parser(tokenize(source));
    return ok(parser.document());
  } catch (error) {
    if (error instanceof ParseFailure) {
      return err({ kind: "syntax", message: `Parse error: ${error.message}`, line: error.line, column: error.column });
    }
    throw error;
  }
}

/** Prints a type reference the way GraphQL error messages do, e.g. `[ID!]!`. */
export function printType(type: TypeNode): string {
  switch (type.kind) {
    case "named":
      return type.name;
    case "list":
      return `[${printType(type.ofType)}]`;
    case "nonNull":
      return `${printType(type.ofType)}!`;
  }
}

const PUNCTUATORS = new Set(["!", "$", "&", "(", ")", ":", "=", "@", "[", "]", "{", "|", "}"]);

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let line = 1;
  let lineStart = 0;
  const at = () => ({ line, column: i - lineStart + 1 });

  while (i < source.length) {
    const ch = source[i] as string;
    if (ch === "\n") {
      i += 1;
      line += 1;
      lineStart = i;
      continue;
    }
    if (ch === " " || ch === "\t" || ch === "\r" || ch === "," || ch === "\ufeff") {
      i += 1;
      continue;
    }
    if (ch === "#") {
      while (i < source.length && source[i] !== "\n") i += 1;
      continue;
    }
    if (source.startsWith("...", i)) {
      tokens.push({ type: "punct", value: "...", ...at() });
      i += 3;
      continue;
    }
    if (PUNCTUATORS.has(ch)) {
      tokens.push({ type: "punct", value: ch, ...at() });
      i += 1;
      continue;
    }
    if (/[_A-Za-z]/.test(ch)) {
      const match = /^[_A-Za-z][_0-9A-Za-z]*/.exec(source.slice(i, i + 256)) as RegExpExecArray;
      tokens.push({ type: "name", value: match[0], ...at() });
      i += match[0].length;
      continue;
    }
    if (ch === "-" || /[0-9]/.test(ch)) {
      const match = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(source.slice(i, i + 64));
      if (match === null) throw new ParseFailure(`Unexpected character "${ch}"`, line, i - lineStart + 1);
      const isFloat = match[2] !== undefined || match[3] !== undefined;
      tokens.push({ type: isFloat ? "float" : "int", value: match[0], ...at() });
      i += match[0].length;
      continue;
    }
    if (source.startsWith('"""', i)) {
      const start = at();
      const end = findBlockStringEnd(source, i + 3);
      if (end < 0) throw new ParseFailure("Unterminated block string", start.line, start.column);
      const raw = source.slice(i + 3, end).replace(/\\"""/g, '"""');
      for (let k = i; k < end + 3; k += 1) {
        if (source[k] === "\n") {
          line += 1;
          lineStart = k + 1;
        }
      }
      i = end + 3;
      tokens.push({ type: "string", value: blockStringValue(raw), ...start });
      continue;
    }
    if (ch === '"') {
      const start = at();
      const { value, next } = readString(source, i + 1, start);
      tokens.push({ type: "string", value, ...start });
      i = next;
      continue;
    }
    throw new ParseFailure(`Unexpected character "${ch}"`, line, i - lineStart + 1);
  }
  tokens.push({ type: "eof", value: "", ...at() });
  return tokens;
}

function findBlockStringEnd(source: string, from: number): number {
  let i = from;
  while (i < source.length) {
    if (source.startsWith('\\"""', i)) {
      i += 4;
      continue;
    }
    if (source.startsWith('"""', i)) return i;
    i += 1;
  }
  return -1;
}

// Dedents a block string as the spec describes: common indentation and blank edge lines go.
function blockStringValue(raw: string): string {
  const lines = raw.split(/\r\n|[\n\r]/);
  let common: number | null = null;
  for (const line of lines.slice(1)) {
    const indent = line.length - line.trimStart().length;
    if (indent < line.length && (common === null || indent < common)) common = indent;
  }
  const dedented = lines.map((line, index) => (index === 0 || common === null ? line : line.slice(common)));
  while (dedented.length > 0 && (dedented[0] as string).trim() === "") dedented.shift();
  while (dedented.length > 0 && (dedented[dedented.length - 1] as string).trim() === "") dedented.pop();
  return dedented.join("\n");
}

function readString(source: string, from: number, start: { line: number; column: number }): { value: string; next: number } {
  let value = "";
  let i = from;
  while (i < source.length) {
    const ch = source[i] as string;
    if (ch === '"') return { value, next: i + 1 };
    if (ch === "\n") break;
    if (ch === "\\") {
      const escape = source[i + 1];
      const simple: Record<string, string> = { '"': '"', "\\": "\\", "/": "/", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" };
      if (escape !== undefined && escape in simple) {
        value += simple[escape];
        i += 2;
        continue;
      }
      if (escape === "u") {
        const hex = source.slice(i + 2, i + 6);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw new ParseFailure("Invalid unicode escape", start.line, start.column);
        value += String.fromCharCode(parseInt(hex, 16));
        i += 6;
        continue;
      }
      throw new ParseFailure(`Invalid escape "\\${escape ?? ""}"`, start.line, start.column);
    }
    value += ch;
    i += 1;
  }
  throw new ParseFailure("Unterminated string", start.line, start.column);
}

class Parser {
  private position = 0;

  constructor(private readonly tokens: Token[]) {}

  document(): DocumentNode {
    const operations: OperationNode[] = [];
    const fragments = new Map<string, FragmentNode>();
    if (this.peek().type === "eof") this.fail("Unexpected end of document");
    while (this.peek().type !== "eof") {
      const token = this.peek();
      if (token.type === "punct" && token.value === "{") {
        operations.push({ operation: "query", name: null, variableDefinitions: [], selectionSet: this.selectionSet() });
      } else if (token.type === "name" && token.value === "fragment") {
        const fragment = this.fragmentDefinition();
        fragments.set(fragment.name, fragment);
      } else if (token.type === "name" && ["query", "mutation", "subscription"].includes(token.value)) {
        operations.push(this.operationDefinition());
      } else {
        this.fail(`Unexpected ${describe(token)}`);
      }
    }
    return { operations, fragments };
  }

  private operationDefinition(): OperationNode {
    const operation = this.next().value as OperationNode["operation"];
    const name = this.peek().type === "name" ? this.next().value : null;
    const variableDefinitions: VariableDefinitionNode[] = [];
    if (this.isPunct("(")) {
      this.expectPunct("(");
      while (!this.isPunct(")")) {
        this.expectPunct("$");
        const variable = this.name();
        this.expectPunct(":");
        const type = this.type();
        let defaultValue: ValueNode | null = null;
        if (this.isPunct("=")) {
          this.next();
          defaultValue = this.value(true);
        }
        this.directives();
        variableDefinitions.push({ name: variable, type, defaultValue });
      }
      this.expectPunct(")");
    }
    this.directives();
    return { operation, name, variableDefinitions, selectionSet: this.selectionSet() };
  }

  private fragmentDefinition(): FragmentNode {
    this.next();
    const name = this.name();
    if (name === "on") this.fail('Fragment cannot be named "on"');
    this.expectKeyword("on");
    const typeCondition = this.name();
    this.directives();
    return { name, typeCondition, selectionSet: this.selectionSet() };
  }

  private selectionSet(): SelectionNode[] {
    this.expectPunct("{");
    const selections: SelectionNode[] = [];
    while (!this.isPunct("}")) {
      selections.push(this.selection());
    }
    this.expectPunct("}");
    if (selections.length === 0) this.fail("Selection set cannot be empty");
    return selections;
  }

  private selection(): SelectionNode {
    if (this.isPunct("...")) {
      this.next();
      const token = this.peek();
      if (token.type === "name" && token.value !== "on") {
        const name = this.name();
        return { kind: "fragmentSpread", name, directives: this.directives() };
      }
      let typeCondition: string | null = null;
      if (token.type === "name" && token.value === "on") {
        this.next();
        typeCondition = this.name();
      }
      const directives = this.directives();
      return { kind: "inlineFragment", typeCondition, directives, selectionSet: this.selectionSet() };
    }
    const start = this.peek();
    let name = this.name();
    let alias: string | null = null;
    if (this.isPunct(":")) {
      this.next();
      alias = name;
      name = this.name();
    }
    const args = this.isPunct("(") ? this.arguments() : [];
    const directives = this.directives();
    const selectionSet = this.isPunct("{") ? this.selectionSet() : null;
    return { kind: "field", alias, name, arguments: args, directives, selectionSet, line: start.line, column: start.column };
  }

  private arguments(): ArgumentNode[] {
    this.expectPunct("(");
    const args: ArgumentNode[] = [];
    while (!this.isPunct(")")) {
      const name = this.name();
      this.expectPunct(":");
      args.push({ name, value: this.value(false) });
    }
    this.expectPunct(")");
    return args;
  }

  private directives(): DirectiveNode[] {
    const directives: DirectiveNode[] = [];
    while (this.isPunct("@")) {
      this.next();
      const name = this.name();
      directives.push({ name, arguments: this.isPunct("(") ? this.arguments() : [] });
    }
    return directives;
  }

  private value(isConst: boolean): ValueNode {
    const token = this.peek();
    if (token.type === "punct") {
      if (token.value === "$") {
        if (isConst) this.fail("Unexpected variable in constant value");
        this.next();
        return { kind: "variable", name: this.name() };
      }
      if (token.value === "[") {
        this.next();
        const values: ValueNode[] = [];
        while (!this.isPunct("]")) values.push(this.value(isConst));
        this.expectPunct("]");
        return { kind: "list", values };
      }
      if (token.value === "{") {
        this.next();
        const fields: { name: string; value: ValueNode }[] = [];
        while (!this.isPunct("}")) {
          const name = this.name();
          this.expectPunct(":");
          fields.push({ name, value: this.value(isConst) });
        }
        this.expectPunct("}");
        return { kind: "object", fields };
      }
      this.fail(`Unexpected ${describe(token)}`);
    }
    this.next();
    switch (token.type) {
      case "int":
        return { kind: "int", value: token.value };
      case "float":
        return { kind: "float", value: token.value };
      case "string":
        return { kind: "string", value: token.value };
      case "name":
        if (token.value === "true" || token.value === "false") return { kind: "boolean", value: token.value === "true" };
        if (token.value === "null") return { kind: "null" };
        return { kind: "enum", value: token.value };
      case "eof":
        return this.fail("Unexpected end of document");
    }
  }

  private type(): TypeNode {
    let type: TypeNode;
    if (this.isPunct("[")) {
      this.next();
      type = { kind: "list", ofType: this.type() };
      this.expectPunct("]");
    } else {
      type = { kind: "named", name: this.name() };
    }
    if (this.isPunct("!")) {
      this.next();
      return { kind: "nonNull", ofType: type };
    }
    return type;
  }

  private name(): string {
    const token = this.next();
    if (token.type !== "name") this.failAt(token, `Expected a name, found ${describe(token)}`);
    return token.value;
  }

  private expectKeyword(keyword: string): void {
    const token = this.next();
    if (token.type !== "name" || token.value !== keyword) this.failAt(token, `Expected "${keyword}", found ${describe(token)}`);
  }

  private expectPunct(value: string): void {
    const token = this.next();
    if (token.type !== "punct" || token.value !== value) this.failAt(token, `Expected "${value}", found ${describe(token)}`);
  }

  private isPunct(value: string): boolean {
    const token = this.peek();
    return token.type === "punct" && token.value === value;
  }

  private peek(): Token {
    return this.tokens[this.position] as Token;
  }

  private next(): Token {
    const token = this.peek();
    if (token.type !== "eof") this.position += 1;
    return token;
  }

  private fail(message: string): never {
    return this.failAt(this.peek(), message);
  }

  private failAt(token: Token, message: string): never {
    throw new ParseFailure(message, token.line, token.column);
  }
}

function describe(token: Token): string {
  switch (token.type) {
    case "eof":
      return "end of document";
    case "string":
      return "string";
    default:
      return `"${token.value}"`;
  }
}
