// The contract suites every API runs against its Prism mock. Their cases come from the spec alone;
// a test file adds what the spec cannot say: one typed call per operation.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  expectFieldByField,
  hasSuccessBody,
  isPublic,
  send,
  successExamples,
  successStatus,
  type AnyClient,
  type CallResult,
  type Contract,
} from "./contract.js";
import { matchOperation } from "@cx-openapi/spec";
import { startLocalServer, type LocalServer } from "./testing/local-server.js";
import { requestViolations, type ViolationCase } from "./violations.js";

/** One typed call per operationId; `prefer` is the Prism `Prefer` header to send. */
export type SuccessCalls = Record<string, (prefer: string) => Promise<CallResult>>;

export interface OperationSuiteOptions {
  /** Credential header values the mock must refuse with 401 on every secured operation. */
  malformedCredentials?: string[];
}

/**
 * Per operation: the typed success call (its examples field by field, or no body when none is
 * declared), 401 without credentials (or none needed, when the spec says so), and every other
 * declared status through `Prefer: code=N`.
 */
export function describeOperations<C extends AnyClient>(
  contract: Contract<C>,
  successCalls: SuccessCalls,
  options: OperationSuiteOptions = {},
): void {
  const { api, operations } = contract;
  describe(`${api.name} contract against Prism`, () => {
    it("has a typed success call for every operation of the spec", () => {
      expect(Object.keys(successCalls).sort()).toEqual(operations.map((op) => op.operationId).sort());
    });
    describe.each(operations.map((op) => [op.operationId, op] as const))("%s", (operationId, operation) => {
      const call = (prefer: string) => {
        const fn = successCalls[operationId];
        if (!fn) throw new Error(`no success call for ${operationId}`);
        return fn(prefer);
      };
      describeSuccess(contract, operation, call);
      describeCredentials(contract, operation, options);
      describeDeclaredStatuses(contract, operation);
    });
  });
}

type Operation = Contract<AnyClient>["operations"][number];

/** The operation's request with every required value filled in from the spec. */
function baselineOf(contract: Contract<AnyClient>, operationId: string) {
  const { baseline, operation } = requestViolations(contract.doc, operationId);
  return { ...operation, ...baseline };
}

/** Its success examples, field by field, or no body when the spec declares none. */
function describeSuccess<C extends AnyClient>(
  contract: Contract<C>,
  operation: Operation,
  call: (prefer: string) => Promise<CallResult>,
): void {
  const status = successStatus(operation);
  if (!hasSuccessBody(operation)) {
    it(`answers ${status} with no body, as the spec declares none`, async () => {
      const { data, response } = await call(`code=${status}`);
      expect(response.status).toBe(Number(status));
      expect(data).toBeUndefined();
    });
    return;
  }
  const examples = successExamples(contract.doc, operation);
  it(`declares at least one ${status} example`, () => {
    expect(examples.length).toBeGreaterThan(0);
  });
  it.each(examples)("returns the %s example, field by field", async (name, example) => {
    const { data, response } = await call(`example=${name}`);
    expect(response.status).toBe(Number(status));
    expectFieldByField(data, example);
  });
}

/** 401 without credentials or with malformed ones, or none needed when the spec says so. */
function describeCredentials<C extends AnyClient>(
  contract: Contract<C>,
  operation: Operation,
  options: OperationSuiteOptions,
): void {
  const { credentials } = contract;
  const baseline = () => baselineOf(contract, operation.operationId);
  if (isPublic(contract.doc, operation)) {
    it(`does not need ${credentials.name}`, async () => {
      const { response } = await send(contract.clientWith(null), baseline());
      expect(response.status).toBe(Number(successStatus(operation)));
    });
    return;
  }
  it(`answers 401 without ${credentials.name}`, async () => {
    const { response } = await send(contract.clientWith(null), baseline());
    expect(response.status).toBe(401);
  });
  it.each(options.malformedCredentials ?? [])(`answers 401 with ${credentials.header} %j`, async (value) => {
    const { response } = await send(contract.clientWith(value), baseline());
    expect(response.status).toBe(401);
  });
}

