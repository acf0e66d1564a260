// The function-length rule: every hand-written function (declarations, methods, arrow functions,
// function expressions, constructors, accessors), measured from its first line to its last with the
// TypeScript parser. Test files are out of scope: a test's length is its scenario.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";
import { handWrittenSources } from "./source-files.js";

export interface FunctionSpan {
  file: string;
  /** The 1-based line the function starts on (its first token: comments above it do not count). */
  line: number;
  /** From the first line to the last, both included. */
  lines: number;
  name: string;
}

export interface LengthLimits {
  /** No function may be longer. */
  max: number;
  /** A long function: allowed, but only `maxLong` of them. */
  long: number;
  maxLong: number;
}

export const lengthLimits: LengthLimits = { max: 80, long: 60, maxLong: 5 };

const isFunction = (node: ts.Node): node is ts.FunctionLikeDeclaration =>
  ts.isFunctionDeclaration(node) ||
  ts.isMethodDeclaration(node) ||
  ts.isArrowFunction(node) ||
  ts.isFunctionExpression(node) ||
  ts.isConstructorDeclaration(node) ||
  ts.isGetAccessorDeclaration(node) ||
  ts.isSetAccessorDeclaration(node);

/** A property, method or variable name as written (`[computed]` names keep their brackets). */
function nameText(name: ts.Node | undefined, file: ts.SourceFile): string | undefined {
  if (!name) return undefined;
  if (ts.isIdentifier(name) || ts.isPrivateIdentifier(name) || ts.isStringLiteral(name)) return name.text;
  return name.getText(file);
}

/** What a callee is called in a name: `child.once`, `new Promise`, shortened when long. */
function calleeText(call: ts.CallExpression | ts.NewExpression, file: ts.SourceFile): string {
  const text = call.expression.getText(file).replace(/\s+/g, "");
  const short = text.length > 40 ? `${text.slice(0, 37)}…` : text;
  return ts.isNewExpression(call) ? `new ${short}` : short;
}

/** The name of what holds a class member or an object-literal property: `Store`, `cli(…)`, `limits`. */
function ownerName(holder: ts.Node, file: ts.SourceFile): string | undefined {
  if (ts.isClassLike(holder)) return nameText(holder.name, file) ?? "class";
  if (!ts.isObjectLiteralExpression(holder)) return undefined;
  const parent = holder.parent;
  if (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent)) return nameText(parent.name, file);
  if (ts.isCallExpression(parent) || ts.isNewExpression(parent)) return `${calleeText(parent, file)}(…)`;
  return undefined;
}

const qualified = (owner: string | undefined, name: string) => (owner ? `${owner}.${name}` : name);

/** A readable name for a function: its own name, or what it is assigned to or passed to. */
export function functionName(node: ts.FunctionLikeDeclaration, file: ts.SourceFile): string {
  const parent = node.parent;
  if (ts.isConstructorDeclaration(node)) return qualified(ownerName(parent, file), "constructor");
  if (ts.isMethodDeclaration(node) || ts.isGetAccessorDeclaration(node) || ts.isSetAccessorDeclaration(node)) {
    const prefix = ts.isGetAccessorDeclaration(node) ? "get " : ts.isSetAccessorDeclaration(node) ? "set " : "";
    return prefix + qualified(ownerName(parent, file), nameText(node.name, file) ?? "method");
  }
  const own = nameText(node.name, file);
  if (own) return own;
  if (ts.isVariableDeclaration(parent)) return nameText(parent.name, file) ?? "anonymous";
  if (ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent))
    return qualified(ownerName(parent.parent, file), nameText(parent.name, file) ?? "property");
  if (ts.isCallExpression(parent) || ts.isNewExpression(parent)) return `callback of ${calleeText(parent, file)}`;
  if (ts.isBindingElement(parent) || ts.isParameter(parent)) return `default of ${nameText(parent.name, file)}`;
  if (ts.isExportAssignment(parent) || ts.isFunctionDeclaration(node)) return "default export";
  const outer = ts.findAncestor(parent, isFunction);
  if (outer && (ts.isReturnStatement(parent) || parent === outer))
    return `function returned by ${functionName(outer, file)}`;
  return "anonymous function";
}

/** Every function in one file's source text, nested ones included. */
export function measureFunctions(fileName: string, text: string): FunctionSpan[] {
  const file = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const spans: FunctionSpan[] = [];
  const visit = (node: ts.Node): void => {
    // An overload or an abstract method has no body: nothing to measure.
    if (isFunction(node) && node.body) {
      const first = file.getLineAndCharacterOfPosition(node.getStart(file)).line;
      const last = file.getLineAndCharacterOfPosition(node.getEnd()).line;
      spans.push({ file: fileName, line: first + 1, lines: last - first + 1, name: functionName(node, file) });
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return spans;
}

export interface LengthVerdict {
  /** The longest first (ties by file and line), at most ten. */
  longest: FunctionSpan[];
  /** Every function over the `long` limit, longest first. */
  long: FunctionSpan[];
  /** Empty when the rule holds; otherwise one line per broken limit. */
  problems: string[];
  functions: number;
}

export const describeSpan = (span: FunctionSpan) =>
  `${String(span.lines).padStart(4)} lines  ${span.file}:${span.line}  ${span.name}`;

/** Judges measured functions against the limits. */
export function judgeLengths(spans: FunctionSpan[], limits: LengthLimits = lengthLimits): LengthVerdict {
  const sorted = [...spans].sort((a, b) => b.lines - a.lines || a.file.localeCompare(b.file) || a.line - b.line);
  const long = sorted.filter((span) => span.lines > limits.long);
  const problems = long
    .filter((span) => span.lines > limits.max)
    .map((span) => `${span.file}:${span.line} ${span.name} has ${span.lines} lines; the limit is ${limits.max}`);
  if (long.length > limits.maxLong)
    problems.push(`${long.length} functions have more than ${limits.long} lines; at most ${limits.maxLong} may`);
  return { longest: sorted.slice(0, 10), long, problems, functions: spans.length };
}

/** Measures every hand-written, non-test source file under `root`. */
export function measureSources(root: string): { files: number; spans: FunctionSpan[] } {
  const files = handWrittenSources(root);
  const spans = files.flatMap((path) => measureFunctions(path, readFileSync(join(root, path), "utf8")));
  return { files: files.length, spans };
}
