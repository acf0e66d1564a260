// Shared deadlines: calls whose deadlines fall in the same slice share one signal and timer.
import { afterEach, describe, expect, it, vi } from "vitest";
import { deadline, maxJoined, release } from "../../src/deadline.js";

afterEach(() => vi.useRealTimers());

describe("deadline", () => {
  it("is shared by calls in the same slice, aborts at the slice's end, never early", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"], now: 1_000_005 });
    const reason = { why: "timeout" };
    // 30 s: slices of 30 ms, so both end at 1_030_020.
    const first = deadline(30_000, reason);
    await vi.advanceTimersByTimeAsync(10);
    expect(deadline(30_000, reason)).toBe(first);
    const other = deadline(1_000, reason);
    expect(other).not.toBe(first);
    await vi.advanceTimersByTimeAsync(999);
    expect(other.signal.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(other.signal.reason).toBe(reason);
    await vi.advanceTimersByTimeAsync(29_004);
    expect(first.signal.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(first.signal.reason).toBe(reason);
  });

  it("keeps the process alive only while a call of its slice runs", () => {
    const slice = deadline(5_000, "t");
    const timer = slice.timer as unknown as NodeJS.Timeout;
    expect(timer.hasRef()).toBe(true);
    const again = deadline(5_000, "t");
    release(slice);
    expect(timer.hasRef()).toBe(again === slice);
    if (again === slice) release(again);
    expect(timer.hasRef()).toBe(false);
    clearTimeout(timer);
  });

  it("is not reused across a swap of setTimeout (fake timers), whose timer may never fire", () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"], now: 2_000_000 });
    const fake = deadline(2_000, "t");
    vi.useRealTimers();
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"], now: 2_000_000 });
    expect(deadline(2_000, "t")).not.toBe(fake);
  });
});

describe("deadline sharing", () => {
  it("is capped at maxJoined calls per signal", () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"], now: 3_000_000 });
    const slices = Array.from({ length: maxJoined + 1 }, () => deadline(10_000, "t"));
    expect(new Set(slices.slice(0, maxJoined)).size).toBe(1);
    expect(slices[maxJoined]).not.toBe(slices[0]);
  });
});
