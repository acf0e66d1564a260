// The fault profile of a recording (`<dir>/faults.json`): rules the sandbox takes as they are, and
// that, tried in the sandbox's order, give back each operation's recorded error rates.
import { describe, expect, it } from "vitest";
import { loadSpec } from "@cx-openapi/spec";
import { checkFaultRules, createSandbox } from "@cx-openapi/sandbox";
import { getApi } from "../../lib/apis.js";
import { faultProfile, quantiles, type TimedExchange } from "../../lib/fault-profile.js";

const times = (n: number, exchange: Omit<TimedExchange, "operationId">, operationId = "getCustomer") =>
  Array.from({ length: n }, (_, i) => ({ operationId, ...exchange, durationMs: exchange.durationMs + i }));

describe("the fault profile", () => {
  it("puts each error status first, commonest first, with its chance given the ones before did not apply", () => {
    const rules = faultProfile([
      ...times(70, { status: 200, durationMs: 10 }),
      ...times(15, { status: 503, durationMs: 1, retryAfter: "30" }),
      ...times(5, { status: 503, durationMs: 1, retryAfter: "60" }),
      ...times(10, { status: 404, durationMs: 5 }),
    ]);
    expect(rules).toEqual([
      {
        operationId: "getCustomer",
        probability: 0.2,
        status: 503,
        retryAfter: 30,
        delayMs: { min: 1, p50: 5, p90: 13, p99: 15, max: 15 },
      },
      {
        operationId: "getCustomer",
        probability: 0.125,
        status: 404,
        delayMs: { min: 5, p50: 9, p90: 13, p99: 14, max: 14 },
      },
      { operationId: "getCustomer", delayMs: { min: 10, p50: 44, p90: 72, p99: 79, max: 79 } },
    ]);
    expect(checkFaultRules(rules)).toEqual({ rules });
  });

  it("replays the recorded rates in the sandbox, operation by operation", () => {
    const recorded = [
      ...times(20, { status: 200, durationMs: 0 }),
      ...times(45, { status: 500, durationMs: 0 }),
      ...times(35, { status: 429, durationMs: 0, retryAfter: "2" }),
      ...times(50, { status: 201, durationMs: 0 }, "onboardCustomer"),
      ...times(50, { status: 409, durationMs: 0 }, "onboardCustomer"),
    ];
    const spec = loadSpec(getApi("relay-cdm").bundleJson);
    const hiirelevate = loadSpec(getApi("hiirelevate").bundleJson);
    const sandbox = createSandbox({
      specs: { "relay-cdm": spec, hiirelevate },
      empty: true,
      faults: { "relay-cdm": faultProfile(recorded) },
    });
    const draws = 2000;
    const replayed = (method: string, path: string) => {
      const counts: Record<string, number> = {};
      for (let i = 0; i < draws; i++) {
        const plan = sandbox.fault("relay-cdm", { method, path, headers: {} });
        const status = plan && "status" in plan ? String(plan.status) : "answer";
        counts[status] = (counts[status] ?? 0) + 1 / draws;
      }
      return counts;
    };
    const customer = replayed("GET", "/cdm/client/c1/customer/x1");
    expect(customer.answer).toBeCloseTo(0.2, 1);
    expect(customer["500"]).toBeCloseTo(0.45, 1);
    expect(customer["429"]).toBeCloseTo(0.35, 1);
    const onboard = replayed("POST", "/cdm/client/c1/onboard");
    expect(onboard["409"]).toBeCloseTo(0.5, 1);
  });

  it("gives the last status of an operation that only failed a chance of 1, and its delay rule all durations", () => {
    const rules = faultProfile(times(4, { status: 502, durationMs: 100 }));
    expect(rules).toEqual([
      {
        operationId: "getCustomer",
        probability: 1,
        status: 502,
        delayMs: { min: 100, p50: 101, p90: 103, p99: 103, max: 103 },
      },
      { operationId: "getCustomer", delayMs: { min: 100, p50: 101, p90: 103, p99: 103, max: 103 } },
    ]);
  });

  it("makes no rule of a status the sandbox cannot answer, and no Retry-After of an HTTP date", () => {
    const rules = faultProfile([
      ...times(1, { status: 302, durationMs: 3 }),
      ...times(1, { status: 503, durationMs: 3, retryAfter: "Wed, 21 Oct 2026 07:28:00 GMT" }),
    ]);
    expect(rules.map((rule) => [rule.status, rule.retryAfter])).toEqual([
      [503, undefined],
      [undefined, undefined],
    ]);
    expect(rules[0]!.probability).toBe(0.5);
  });

  it("keeps delays whole and within the sandbox's limit", () => {
    expect(quantiles([0.4, 2.6, 500_000])).toEqual({ min: 0, p50: 3, p90: 120_000, p99: 120_000, max: 120_000 });
    expect(checkFaultRules(faultProfile(times(3, { status: 200, durationMs: 999_999 })))).not.toHaveProperty(
      "problems",
    );
  });
});
