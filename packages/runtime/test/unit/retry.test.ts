// Unit tests of the retry policy: backoff with full jitter, Retry-After, the cap, option checks, sleep.
import { afterEach, describe, expect, it, vi } from "vitest";
import { isRetryableStatus, retryDelay, retryPolicy, sleep } from "../../src/retry.js";
import { createItemsClient } from "../fixtures/items-client.js";
import { observe, until, useFakeClock } from "@cx-openapi/devkit/testing";

const policy = retryPolicy({ baseDelayMs: 100, maxDelayMs: 10_000 });
const now = Date.UTC(2025, 0, 1);
const always = (value: number) => () => value;

afterEach(() => {
  vi.restoreAllMocks();
  vi.useRealTimers();
});

describe("retryDelay", () => {
  it("draws each backoff from [0, base × 2^(attempt-1)] (full jitter)", () => {
    const delays = (random: number) =>
      [1, 2, 3, 4].map((attempt) => retryDelay(policy, attempt, null, now, always(random)));
    expect(delays(0)).toEqual([0, 0, 0, 0]);
    expect(delays(0.5)).toEqual([50, 100, 200, 400]);
    expect(delays(0.9999)).toEqual([100, 200, 400, 800]);
  });

  it("uses Math.random by default", () => {
    vi.spyOn(Math, "random").mockReturnValue(0.25);
    expect(retryDelay(policy, 3, null, now)).toBe(100);
  });

  it("never waits longer than maxDelayMs", () => {
    expect(retryDelay(policy, 20, null, now, always(0.9999))).toBe(10_000);
    expect(retryDelay(policy, 20, null, now, always(0.5))).toBe(10_000);
  });

  it("takes Retry-After in seconds instead of the backoff, capped", () => {
    expect(retryDelay(policy, 1, "3", now, always(0.5))).toBe(3_000);
    expect(retryDelay(policy, 1, " 7 ", now, always(0.5))).toBe(7_000);
    expect(retryDelay(policy, 1, "0", now, always(0.5))).toBe(0);
    expect(retryDelay(policy, 1, "120", now, always(0.5))).toBe(10_000);
  });

  it("takes Retry-After as an HTTP date, relative to now, capped", () => {
    const at = (ms: number) => new Date(now + ms).toUTCString();
    expect(retryDelay(policy, 1, at(5_000), now, always(0.5))).toBe(5_000);
    expect(retryDelay(policy, 1, at(-5_000), now, always(0.5))).toBe(0);
    expect(retryDelay(policy, 1, at(3_600_000), now, always(0.5))).toBe(10_000);
  });

  it("measures an HTTP date from the current time by default", () => {
    vi.useFakeTimers({ toFake: ["Date"], now });
    expect(retryDelay(policy, 1, "Wed, 01 Jan 2025 00:00:04 GMT")).toBe(4_000);
  });

  it("falls back to the backoff when Retry-After is not understood", () => {
    expect(retryDelay(policy, 2, "soon", now, always(0.5))).toBe(100);
    expect(retryDelay(policy, 2, "", now, always(0.5))).toBe(100);
  });

  it("ignores a Retry-After that is neither whole seconds nor an HTTP date", () => {
    for (const header of ["1.5", "-1", "+3"]) {
      expect(retryDelay(policy, 2, header, now, always(0.5)), header).toBe(100);
    }
  });
});

describe("retryPolicy", () => {
  it("has defaults: 3 attempts, 250 ms base, 20 s cap, 408/429/502/503/504", () => {
    const defaults = retryPolicy(undefined);
    expect(defaults).toMatchObject({ maxAttempts: 3, baseDelayMs: 250, maxDelayMs: 20_000 });
    expect([...defaults.statuses].sort()).toEqual([408, 429, 502, 503, 504]);
    expect(isRetryableStatus(defaults, 500)).toBe(false);
    expect(isRetryableStatus(retryPolicy({ retryOn500: true }), 500)).toBe(true);
    expect(retryPolicy(false).maxAttempts).toBe(1);
  });

  it("names the option and the rule when a value is wrong", () => {
    for (const maxAttempts of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => retryPolicy({ maxAttempts })).toThrow(
        new TypeError(`retry.maxAttempts must be a whole number, at least 1; got ${maxAttempts}`),
      );
    }
    for (const option of ["baseDelayMs", "maxDelayMs"] as const) {
      for (const value of [-1, Number.NaN, Number.POSITIVE_INFINITY]) {
        expect(() => retryPolicy({ [option]: value })).toThrow(
          new TypeError(`retry.${option} must be a number, at least 0; got ${value}`),
        );
      }
    }
  });

  it("is checked when a client is created, as is timeoutMs", () => {
    const base = { apiKey: "k3y", baseUrl: "http://127.0.0.1:9" };
    expect(() => createItemsClient({ ...base, retry: { maxAttempts: 0 } })).toThrow(
      "retry.maxAttempts must be a whole number, at least 1; got 0",
    );
    expect(() => createItemsClient({ ...base, retry: { maxDelayMs: -5 } })).toThrow(
      "retry.maxDelayMs must be a number, at least 0; got -5",
    );
    expect(() => createItemsClient({ ...base, timeoutMs: -1 })).toThrow(
      "timeoutMs must be a number, at least 0; got -1",
    );
  });
});

describe("sleep", () => {
  it("resolves after the time given", async () => {
    const clock = useFakeClock();
    try {
      const slept = observe(sleep(300, new AbortController().signal));
      await clock.advance(299);
      expect(slept.settled).toBe(false);
      await clock.advance(1);
      expect(slept).toEqual({ settled: true, value: undefined });
    } finally {
      clock.restore();
    }
  });

  it("rejects with the signal's reason as soon as it aborts, or at once when it already has", async () => {
    const clock = useFakeClock();
    try {
      const controller = new AbortController();
      const slept = observe(sleep(60_000, controller.signal));
      const reason = new Error("stop");
      controller.abort(reason);
      await until(() => slept.settled);
      expect(slept.error).toBe(reason);
      await expect(sleep(10, controller.signal)).rejects.toBe(reason);
    } finally {
      clock.restore();
    }
  });
});