/** Every other declared status, through `Prefer: code=N`. */
function describeDeclaredStatuses<C extends AnyClient>(contract: Contract<C>, operation: Operation): void {
  const declaredStatuses = Object.keys(operation.responses).filter((s) => /^\d+$/.test(s));
  it.each(declaredStatuses)("serves the declared %s response within the spec", async (declared) => {
    const { response } = await send(
      contract.clientFor(operation.operationId),
      baselineOf(contract, operation.operationId),
      {
        Prefer: `code=${declared}`,
      },
    );
    expect(response.status).toBe(Number(declared));
  });
}

interface Violation {
  location?: string[];
  code?: string;
  message?: string;
}

/** The violations Prism reports in its `sl-violations` header. */
export function violationsOf(response: Response): Violation[] {
  const header = response.headers.get("sl-violations");
  return header ? (JSON.parse(header) as Violation[]) : [];
}

/** Whether a reported violation is about the case's field: at its location, or at its parent and naming it. */
export function namesField(v: Violation, c: ViolationCase): boolean {
  // Prism reports path parameter names in lower case (`customerid`).
  const fold = (s: string) => (c.location === "path" ? s.toLowerCase() : s);
  const location = (v.location ?? []).filter((s, i) => !(i === 0 && s === "request")).map((s) => fold(String(s)));
  const at = c.at.map(fold);
  const same = (a: string[], b: string[]) => a.length === b.length && a.every((s, i) => s === b[i]);
  const name = at[at.length - 1] ?? "";
  return (
    same(location, at) ||
    (same(location, at.slice(0, -1)) && (v.message ?? "").toLowerCase().includes(name.toLowerCase()))
  );
}

/** A path parameter sent empty: the URL then reads as if the parameter were missing (see the case's note). */
const emptySegment = (c: ViolationCase) => c.location === "path" && c.pathParams[c.at[1] ?? ""] === "";

/** Prism reads at most 10 MB of a body (its server's `limit: "10mb"`). */
const mockBodyLimit = 10 * 1024 * 1024;
const overBodyLimit = (c: ViolationCase) => "body" in c && Buffer.byteLength(JSON.stringify(c.body)) > mockBodyLimit;
const overBodyLimitReason =
  "the request body is over Prism's 10 MB limit: Prism answers 413, which the spec does not declare, before validating";

/** Every request constraint the generator derives from the spec, broken once: the mock must refuse it naming the field. */
export function describeRequestConstraints<C extends AnyClient>(contract: Contract<C>): void {
  describe(`${contract.api.name} request constraints: each generated violation is rejected`, () => {
    for (const op of contract.operations) {
      const {
        cases: generated,
        untestable: unbreakable,
        baseline,
        operation,
      } = requestViolations(contract.doc, op.operationId);
      const cases = generated.filter((c) => !overBodyLimit(c));
      const untestable = [...unbreakable, ...generated.filter(overBodyLimit).map(overLimitUntestable)];
      const client = contract.clientFor(op.operationId);
      describe(op.operationId, () => {
        it("accepts the valid baseline request every case starts from", async () => {
          const { response } = await send(client, { ...operation, ...baseline });
          expect(response.status).toBe(Number(successStatus(operation)));
        });
        it.each(cases.filter((c) => !emptySegment(c)).map((c) => [c.title, c] as const))("%s", async (_title, c) =>
          expectRefusedNamingField(await send(client, c), c),
        );
        // Cases that HTTP cannot carry as such (an empty path segment): the request must still be
        // refused, either by the client before sending or by the server naming the parameter.
        it.each(cases.filter(emptySegment).map((c) => [c.title, c] as const))("%s", async (_title, c) =>
          expectRefusedNamingField(await sendEmptySegment(contract, client, operation, c), c),
        );
        it(`lists the ${untestable.length} constraint(s) HTTP cannot break, with a reason`, () => {
          for (const u of untestable) {
            expect(u.reason).not.toBe("");
            console.info(`untestable through HTTP: ${u.operationId} ${u.location} ${u.field} ${u.rule}: ${u.reason}`);
          }
        });
      });
    }
  });
}

function overLimitUntestable({ operationId, location, field, rule }: ViolationCase) {
  return { operationId, location, field, rule, reason: overBodyLimitReason };
}

