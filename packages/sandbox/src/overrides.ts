// Per-call response overrides, as MSW's `server.use` or WireMock's mappings: a match (operation or
// path, method, part of the JSON body) and the answer to give instead, for N calls or until cleared.
// An override is answered inside the contract gate: one that breaks the spec is a 500 that says so.
import { isObject } from "@cx-openapi/spec/openapi";
import type { SandboxRequest, SandboxResponse } from "./types.js";

export interface Override {
  match: {
    operationId?: string;
    /** The request's path, exactly (without the query). */
    path?: string;
    method?: string;
    /** A JSON value the request body must contain: every key given, recursively, with equal values. */
    body?: unknown;
  };
  response: { status: number; body?: unknown; headers?: Record<string, string> };
  /** Answer this many matching calls, then stop (default: until cleared). */
  times?: number;
}

const maxOverrides = 200;

export class OverrideList {
  #held: { override: Override; used: number }[] = [];

  set(overrides: Override[]): void {
    this.#held = overrides.map((override) => ({ override: structuredClone(override), used: 0 }));
  }

  clear(): void {
    this.#held = [];
  }

  get list(): Override[] {
    return this.#held.map(({ override, used }) =>
      override.times === undefined
        ? structuredClone(override)
        : { ...structuredClone(override), times: override.times - used },
    );
  }

  /** The answer of the first override that matches, used up once; undefined when none does. */
  take(request: SandboxRequest, operationId: string | undefined, body: () => unknown): SandboxResponse | undefined {
    if (this.#held.length === 0) return undefined;
    const held = this.#held.find(
      ({ override, used }) =>
        (override.times === undefined || used < override.times) && matches(override.match, request, operationId, body),
    );
    if (!held) return undefined;
    held.used += 1;
    const { status, body: answer, headers = {} } = held.override.response;
    const json = answer === undefined ? {} : { "content-type": "application/json" };
    return {
      status,
      headers: { ...json, ...headers },
      ...(answer === undefined ? {} : { body: structuredClone(answer) }),
    };
  }
}

function matches(
  match: Override["match"],
  request: SandboxRequest,
  operationId: string | undefined,
  body: () => unknown,
): boolean {
  return (
    (match.operationId === undefined || match.operationId === operationId) &&
    (match.path === undefined || match.path === request.path) &&
    (match.method === undefined || match.method.toUpperCase() === request.method.toUpperCase()) &&
    (match.body === undefined || contains(body(), match.body))
  );
}

/** Whether `value` holds everything `pattern` says: equal leaves, and every key of a pattern object. */
function contains(value: unknown, pattern: unknown): boolean {
  if (!isObject(pattern)) return JSON.stringify(value) === JSON.stringify(pattern);
  return isObject(value) && Object.entries(pattern).every(([key, part]) => contains(value[key], part));
}

/** Checks overrides sent to `PUT /__sandbox/overrides`; returns the problems, naming the field. */
export function checkOverrides(value: unknown): { overrides: Override[] } | { problems: string[] } {
  if (!Array.isArray(value)) return { problems: ["(body) must be a list of overrides"] };
  if (value.length > maxOverrides) return { problems: [`(body) must hold at most ${maxOverrides} overrides`] };
  const problems = value.flatMap((item, i) => overrideProblems(item, `[${i}]`));
  return problems.length ? { problems } : { overrides: value as Override[] };
}

function overrideProblems(item: unknown, at: string): string[] {
  if (!isObject(item)) return [`${at} must be an object`];
  const problems = Object.keys(item)
    .filter((key) => !["match", "response", "times"].includes(key))
    .map((key) => `property ${at}.${key} should not exist`);
  const { match, response, times } = item;
  if (!isObject(match)) problems.push(`${at}.match must be an object`);
  else
    for (const key of Object.keys(match))
      if (!["operationId", "path", "method", "body"].includes(key))
        problems.push(`property ${at}.match.${key} should not exist`);
      else if (key !== "body" && typeof match[key] !== "string") problems.push(`${at}.match.${key} must be a string`);
  if (!isObject(response)) problems.push(`${at}.response must be an object`);
  else problems.push(...responseProblems(response, `${at}.response`));
  if (times !== undefined && !(Number.isInteger(times) && (times as number) >= 1))
    problems.push(`${at}.times must be a whole number of at least 1`);
  return problems;
}

function responseProblems(response: Record<string, unknown>, at: string): string[] {
  const problems = Object.keys(response)
    .filter((key) => !["status", "body", "headers"].includes(key))
    .map((key) => `property ${at}.${key} should not exist`);
  const { status, headers } = response;
  if (!Number.isInteger(status) || (status as number) < 100 || (status as number) > 599)
    problems.push(`${at}.status must be a whole number from 100 to 599`);
  if (headers !== undefined && !validHeaders(headers))
    problems.push(`${at}.headers must map header names to values of visible ASCII characters`);
  return problems;
}

/** Header names a response may carry, and values without control characters (no CR or LF). */
function validHeaders(headers: unknown): boolean {
  return (
    isObject(headers) &&
    Object.entries(headers).every(
      ([name, value]) =>
        /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name) &&
        !["content-length", "transfer-encoding", "connection"].includes(name.toLowerCase()) &&
        typeof value === "string" &&
        /^[\t\x20-\x7e]*$/.test(value),
    )
  );
}
