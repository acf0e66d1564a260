// Compares two bundled OpenAPI documents, operation by operation, and lists every change with its
// rule (see rules.ts). Operations are matched by method and path template with parameter names
// blanked out, so renaming `{id}` to `{customerId}` is a rename, not a removal plus an addition.
import { rules, type Change, type RuleId } from "./rules.js";
import { Document, isObj, SchemaComparer, type Location } from "./schema.js";

type Obj = Record<string, unknown>;
const methods = ["get", "put", "post", "delete", "options", "head", "patch", "trace"] as const;

interface Operation {
  method: string;
  path: string;
  item: Obj;
  op: Obj;
}

const normalizePath = (path: string) => path.replace(/\{[^}]+\}/g, "{}");
const pathParameterNames = (path: string) => [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1] as string);

function operations(doc: Document): Map<string, Operation> {
  const found = new Map<string, Operation>();
  for (const [path, rawItem] of Object.entries((doc.raw.paths as Obj | undefined) ?? {})) {
    const item = doc.deref(rawItem);
    if (!isObj(item)) continue;
    for (const method of methods) {
      const op = item[method];
      if (isObj(op)) found.set(`${method} ${normalizePath(path)}`, { method, path, item, op });
    }
  }
  return found;
}

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
function parameters(doc: Document, operation: Operation): Map<string, Parameter> {
  const out = new Map<string, Parameter>();
  for (const list of [operation.item.parameters, operation.op.parameters]) {
    if (!Array.isArray(list)) continue;
    for (const raw of list) {
      const param = doc.deref<Parameter>(raw);
      if (param?.name && param.in) out.set(`${param.in}:${param.in === "header" ? param.name.toLowerCase() : param.name}`, param);
    }
  }
  return out;
}

const parameterSchema = (param: Parameter): unknown => param.schema ?? Object.values(param.content ?? {})[0]?.schema ?? {};
const style = (param: Parameter) => param.style ?? (param.in === "query" || param.in === "cookie" ? "form" : "simple");
const explode = (param: Parameter) => param.explode ?? style(param) === "form";

type Security = Map<string, Set<string>>[];

function effectiveSecurity(doc: Document, op: Obj): Security {
  const list = (Array.isArray(op.security) ? op.security : Array.isArray(doc.raw.security) ? doc.raw.security : []) as Obj[];
  if (list.length === 0) return [new Map()];
  return list.map((requirement) => new Map(Object.entries(requirement).map(([scheme, scopes]) => [scheme, new Set(Array.isArray(scopes) ? (scopes as string[]) : [])])));
}

const showRequirement = (requirement: Map<string, Set<string>>) =>
  requirement.size === 0
    ? "no authentication"
    : [...requirement].map(([scheme, scopes]) => (scopes.size ? `${scheme} (${[...scopes].join(", ")})` : scheme)).join(" + ");

/** An `after` requirement accepts what a `before` one did if it asks for no scheme or scope more. */
const accepts = (after: Map<string, Set<string>>, before: Map<string, Set<string>>) =>
  [...after].every(([scheme, scopes]) => before.has(scheme) && [...scopes].every((s) => before.get(scheme)!.has(s)));

export interface CompareOptions {
  /** Skip `info` changes (the default keeps them; the CLI shows them with --verbose). */
  omitInfo?: boolean;
}

