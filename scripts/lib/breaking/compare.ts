// Compares two bundled OpenAPI documents, operation by operation, and lists every change with its
// rule (see rules.ts). Operations are matched by method and path template with parameter names
// blanked out, so renaming `{id}` to `{customerId}` is a rename, not a removal plus an addition.
import { deref, isObject, operationEntries, type OpenApiDoc, type OperationEntry } from "@cx-openapi/spec";
import { rules, type Change, type RuleId } from "./rules.js";
import { flatten, SchemaComparer, type Location } from "./schema.js";

type Obj = Record<string, unknown>;

type Operation = OperationEntry;

const normalizePath = (path: string) => path.replace(/\{[^}]+\}/g, "{}");
const pathParameterNames = (path: string) => [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1] as string);

/** The operations of `paths` and of `webhooks` (a webhook's "path" is its name). */
function operations(doc: OpenApiDoc): Map<string, Operation & { label: string }> {
  const webhooks = operationEntries({
    ...doc,
    paths: isObject(doc.webhooks) ? (doc.webhooks as Obj as NonNullable<OpenApiDoc["paths"]>) : {},
  });
  return new Map([
    ...operationEntries(doc).map(
      (entry) =>
        [
          `${entry.method} ${normalizePath(entry.path)}`,
          { ...entry, label: `${entry.method.toUpperCase()} ${entry.path}` },
        ] as const,
    ),
    ...webhooks.map(
      (entry) =>
        [
          `webhook ${entry.method} ${entry.path}`,
          { ...entry, label: `WEBHOOK ${entry.path} ${entry.method.toUpperCase()}` },
        ] as const,
    ),
  ]);
}

/** `type/subtype` in lower case, without parameters. */
const essence = (type: string) => type.split(";")[0]!.trim().toLowerCase();
const isJson = (type: string) => /^application\/json$|\+json$/.test(essence(type));

/**
 * The entry of `content` that stands for media type `type`: the same key, else the same type
 * ignoring parameters and case, else one of the JSON family (`application/json`, `*\/*+json`), else
 * a wildcard (`type/*`, `*\/*`).
 */
function mediaMatch(content: Obj, type: string): Obj | undefined {
  const entries = Object.entries(content).filter((entry): entry is [string, Obj] => isObject(entry[1]));
  const find = (test: (key: string) => boolean) => entries.find(([key]) => test(key))?.[1];
  const [main] = essence(type).split("/");
  return (
    find((key) => key === type) ??
    find((key) => essence(key) === essence(type)) ??
    (isJson(type) ? find(isJson) : undefined) ??
    find((key) => essence(key) === `${main}/*`) ??
    find((key) => essence(key) === "*/*")
  );
}

/** The day a deprecated operation may go (its `x-sunset`, an ISO date), if it says. */
const sunset = (op: Obj): Date | undefined => {
  const value = op["x-sunset"];
  const date = typeof value === "string" || value instanceof Date ? new Date(value) : undefined;
  return date && !Number.isNaN(date.getTime()) ? date : undefined;
};

interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  schema?: unknown;
  content?: Record<string, { schema?: unknown }>;
  style?: string;
  explode?: boolean;
}

/** Path-item parameters overridden by the operation's own, keyed by `in` and name. */
function parameters(doc: OpenApiDoc, operation: Operation): Map<string, Parameter> {
  const out = new Map<string, Parameter>();
  for (const list of [operation.item.parameters, operation.op.parameters]) {
    if (!Array.isArray(list)) continue;
    for (const raw of list) {
      const param = deref<Parameter | undefined>(doc, raw);
      if (param?.name && param.in)
        out.set(`${param.in}:${param.in === "header" ? param.name.toLowerCase() : param.name}`, param);
    }
  }
  return out;
}

const parameterSchema = (param: Parameter): unknown =>
  param.schema ?? Object.values(param.content ?? {})[0]?.schema ?? {};
const style = (param: Parameter) => param.style ?? (param.in === "query" || param.in === "cookie" ? "form" : "simple");
const explode = (param: Parameter) => param.explode ?? style(param) === "form";

type Security = Map<string, Set<string>>[];

function effectiveSecurity(doc: OpenApiDoc, op: Obj): Security {
  const list = (Array.isArray(op.security) ? op.security : Array.isArray(doc.security) ? doc.security : []) as Obj[];
  if (list.length === 0) return [new Map()];
  return list.map(
    (requirement) =>
      new Map(
        Object.entries(requirement).map(([scheme, scopes]) => [
          scheme,
          new Set(Array.isArray(scopes) ? (scopes as string[]) : []),
        ]),
      ),
  );
}

