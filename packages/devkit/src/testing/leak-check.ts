// The secrets test's tools, shared by the runtime's tests and the clients': known credentials and
// personal values, and checks that none of them shows in any string the library produces.
import { inspect } from "node:util";
import { consoleLogger, createHooks, type ErrorEvent, type Hooks } from "@cx-openapi/runtime";
import { expect } from "vitest";

export const secrets = {
  apiKey: "rk_live_7Qp2Zx9Lm4Wv",
  bearerToken: "eyJhbGciOiJIUzI1NiJ9.fixed-bearer.Xy7pQ",
  issuedToken: "at_issued_Zq81pLkT",
  clientSecret: "cs_live_TOPSECRET_55Aa",
};
export const person = {
  ccid: "CCID-PRIV-58213",
  customerId: "7c0e4e1a-3b7d-4f3a-9d2e-1f6b8a9c0d11",
  firstName: "Rogerina",
  lastName: "Rabbitsworth",
  email: "roger.rabbit@acme-toons.example",
  phone: "6105559876",
  dateOfBirth: "1961-07-23",
  ssn: "219-09-9271",
  ssnLast4: "9271",
};
const forbidden = { ...secrets, ...person };

/** Where `value` shows in `text`, raw or percent-encoded; digits-only values must stand alone (not inside a port). */
function leaks(text: string, value: string): boolean {
  return [value, encodeURIComponent(value)].some((form) =>
    /^\d+$/.test(form) ? new RegExp(`(?<!\\d)${form}(?!\\d)`).test(text) : text.includes(form),
  );
}

/** Every string a thrown error offers to a log. */
export function printed(error: unknown): string[] {
  const e = error as Error;
  return [e.message, String(e), e.stack ?? "", JSON.stringify(e) ?? "", inspect(e, { depth: 10 })];
}

/** Hooks that record every event (`events`; `calls` with the hook's name) and feed `consoleLogger`, whose lines land in an array. */
export function recorder() {
  const events: unknown[] = [];
  const calls: [string, unknown][] = [];
  const lines: string[] = [];
  const log = consoleLogger({ info: (l) => lines.push(l), warn: (l) => lines.push(l), error: (l) => lines.push(l) });
  const record = (hook: keyof Hooks) => (e: never) => {
    events.push(e);
    calls.push([hook, e]);
    (log[hook] as (event: never) => void)(e);
  };
  const hooks = createHooks({
    onRequest: record("onRequest"),
    onResponse: record("onResponse"),
    onRetry: record("onRetry"),
    onError: record("onError"),
  });
  return {
    hooks,
    events,
    calls,
    lines,
    /** The errors onError was given, in order. */
    errors: () => calls.filter(([hook]) => hook === "onError").map(([, e]) => (e as ErrorEvent).error),
    printed: () => [...events.flatMap((e) => [JSON.stringify(e), inspect(e, { depth: 10 })]), ...lines],
  };
}

/**
 * Fails with the list of (value, text) pairs where a value shows, raw or percent-encoded: by default
 * the known secrets and personal values above, or the `values` a test names.
 */
export function expectNothingLeaks(texts: string[], values: Record<string, string> | string[] = forbidden) {
  const named = Array.isArray(values) ? Object.fromEntries(values.map((value) => [value, value])) : values;
  const found = texts.flatMap((text) =>
    Object.entries(named)
      .filter(([, value]) => leaks(text, value))
      .map(([name]) => `${name} in ${JSON.stringify(text.slice(0, 300))}`),
  );
  expect(found).toEqual([]);
}