/** A 4xx whose `sl-violations` names the case's field with one of its codes. */
function expectRefusedNamingField({ response }: { response: Response }, c: ViolationCase): void {
  const violations = violationsOf(response);
  const detail = `status ${response.status}, sl-violations ${JSON.stringify(violations)}`;
  expect(response.status >= 400 && response.status < 500, `a 4xx for ${c.field}; got ${detail}`).toBe(true);
  expect(
    violations.some((v) => namesField(v, c) && c.codes.includes(v.code ?? "")),
    `a ${c.codes.join("/")} violation naming ${c.at.join(".")}; got ${detail}`,
  ).toBe(true);
}

/**
 * An empty path segment: the client refuses it, naming the parameter, and then the server must
 * refuse the raw request too.
 */
async function sendEmptySegment<C extends AnyClient>(
  contract: Contract<C>,
  client: C,
  operation: Operation,
  c: ViolationCase,
): Promise<{ response: Response }> {
  try {
    return await send(client, c);
  } catch (error) {
    expect(String(error), "the client's refusal names the parameter").toContain(c.at[c.at.length - 1] ?? "");
    const { mockUrl, credentials } = contract;
    const path = c.path.replace(/\{([^}]+)\}/g, (_m, p: string) => encodeURIComponent(c.pathParams[p] ?? ""));
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (!isPublic(contract.doc, operation)) headers[credentials.header] = credentials.value;
    const init: RequestInit = { method: c.method.toUpperCase(), headers };
    if ("body" in c) init.body = JSON.stringify(c.body);
    return { response: await contract.checkedFetch(mockUrl)(new Request(`${mockUrl}${path}`, init)) };
  }
}

export interface EncodedParameter<C> {
  operationId: string;
  /** The path parameter's name, as in the spec. */
  name: string;
  /** Calls the operation with `value` in the parameter. */
  call(client: C, value: string): Promise<CallResult>;
  /** The path the server must receive when the parameter reads `encoded`. */
  path(encoded: string): string;
}

/** Values with characters a URL path reserves, and how each must reach the server. */
const reserved: [string, string, string][] = [
  ["a space", "BAK 007", "BAK%20007"],
  ["a plus", "BAK+007", "BAK%2B007"],
  ["a slash", "BAK/007", "BAK%2F007"],
  ["a hash", "BAK#007", "BAK%23007"],
  ["a question mark", "BAK?007", "BAK%3F007"],
  ["all of them", "a b+c/d#e?f", "a%20b%2Bc%2Fd%23e%3Ff"],
];

/**
 * Sends each parameter holding reserved characters to a local server, which records the raw path
 * and answers with the operation's success example, and asserts they arrived percent-encoded.
 */
export function describePathEncoding<C extends AnyClient>(
  contract: Contract<C>,
  parameters: EncodedParameter<C>[],
): void {
  const { api, doc } = contract;

  describe(`${api.name} path parameters with reserved characters`, () => {
    let server: LocalServer;
    const seen: string[] = [];

    beforeAll(async () => {
      server = await startLocalServer((request, res) => {
        seen.push(request.url);
        const operation = matchOperation(doc, request.method, request.url.split("?")[0] ?? "")?.operation;
        if (!operation) return void res.writeHead(404).end();
        const example = successExamples(doc, operation)[0];
        if (!example) return void res.writeHead(Number(successStatus(operation))).end();
        res
          .writeHead(Number(successStatus(operation)), { "content-type": "application/json" })
          .end(JSON.stringify(example[1]));
      });
    });
    afterAll(() => server.close());

    for (const parameter of parameters) {
      it.each(reserved)(`sends a ${parameter.name} holding %s percent-encoded`, async (_label, raw, encoded) => {
        // Its responses are validated but not counted as coverage: this server is not the mock.
        const local = contract.createClient(server.url, contract.checkedFetch(server.url, { record: false }));
        seen.length = 0;
        const { response } = await parameter.call(local, raw);
        expect(response.status).toBe(Number(successStatus(contract.operation(parameter.operationId))));
        expect(seen).toEqual([parameter.path(encoded)]);
      });
    }
  });
}