const showRequirement = (requirement: Map<string, Set<string>>) =>
  requirement.size === 0
    ? "no authentication"
    : [...requirement]
        .map(([scheme, scopes]) => (scopes.size ? `${scheme} (${[...scopes].join(", ")})` : scheme))
        .join(" + ");

/** An `after` requirement accepts what a `before` one did if it asks for no scheme or scope more. */
const accepts = (after: Map<string, Set<string>>, before: Map<string, Set<string>>) =>
  [...after].every(([scheme, scopes]) => before.has(scheme) && [...scopes].every((s) => before.get(scheme)!.has(s)));

export interface CompareOptions {
  /** Skip `info` changes (the default keeps them; the CLI shows them with --verbose). */
  omitInfo?: boolean;
  /** Today, for `x-sunset` dates (default: now). */
  now?: Date;
}

export function compareDocuments(beforeRaw: Obj, afterRaw: Obj, options: CompareOptions = {}): Change[] {
  const before = beforeRaw as OpenApiDoc;
  const after = afterRaw as OpenApiDoc;
  const schemas = new SchemaComparer(before, after);
  const changes = schemas.changes;
  const report = (rule: RuleId, location: Location, message: string) => schemas.report(rule, location, "", message);

  const beforeOps = operations(before);
  const afterOps = operations(after);
  const now = options.now ?? new Date();
  for (const [key, old] of beforeOps) {
    const next = afterOps.get(key);
    if (next) compareOperation(before, after, schemas, old, next, report);
    else reportRemoval(old.op, old.label, now, report);
  }
  for (const [key, added] of afterOps) {
    if (!beforeOps.has(key)) report("operation-added", { operation: added.label }, "operation added");
  }

  // Component schemas are the generated named types.
  const beforeSchemas = ((before.components as Obj | undefined)?.schemas as Obj | undefined) ?? {};
  const afterSchemas = ((after.components as Obj | undefined)?.schemas as Obj | undefined) ?? {};
  for (const name of Object.keys(beforeSchemas)) {
    if (!(name in afterSchemas))
      report("schema-removed", {}, `components.schemas.${name} was removed (and its generated type \`${name}\`)`);
  }
  for (const name of Object.keys(afterSchemas))
    if (!(name in beforeSchemas)) report("schema-added", {}, `components.schemas.${name} was added`);

  compareSecuritySchemes(before, after, report);
  compareServers(before, after, report);

  const order = { breaking: 0, warning: 1, info: 2 } as const;
  const unique = new Map<string, Change>();
  for (const change of changes) {
    if (options.omitInfo && change.severity === "info") continue;
    unique.set(JSON.stringify(change), change);
  }
  return [...unique.values()].sort((x, y) => order[x.severity] - order[y.severity]);
}

type Report = (rule: RuleId, location: Location, message: string) => void;

/** Removing an operation: see the deprecation policy in rules.ts. */
function reportRemoval(op: Obj, label: string, now: Date, report: Report): void {
  const at = { operation: label };
  const date = sunset(op);
  const day = date?.toISOString().slice(0, 10);
  if (op.deprecated !== true) report("operation-removed", at, `${label} was removed without being deprecated first`);
  else if (!date) report("deprecated-operation-removed", at, `${label} was deprecated (no x-sunset) and is removed`);
  else if (date > now) report("operation-removed-before-sunset", at, `${label} was removed before its x-sunset ${day}`);
  else report("sunset-operation-removed", at, `${label} was removed after its x-sunset ${day}`);
}

/** One operation present in both documents, and what its comparison needs. */
interface OperationPair {
  before: OpenApiDoc;
  after: OpenApiDoc;
  schemas: SchemaComparer;
  old: Operation & { label: string };
  next: Operation & { label: string };
  report: Report;
  /** The location of a change in this operation, at `where` (a parameter, the body, a response...). */
  at(where?: string): Location;
}

function compareOperation(
  before: OpenApiDoc,
  after: OpenApiDoc,
  schemas: SchemaComparer,
  old: Operation & { label: string },
  next: Operation & { label: string },
  report: Report,
): void {
  const operation = next.label;
  const pair: OperationPair = {
    before,
    after,
    schemas,
    old,
    next,
    report,
    at: (where) => ({ operation, ...(where ? { where } : {}) }),
  };
  compareIdentity(pair);
  compareParameters(pair);
  compareRequestBody(pair);
  compareResponses(pair);
  compareSecurity(pair);
}

function compareIdentity({ old, next, report, at }: OperationPair): void {
  if (typeof old.op.operationId === "string" && old.op.operationId !== next.op.operationId) {
    report(
      "operation-id-changed",
      at(),
      `operationId changed from ${old.op.operationId} to ${String(next.op.operationId ?? "(none)")}`,
    );
  }
  if (next.op.deprecated === true && old.op.deprecated !== true)
    report("operation-deprecated", at(), "operation deprecated");
}

