// A spec file named on the command line (`spec:diff <base> <revision>`, `--against`) is data, never
// configuration or code. It is read with size limits, decoded strictly as UTF-8 and parsed with
// YAML's alias limit; a split spec is bundled here, with fixed rules, by a resolver that reads only
// files under the input's own folder: no redocly.yaml, no plugin, no network. Every refusal is a
// UsageError (exit code 2) that names the file and the rule.
import { createHash } from "node:crypto";
import { closeSync, fstatSync, openSync, readSync, realpathSync } from "node:fs";
import { basename, dirname, extname, join, relative, resolve, sep } from "node:path";
import { isScalar, Lexer, LineCounter, parseDocument, visit, type Document } from "yaml";
import { UsageError } from "./cli.js";

const MB = 1024 * 1024;

export const inputLimits = {
  /** Bytes of one file. */
  fileBytes: 20 * MB,
  /** Bytes of all the files one side reads: the file named and every file its `$ref`s reach. */
  sideBytes: 20 * MB,
  /** YAML aliases, weighted by what they expand to (the `yaml` package's own measure). */
  maxAliasCount: 100,
  /** Nesting depth of one document (objects and arrays). */
  depth: 256,
};

/** The files one side has read, and their total size. */
interface Side {
  /** The path as named on the command line, for messages. */
  named: string;
  /** Real path of the named file's folder: no file outside it is read. */
  folder: string;
  bytes: number;
}

const megabytes = (bytes: number) => `${(bytes / MB).toFixed(1)} MB`;

/** A file's bytes, refused past the per-file or per-side limit, as strict UTF-8 text. */
function readText(file: string, side: Side, label: string): string {
  let fd: number;
  try {
    fd = openSync(file, "r");
  } catch (error) {
    throw new UsageError(`${label}: cannot be read (${(error as NodeJS.ErrnoException).code ?? "error"})`);
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw new UsageError(`${label}: not a regular file`);
    refuseOversize(label, side, stat.size);
    // Read until the end, not just stat.size bytes: a file that grows is held to the limit too.
    const chunks: Buffer[] = [];
    let size = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(Math.max(stat.size + 1, 64 * 1024), MB));
      const read = readSync(fd, chunk, 0, chunk.length, null);
      if (read === 0) break;
      size += read;
      refuseOversize(label, side, size);
      chunks.push(chunk.subarray(0, read));
    }
    side.bytes += size;
    return decodeUtf8(Buffer.concat(chunks, size), label);
  } finally {
    closeSync(fd);
  }
}

function refuseOversize(label: string, side: Side, size: number): void {
  if (size > inputLimits.fileBytes)
    throw new UsageError(`${label}: over ${megabytes(inputLimits.fileBytes)}, the limit for one input file`);
  if (side.bytes + size > inputLimits.sideBytes)
    throw new UsageError(
      `${label}: the files read for ${side.named} add up to over ${megabytes(inputLimits.sideBytes)}, the limit for one side`,
    );
}

function decodeUtf8(bytes: Uint8Array, label: string): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new UsageError(`${label}: not valid UTF-8 (spec files must be UTF-8 text)`);
  }
}

/** JSON, or YAML with duplicate keys refused and aliases limited. */
export function parseData(text: string, label: string): unknown {
  if (/^\s*[[{]/.test(text)) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      // A YAML flow collection, or broken JSON: the YAML parser says which.
    }
  }
  refuseDeepFlow(text, label);
  const lineCounter = new LineCounter();
  try {
    // Duplicate keys are checked below in one pass: the parser's own check is quadratic in a map's size.
    const doc = parseDocument(text, { uniqueKeys: false, lineCounter });
    const [error] = doc.errors;
    if (error) throw new UsageError(`${label}: cannot be read as YAML or JSON: ${error.message.split("\n")[0]}`);
    refuseDuplicateKeys(doc, label, lineCounter);
    return doc.toJS({ maxAliasCount: inputLimits.maxAliasCount }) as unknown;
  } catch (error) {
    if (error instanceof UsageError) throw error;
    const message = (error as Error).message.split("\n")[0] ?? "";
    if (/alias count/i.test(message))
      throw new UsageError(
        `${label}: its YAML aliases expand past the limit (maxAliasCount ${inputLimits.maxAliasCount}): refused as an alias bomb`,
      );
    throw new UsageError(`${label}: cannot be read as YAML or JSON: ${message}`);
  }
}