export function compareDocuments(beforeRaw: Obj, afterRaw: Obj, options: CompareOptions = {}): Change[] {
  const before = new Document(beforeRaw);
  const after = new Document(afterRaw);
  const schemas = new SchemaComparer(before, after);
  const changes = schemas.changes;
  const report = (rule: RuleId, location: Location, message: string) => schemas.report(rule, location, "", message);

  const beforeOps = operations(before);
  const afterOps = operations(after);
  for (const [key, old] of beforeOps) {
    const label = `${old.method.toUpperCase()} ${old.path}`;
    const next = afterOps.get(key);
    if (!next) {
      report("operation-removed", { operation: label }, `${label} was removed`);
      continue;
    }
    compareOperation(before, after, schemas, old, next, report);
  }
  for (const [key, added] of afterOps) {
    if (!beforeOps.has(key)) report("operation-added", { operation: `${added.method.toUpperCase()} ${added.path}` }, "operation added");
  }

  // Component schemas are the generated named types.
  const beforeSchemas = ((before.raw.components as Obj | undefined)?.schemas as Obj | undefined) ?? {};
  const afterSchemas = ((after.raw.components as Obj | undefined)?.schemas as Obj | undefined) ?? {};
  for (const name of Object.keys(beforeSchemas)) {
    if (!(name in afterSchemas)) report("schema-removed", {}, `components.schemas.${name} was removed (and its generated type \`${name}\`)`);
  }
  for (const name of Object.keys(afterSchemas)) if (!(name in beforeSchemas)) report("schema-added", {}, `components.schemas.${name} was added`);

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

function compareOperation(
  before: Document,
  after: Document,
  schemas: SchemaComparer,
  old: Operation,
  next: Operation,
  report: (rule: RuleId, location: Location, message: string) => void,
): void {
  const operation = `${next.method.toUpperCase()} ${next.path}`;
  const at = (where?: string): Location => ({ operation, ...(where ? { where } : {}) });

  if (typeof old.op.operationId === "string" && old.op.operationId !== next.op.operationId) {
    report("operation-id-changed", at(), `operationId changed from ${old.op.operationId} to ${String(next.op.operationId ?? "(none)")}`);
  }
  if (next.op.deprecated === true && old.op.deprecated !== true) report("operation-deprecated", at(), "operation deprecated");

  // Parameters. Path parameters are matched by position, so a rename is seen as one.
  const oldPathNames = pathParameterNames(old.path);
  const newPathNames = pathParameterNames(next.path);
  const renamed = new Map<string, string>();
  oldPathNames.forEach((name, i) => {
    const now = newPathNames[i];
    if (now !== undefined && now !== name) {
      renamed.set(`path:${name}`, `path:${now}`);
      report("path-parameter-renamed", at(), `path parameter {${name}} was renamed to {${now}}`);
    }
  });
  const oldParams = parameters(before, old);
  const newParams = parameters(after, next);
  for (const [key, param] of oldParams) {
    const match = newParams.get(renamed.get(key) ?? key);
    const where = `${param.in} parameter ${param.name}`;
    if (!match) {
      if (param.in !== "path") report("parameter-removed", at(where), "parameter was removed");
      continue;
    }
    if (match.required === true && param.required !== true) report("parameter-became-required", at(where), "parameter became required");
    if (style(param) !== style(match) || explode(param) !== explode(match)) {
      report("parameter-serialization-changed", at(where), `serialization changed from style ${style(param)}, explode ${explode(param)} to style ${style(match)}, explode ${explode(match)}`);
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

  // Request body.
  const oldBody = before.deref(old.op.requestBody);
  const newBody = after.deref(next.op.requestBody);
  if (!oldBody && newBody?.required === true) report("request-body-became-required", at("request body"), "a required request body was added");
  else if (oldBody && !newBody) report("request-body-removed", at("request body"), "the request body was removed");
  else if (oldBody && newBody) {
    if (newBody.required === true && oldBody.required !== true) report("request-body-became-required", at("request body"), "the request body became required");
    const oldContent = (oldBody.content as Obj | undefined) ?? {};
    const newContent = (newBody.content as Obj | undefined) ?? {};
    for (const [type, media] of Object.entries(oldContent)) {
      const where = `request body ${type}`;
      const match = newContent[type];
      if (!isObj(match)) report("request-media-type-removed", at(where), `content type ${type} is no longer accepted`);
      else schemas.compare((media as Obj).schema ?? {}, match.schema ?? {}, "request", at(where));
    }
  }

  // Responses.
  const oldResponses = (old.op.responses as Obj | undefined) ?? {};
  const newResponses = (next.op.responses as Obj | undefined) ?? {};
  for (const [status, rawResponse] of Object.entries(oldResponses)) {
    if (!(status in newResponses)) {
      report("response-status-removed", at(`response ${status}`), `status ${status} is no longer documented`);
      continue;
    }
    const oldResponse = before.deref(rawResponse) ?? {};
    const newResponse = after.deref(newResponses[status]) ?? {};
    const oldContent = (oldResponse.content as Obj | undefined) ?? {};
    const newContent = (newResponse.content as Obj | undefined) ?? {};
    for (const [type, media] of Object.entries(oldContent)) {
      const where = `response ${status} ${type}`;
      const match = newContent[type];
      if (!isObj(match)) report("response-media-type-removed", at(where), `content type ${type} was removed`);
      else schemas.compare((media as Obj).schema ?? {}, match.schema ?? {}, "response", at(where));
    }
    const lower = (headers: unknown) => new Map(Object.entries(isObj(headers) ? headers : {}).map(([name, header]) => [name.toLowerCase(), header]));
    const oldHeaders = lower(oldResponse.headers);
    const newHeaders = lower(newResponse.headers);
    for (const [name, rawHeader] of oldHeaders) {
      const where = `response ${status} header ${name}`;
      if (!newHeaders.has(name)) {
        report("response-header-removed", at(where), "header was removed");
        continue;
      }
      const oldHeader = before.deref(rawHeader) ?? {};
      const newHeader = after.deref(newHeaders.get(name)) ?? {};
      schemas.compare(oldHeader.schema ?? {}, newHeader.schema ?? {}, "response", at(where));
    }
  }
  for (const status of Object.keys(newResponses)) {
    if (!(status in oldResponses)) report("response-status-added", at(`response ${status}`), `status ${status} added`);
  }

  // Security: every way to authenticate that worked must still work.
  const oldSecurity = effectiveSecurity(before, old.op);
  const newSecurity = effectiveSecurity(after, next.op);
  for (const requirement of oldSecurity) {
    if (!newSecurity.some((candidate) => accepts(candidate, requirement))) {
      report(
        "security-alternative-removed",
        at("security"),
        requirement.size === 0
          ? `calls without authentication are no longer accepted (now: ${newSecurity.map(showRequirement).join(" or ")})`
          : `${showRequirement(requirement)} is no longer accepted (now: ${newSecurity.map(showRequirement).join(" or ")})`,
      );
    }
  }
}

function compareSecuritySchemes(before: Document, after: Document, report: (rule: RuleId, location: Location, message: string) => void): void {
  const schemes = (doc: Document) => ((doc.raw.components as Obj | undefined)?.securitySchemes as Obj | undefined) ?? {};
  const newSchemes = schemes(after);
  for (const [name, rawScheme] of Object.entries(schemes(before))) {
    const old = before.deref(rawScheme) ?? {};
    const next = after.deref(newSchemes[name]);
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
        Object.entries(isObj(scheme.flows) ? scheme.flows : {}).map(([flow, value]) => [
          flow,
          isObj(value) ? { tokenUrl: value.tokenUrl, authorizationUrl: value.authorizationUrl } : value,
        ]),
      ),
    });
    const [a, b] = [facts(old), facts(next)];
    for (const key of Object.keys(a) as (keyof typeof a)[]) {
      if (JSON.stringify(a[key]) !== JSON.stringify(b[key])) {
        report("security-scheme-changed", {}, `security scheme ${name}: ${key} changed from ${JSON.stringify(a[key])} to ${JSON.stringify(b[key])}`);
      }
    }
  }
}

function compareServers(before: Document, after: Document, report: (rule: RuleId, location: Location, message: string) => void): void {
  const servers = (doc: Document) => (Array.isArray(doc.raw.servers) ? (doc.raw.servers as Obj[]) : []);
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