/** Path parameters are matched by position, so a rename is seen as one: old key -> new key. */
function renamedPathParameters({ old, next, report, at }: OperationPair): Map<string, string> {
  const newPathNames = pathParameterNames(next.path);
  const renamed = new Map<string, string>();
  pathParameterNames(old.path).forEach((name, i) => {
    const now = newPathNames[i];
    if (now !== undefined && now !== name) {
      renamed.set(`path:${name}`, `path:${now}`);
      report("path-parameter-renamed", at(), `path parameter {${name}} was renamed to {${now}}`);
    }
  });
  return renamed;
}

function compareParameters(pair: OperationPair): void {
  const { before, after, schemas, old, next, report, at } = pair;
  const renamed = renamedPathParameters(pair);
  const oldParams = parameters(before, old);
  const newParams = parameters(after, next);
  for (const [key, param] of oldParams) {
    const match = newParams.get(renamed.get(key) ?? key);
    const where = `${param.in} parameter ${param.name}`;
    if (!match) {
      if (param.in !== "path") report("parameter-removed", at(where), "parameter was removed");
      continue;
    }
    if (match.required === true && param.required !== true)
      report("parameter-became-required", at(where), "parameter became required");
    const [d1, d2] = [flatten(before, parameterSchema(param)), flatten(after, parameterSchema(match))];
    if (
      d1.hasDefault !== d2.hasDefault ||
      (d1.hasDefault && JSON.stringify(d1.default) !== JSON.stringify(d2.default))
    ) {
      const show = (flat: typeof d1) => (flat.hasDefault ? JSON.stringify(flat.default) : "(none)");
      report("parameter-default-changed", at(where), `default changed from ${show(d1)} to ${show(d2)}`);
    }
    if (style(param) !== style(match) || explode(param) !== explode(match)) {
      report(
        "parameter-serialization-changed",
        at(where),
        `serialization changed from style ${style(param)}, explode ${explode(param)} to style ${style(match)}, explode ${explode(match)}`,
      );
    }
    schemas.compare(parameterSchema(param), parameterSchema(match), "request", at(where));
  }
  const matched = new Set([...oldParams.keys()].map((key) => renamed.get(key) ?? key));
  for (const [key, param] of newParams) {
    if (matched.has(key) || param.in === "path") continue;
    const where = `${param.in} parameter ${param.name}`;
    if (param.required === true) report("parameter-required-added", at(where), "a new required parameter");
    else report("parameter-added", at(where), "a new optional parameter");
  }
}

function compareRequestBody({ before, after, schemas, old, next, report, at }: OperationPair): void {
  const oldBody = deref<Obj | undefined>(before, old.op.requestBody);
  const newBody = deref<Obj | undefined>(after, next.op.requestBody);
  if (!oldBody && newBody?.required === true)
    report("request-body-became-required", at("request body"), "a required request body was added");
  else if (oldBody && !newBody) report("request-body-removed", at("request body"), "the request body was removed");
  else if (oldBody && newBody) {
    if (newBody.required === true && oldBody.required !== true) {
      report("request-body-became-required", at("request body"), "the request body became required");
    }
    const newContent = (newBody.content as Obj | undefined) ?? {};
    for (const [type, media] of Object.entries((oldBody.content as Obj | undefined) ?? {})) {
      const where = `request body ${type}`;
      const match = mediaMatch(newContent, type);
      if (!match) report("request-media-type-removed", at(where), `content type ${type} is no longer accepted`);
      else schemas.compare((media as Obj).schema ?? {}, match.schema ?? {}, "request", at(where));
    }
  }
}

function compareResponses(pair: OperationPair): void {
  const { before, after, old, next, report, at } = pair;
  const oldResponses = (old.op.responses as Obj | undefined) ?? {};
  const newResponses = (next.op.responses as Obj | undefined) ?? {};
  for (const [status, rawResponse] of Object.entries(oldResponses)) {
    if (!(status in newResponses)) {
      report("response-status-removed", at(`response ${status}`), `status ${status} is no longer documented`);
      continue;
    }
    const oldResponse = deref<Obj | undefined>(before, rawResponse) ?? {};
    const newResponse = deref<Obj | undefined>(after, newResponses[status]) ?? {};
    compareResponseContent(pair, status, oldResponse, newResponse);
    compareResponseHeaders(pair, status, oldResponse, newResponse);
  }
  for (const status of Object.keys(newResponses)) {
    if (!(status in oldResponses)) report("response-status-added", at(`response ${status}`), `status ${status} added`);
  }
}