/** The YAML parser's memory grows steeply with `[`/`{` nesting: the lexer measures it first, cheaply. */
function refuseDeepFlow(text: string, label: string): void {
  let depth = 0;
  for (const token of new Lexer().lex(text)) {
    if (token === "[" || token === "{") depth++;
    else if (token === "]" || token === "}") depth--;
    if (depth > inputLimits.depth) throw new UsageError(`${label}: nested more than ${inputLimits.depth} levels deep`);
  }
}

function refuseDuplicateKeys(doc: Document, label: string, lines: LineCounter): void {
  visit(doc, {
    Map(_key, map) {
      const seen = new Set<string>();
      for (const { key } of map.items) {
        if (!isScalar(key)) continue;
        const name = String(key.value);
        if (seen.has(name)) {
          const line = key.range ? lines.linePos(key.range[0]).line : "?";
          throw new UsageError(`${label}: line ${line}: the key "${name}" appears twice in one mapping`);
        }
        seen.add(name);
      }
    },
  });
}

/** What kind of OpenAPI object a node is: only a `$ref` in a schema's place becomes a component. */
type Kind =
  | "root"
  | "components"
  | "pathItem"
  | "operation"
  | "parameter"
  | "header"
  | "requestBody"
  | "response"
  | "mediaType"
  | "encoding"
  | "callback"
  | "schema"
  | "example"
  | "discriminator"
  | "mapping"
  | "any";
/** A field's content: `Kind` one of that kind, `Kind[]` a list or a map of them. */
type Slot = Kind | `${Kind}[]`;

const subschemaLists = ["properties", "patternProperties", "$defs", "definitions", "dependentSchemas"];
const subschemaArrays = ["prefixItems", "allOf", "anyOf", "oneOf"];
const subschemas = ["items", "not", "additionalProperties", "additionalItems", "contains", "if", "then", "else"];
const moreSubschemas = ["propertyNames", "unevaluatedItems", "unevaluatedProperties", "contentSchema"];
const methods = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

const fields: Partial<Record<Kind, Record<string, Slot>>> = {
  root: { paths: "pathItem[]", webhooks: "pathItem[]", components: "components" },
  components: {
    schemas: "schema[]",
    parameters: "parameter[]",
    responses: "response[]",
    requestBodies: "requestBody[]",
    headers: "header[]",
    pathItems: "pathItem[]",
    callbacks: "callback[]",
    examples: "example[]",
  },
  pathItem: { parameters: "parameter[]", ...Object.fromEntries(methods.map((method) => [method, "operation"])) },
  operation: {
    parameters: "parameter[]",
    requestBody: "requestBody",
    responses: "response[]",
    callbacks: "callback[]",
  },
  parameter: { schema: "schema", content: "mediaType[]", examples: "example[]" },
  header: { schema: "schema", content: "mediaType[]", examples: "example[]" },
  requestBody: { content: "mediaType[]" },
  response: { content: "mediaType[]", headers: "header[]" },
  mediaType: { schema: "schema", encoding: "encoding[]", examples: "example[]" },
  encoding: { headers: "header[]" },
  schema: Object.fromEntries([
    ...[...subschemaLists, ...subschemaArrays].map((key) => [key, "schema[]"]),
    ...[...subschemas, ...moreSubschemas].map((key) => [key, "schema"]),
    ["discriminator", "discriminator"],
  ]),
  discriminator: { mapping: "mapping" },
};

const slotOf = (kind: Kind, key: string): Slot => {
  if (kind === "callback") return "pathItem";
  const known = fields[kind];
  return known && Object.hasOwn(known, key) ? known[key]! : "any";
};

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** One place a `$ref` leads to. */
interface Target {
  file: string;
  /** The JSON pointer after `#`, as written ("" for the whole file). */
  pointer: string;
  key: string;
  value: unknown;
}

/** The segments of a JSON pointer, unescaped. */
function pointerSegments(pointer: string, where: string): string[] {
  if (pointer !== "" && !pointer.startsWith("/")) throw new UsageError(`${where}: "#${pointer}" is not a JSON pointer`);
  try {
    return pointer
      .split("/")
      .filter(Boolean)
      .map((raw) => decodeURIComponent(raw).replace(/~1/g, "/").replace(/~0/g, "~"));
  } catch {
    throw new UsageError(`${where}: "#${pointer}" is not a valid JSON pointer`);
  }
}

function pointerValue(doc: unknown, pointer: string, where: string): unknown {
  let node = doc;
  for (const key of pointerSegments(pointer, where)) {
    if (typeof node !== "object" || node === null || !Object.hasOwn(node, key))
      throw new UsageError(`${where}: #${pointer} does not resolve`);
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

const digests = new WeakMap<object, string>();

/** A digest of a value, for "same content" (two files holding one schema share a component). */
function digest(value: unknown): string {
  if (typeof value !== "object" || value === null) return JSON.stringify(value) ?? "undefined";
  let known = digests.get(value);
  if (known === undefined) {
    try {
      known = createHash("sha256").update(JSON.stringify(value)).digest("hex");
    } catch {
      known = `unique:${Math.random()}`; // a YAML alias cycle: refused later, never equal
    }
    digests.set(value, known);
  }
  return known;
}

/**
 * A split spec made one document, the way `redocly bundle` names things: each schema a `$ref` leads
 * to becomes `components.schemas.<name>` (the pointer's last segment, else the file's base name,
 * `-2`, `-3`... on a clash); any other `$ref`d object is inlined; a `$ref` to a file that is not
 * YAML or JSON is that file's text.
 */
class DataBundle {
  private readonly documents = new Map<string, unknown>();
  private readonly copies = new WeakMap<object, Map<Slot, unknown>>();
  private readonly active = new Set<object>();
  private readonly inlining = new Set<string>();
  private readonly schemaNames = new Map<string, string>();
  private readonly owners = new Map<string, Target>();
  private readonly added = new Map<string, unknown>();
  private readonly pending: { name: string; target: Target }[] = [];
  private rootSchemas: Record<string, unknown> = {};

  constructor(
    private readonly side: Side,
    private readonly rootFile: string,
  ) {}

  bundle(): Record<string, unknown> {
    const root = this.document(this.rootFile);
    if (!isRecord(root) || typeof root.openapi !== "string")
      throw new UsageError(`${this.side.named}: not an OpenAPI document (no \`openapi\` version field)`);
    const components = isRecord(root.components) ? root.components : {};
    this.rootSchemas = isRecord(components.schemas) ? components.schemas : {};
    const out = this.rewrite(root, "root", this.rootFile, 0) as Record<string, unknown>;
    for (let next = 0; next < this.pending.length; next++) {
      const { name, target } = this.pending[next]!;
      this.added.set(name, this.rewrite(target.value, "schema", target.file, 0));
    }
    if (this.added.size === 0) return out;
    const outComponents = isRecord(out.components) ? out.components : {};
    const schemas = isRecord(outComponents.schemas) ? outComponents.schemas : {};
    return {
      ...out,
      components: { ...outComponents, schemas: { ...schemas, ...Object.fromEntries(this.added) } },
    };
  }

  /** A file as the user would write it: under the folder of the file they named. */
  private label(file: string): string {
    return file === this.rootFile ? this.side.named : join(dirname(this.side.named), relative(this.side.folder, file));
  }

  private document(file: string): unknown {
    if (this.documents.has(file)) return this.documents.get(file);
    const label = this.label(file);
    const text = readText(file, this.side, label);
    const data = file === this.rootFile || /\.(ya?ml|json)$/i.test(file) ? parseData(text, label) : text;
    this.documents.set(file, data);
    return data;
  }

  /** A copy of `node` with every `$ref` into another file resolved; each node is copied once per slot. */
  private rewrite(node: unknown, slot: Slot, file: string, depth: number): unknown {
    if (typeof node !== "object" || node === null) return node;
    if (depth > inputLimits.depth)
      throw new UsageError(`${this.label(file)}: nested more than ${inputLimits.depth} levels deep`);
    const known = this.copies.get(node)?.get(slot);
    if (known !== undefined) return known;
    if (this.active.has(node))
      throw new UsageError(`${this.label(file)}: a YAML alias contains itself (or a $ref outside a schema leads back)`);
    this.active.add(node);
    try {
      const copy = this.copy(node, slot, file, depth);
      const bySlot = this.copies.get(node) ?? new Map<Slot, unknown>();
      this.copies.set(node, bySlot);
      bySlot.set(slot, copy);
      return copy;
    } finally {
      this.active.delete(node);
    }
  }

  private copy(node: object, slot: Slot, file: string, depth: number): unknown {
    const each = slot.endsWith("[]") ? (slot.slice(0, -2) as Kind) : undefined;
    if (Array.isArray(node)) return node.map((item) => this.rewrite(item, each ?? slot, file, depth + 1));
    const record = node as Record<string, unknown>;
    if (typeof record.$ref === "string") return this.resolveRef(record, slot, file, depth);
    if (slot === "mapping") return this.copyMapping(record, file);
    if (typeof record.externalValue !== "string" || slot.endsWith("[]"))
      return this.copyFields(record, (key) => this.slotFor(slot, key), file, depth);
    // An example's externalValue is dropped, not read (examples are not compared), so no tool after
    // this one (openapi-typescript reads --against) can fetch it; anywhere else it must stay local.
    const { externalValue, ...fields } = record;
    if (slot !== "example") this.location(externalValue, file, externalValue, "externalValue");
    return this.copyFields(slot === "example" ? fields : record, (key) => this.slotFor(slot, key), file, depth);
  }

  private slotFor(slot: Slot, key: string): Slot {
    return slot.endsWith("[]") ? (slot.slice(0, -2) as Kind) : slotOf(slot as Kind, key);
  }

  private copyFields(
    record: Record<string, unknown>,
    slotFor: (key: string) => Slot,
    file: string,
    depth: number,
  ): Record<string, unknown> {
    return Object.fromEntries(
      Object.entries(record).map(([key, value]) => [key, this.rewrite(value, slotFor(key), file, depth + 1)]),
    );
  }

  private resolveRef(record: Record<string, unknown>, kind: Slot, file: string, depth: number): unknown {
    const { $ref, ...siblings } = record as { $ref: string };
    const rest = this.copyFields(siblings, (key) => this.slotFor(kind, key), file, depth);
    if ($ref.startsWith("#") && file === this.rootFile) return { $ref, ...rest };
    const target = this.target($ref, file);
    if (target.file === this.rootFile && (file === this.rootFile || kind === "schema"))
      return { $ref: `#${target.pointer}`, ...rest };
    if (kind === "schema") return { $ref: this.schemaComponent(target), ...rest };
    const key = `${kind}|${target.key}`;
    if (this.inlining.has(key))
      throw new UsageError(`${this.where($ref, file)}: leads back to itself (only schemas may be recursive)`);
    this.inlining.add(key);
    try {
      const value = this.rewrite(target.value, kind, target.file, depth + 1);
      return isRecord(value) ? { ...value, ...rest } : value;
    } finally {
      this.inlining.delete(key);
    }
  }

  /** discriminator.mapping: values that point into other files become component refs. */
  private copyMapping(record: Record<string, unknown>, file: string): Record<string, unknown> {
    return Object.fromEntries(
      Object.entries(record).map(([name, value]) => {
        const external = typeof value === "string" && (file !== this.rootFile || !value.startsWith("#"));
        if (!external || !/[#/]|\.(ya?ml|json)$/i.test(value)) return [name, value];
        const target = this.target(value, file);
        return [name, target.file === this.rootFile ? `#${target.pointer}` : this.schemaComponent(target)];
      }),
    );
  }

  private where(ref: string, file: string, field = "$ref"): string {
    return `${this.side.named}: ${field} ${JSON.stringify(ref)}${file === this.rootFile ? "" : ` in ${this.label(file)}`}`;
  }

  /** Where a `$ref` leads: only a file under the input's folder, never a URL. */
  private target(ref: string, from: string): Target {
    const hash = ref.indexOf("#");
    const pointer = hash < 0 ? "" : ref.slice(hash + 1);
    const file = this.location(hash < 0 ? ref : ref.slice(0, hash), from, ref);
    const value = pointerValue(this.document(file), pointer, this.where(ref, from));
    return { file, pointer, key: `${file}#${pointer}`, value };
  }

  /** The real path of the file a reference names (`from` itself when empty); a URL is refused. */
  private location(uri: string, from: string, ref = uri, field = "$ref"): string {
    const where = this.where(ref, from, field);
    if (/^[a-z][a-z0-9+.-]*:/i.test(uri))
      throw new UsageError(`${where} is a URL: spec:diff reads no network resource (bundle the spec first)`);
    if (uri === "") return from;
    return this.localFile(resolve(from === this.rootFile ? this.side.folder : dirname(from), uri), where);
  }

  /** The real path of a file a `$ref` names, refused outside the input's folder (symlinks followed). */
  private localFile(path: string, where: string): string {
    const outside = (candidate: string) => {
      const rel = relative(this.side.folder, candidate);
      return rel === ".." || rel.startsWith(`..${sep}`) || resolve(this.side.folder, rel) !== candidate;
    };
    const refuse = (real: string) =>
      new UsageError(
        `${where} leads outside ${this.side.folder} (to ${real}): spec:diff reads only files under the folder of the file it is given`,
      );
    if (outside(path)) throw refuse(path);
    let real: string;
    try {
      real = realpathSync(path);
    } catch {
      throw new UsageError(`${where}: no such file`);
    }
    if (outside(real)) throw refuse(real);
    return real;
  }

  /** The component a schema target is bundled as (named on first use). */
  private schemaComponent(target: Target): string {
    let name = this.schemaNames.get(target.key);
    if (name === undefined) {
      name = this.componentName(target);
      this.schemaNames.set(target.key, name);
      const inRoot = Object.hasOwn(this.rootSchemas, name) && !this.isRefTo(this.rootSchemas[name], target);
      if (!this.owners.has(name) && !inRoot) {
        this.owners.set(name, target);
        this.pending.push({ name, target });
      }
    }
    return `#/components/schemas/${name.replace(/~/g, "~0").replace(/%/g, "%25")}`;
  }

  /** Redocly's naming: the pointer's segments from the last, then the file's base name, then `-2`... */
  private componentName(target: Target): string {
    const parts = pointerSegments(target.pointer, target.key);
    let name = "";
    while (parts.length) {
      name = parts.pop() + (name ? `-${name}` : "");
      if (this.nameFits(name, target)) return name;
    }
    name = basename(target.file, extname(target.file)) + (name ? `_${name}` : "");
    if (this.nameFits(name, target)) return name;
    for (let serial = 2; ; serial++) if (this.nameFits(`${name}-${serial}`, target)) return `${name}-${serial}`;
  }

  /** A name is free, or already holds this very schema (the same target, or the same content). */
  private nameFits(name: string, target: Target): boolean {
    const owner = this.owners.get(name);
    if (owner) return owner.key === target.key || digest(owner.value) === digest(target.value);
    if (!Object.hasOwn(this.rootSchemas, name)) return true;
    const slot = this.rootSchemas[name];
    return (
      this.isRefTo(slot, target) ||
      (!isRecord(slot) || typeof slot.$ref !== "string" ? digest(slot) === digest(target.value) : false)
    );
  }

  /** Whether a root `components.schemas` entry is a `$ref` to this target. */
  private isRefTo(slot: unknown, target: Target): boolean {
    if (!isRecord(slot) || typeof slot.$ref !== "string" || slot.$ref.startsWith("#")) return false;
    return this.target(slot.$ref, this.rootFile).key === target.key;
  }
}

/**
 * A spec file (YAML or JSON, split or bundled) as one document. Any refusal (unreadable, over a
 * limit, not UTF-8, an alias bomb, a `$ref` to a URL or outside the file's folder, not OpenAPI) is a
 * UsageError: exit code 2.
 */
export function loadSpecFile(file: string): Record<string, unknown> {
  let folder: string;
  let rootFile: string;
  try {
    folder = realpathSync(dirname(resolve(file)));
    rootFile = realpathSync(resolve(file));
  } catch (error) {
    throw new UsageError(`${file}: cannot be read (${(error as NodeJS.ErrnoException).code ?? "error"})`);
  }
  return new DataBundle({ named: file, folder, bytes: 0 }, rootFile).bundle();
}