function compareResponseContent(
  { schemas, report, at }: OperationPair,
  status: string,
  oldResponse: Obj,
  newResponse: Obj,
): void {
  const newContent = (newResponse.content as Obj | undefined) ?? {};
  for (const [type, media] of Object.entries((oldResponse.content as Obj | undefined) ?? {})) {
    const where = `response ${status} ${type}`;
    const match = mediaMatch(newContent, type);
    if (!match) report("response-media-type-removed", at(where), `content type ${type} was removed`);
    else schemas.compare((media as Obj).schema ?? {}, match.schema ?? {}, "response", at(where));
  }
}

/** Header names compare case-insensitively, as HTTP does. */
const headersByName = (headers: unknown) =>
  new Map(Object.entries(isObject(headers) ? headers : {}).map(([name, header]) => [name.toLowerCase(), header]));

function compareResponseHeaders(pair: OperationPair, status: string, oldResponse: Obj, newResponse: Obj): void {
  const { before, after, schemas, report, at } = pair;
  const newHeaders = headersByName(newResponse.headers);
  for (const [name, rawHeader] of headersByName(oldResponse.headers)) {
    const where = `response ${status} header ${name}`;
    if (!newHeaders.has(name)) {
      report("response-header-removed", at(where), "header was removed");
      continue;
    }
    const oldHeader = deref<Obj | undefined>(before, rawHeader) ?? {};
    const newHeader = deref<Obj | undefined>(after, newHeaders.get(name)) ?? {};
    if (oldHeader.required === true && newHeader.required !== true)
      report("response-header-became-optional", at(where), "header is no longer required (may be absent)");
    schemas.compare(oldHeader.schema ?? {}, newHeader.schema ?? {}, "response", at(where));
  }
}

/** Every way to authenticate that worked must still work. */
function compareSecurity({ before, after, old, next, report, at }: OperationPair): void {
  const newSecurity = effectiveSecurity(after, next.op);
  const now = newSecurity.map(showRequirement).join(" or ");
  for (const requirement of effectiveSecurity(before, old.op)) {
    if (newSecurity.some((candidate) => accepts(candidate, requirement))) continue;
    const what = requirement.size === 0 ? "calls without authentication are" : `${showRequirement(requirement)} is`;
    report("security-alternative-removed", at("security"), `${what} no longer accepted (now: ${now})`);
  }
}

function compareSecuritySchemes(before: OpenApiDoc, after: OpenApiDoc, report: Report): void {
  const schemes = (doc: OpenApiDoc) => ((doc.components as Obj | undefined)?.securitySchemes as Obj | undefined) ?? {};
  const newSchemes = schemes(after);
  for (const [name, rawScheme] of Object.entries(schemes(before))) {
    const old = deref<Obj | undefined>(before, rawScheme) ?? {};
    const next = deref<Obj | undefined>(after, newSchemes[name]);
    if (!next) {
      report("security-scheme-changed", {}, `security scheme ${name} was removed`);
      continue;
    }
    const facts = (scheme: Obj) => ({
      type: scheme.type,
      in: scheme.in,
      name: scheme.in === "header" && typeof scheme.name === "string" ? scheme.name.toLowerCase() : scheme.name,
      scheme: typeof scheme.scheme === "string" ? scheme.scheme.toLowerCase() : scheme.scheme,
      openIdConnectUrl: scheme.openIdConnectUrl,
      flows: Object.fromEntries(
        Object.entries(isObject(scheme.flows) ? scheme.flows : {}).map(([flow, value]) => [
          flow,
          isObject(value) ? { tokenUrl: value.tokenUrl, authorizationUrl: value.authorizationUrl } : value,
        ]),
      ),
    });
    const [a, b] = [facts(old), facts(next)];
    for (const key of Object.keys(a) as (keyof typeof a)[]) {
      if (JSON.stringify(a[key]) !== JSON.stringify(b[key])) {
        report(
          "security-scheme-changed",
          {},
          `security scheme ${name}: ${key} changed from ${JSON.stringify(a[key])} to ${JSON.stringify(b[key])}`,
        );
      }
    }
  }
}

function compareServers(before: OpenApiDoc, after: OpenApiDoc, report: Report): void {
  const servers = (doc: OpenApiDoc) => (Array.isArray(doc.servers) ? (doc.servers as Obj[]) : []);
  const newServers = servers(after);
  for (const server of servers(before)) {
    const environment = server["x-environment"];
    if (typeof environment === "string" && !newServers.some((s) => s["x-environment"] === environment)) {
      report("server-environment-removed", {}, `the ${environment} server (x-environment: ${environment}) was removed`);
    } else if (!newServers.some((s) => s.url === server.url)) {
      report("server-removed", {}, `server ${String(server.url)} was removed or changed`);
    }
  }
}

export { rules };
