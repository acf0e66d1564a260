// The contract gate: Prism's validating proxy between the front and the sandbox, kept running. Prism
// runs without `--errors`: it forwards every request and reports what breaks the spec in its
// `sl-violations` header, which `judge` turns into a 500 problem+json. A Prism that exits is logged
// and restarted; while it is down the front answers 503 with Retry-After.
import type { RunningPrism } from "@cx-openapi/spec";
import { upstreamOf, type Answer, type Upstream } from "./http.js";
import { describeViolation, parseViolations } from "./violations.js";

export { describeViolation, parseViolations, type Violation } from "./violations.js";

export interface GateEvents {
  /** A line worth telling the user: Prism exited, Prism is back. */
  onEvent(message: string): void;
  /** Prism keeps exiting (or cannot start again): the gate gives up. */
  onFatal(error: Error): void;
}

export interface SupervisedPrism {
  /** Where Prism listens now; undefined while it restarts. */
  current(): Upstream | undefined;
  stop(): Promise<void>;
}

/** What the supervisor needs of a running Prism. */
type Supervised = Pick<RunningPrism, "url" | "exited" | "stop">;

/** At most this many restarts within the window; one more means something is wrong with Prism itself. */
export const restartPolicy = { maxRestarts: 5, windowMs: 60_000 };

/** Starts Prism with `start`, and starts it again each time it exits, until stopped. */
export async function supervisePrism(
  name: string,
  start: () => Promise<Supervised>,
  events: GateEvents,
): Promise<SupervisedPrism> {
  let running: Supervised | undefined = await start();
  let stopped = false;
  const exits: number[] = [];
  const restart = async (why: string) => {
    running = undefined;
    const now = Date.now();
    exits.push(now);
    while (exits[0]! < now - restartPolicy.windowMs) exits.shift();
    if (exits.length > restartPolicy.maxRestarts)
      return events.onFatal(new Error(`${name}: Prism exited ${exits.length} times within a minute (last: ${why})`));
    events.onEvent(`${name}: Prism exited (${why}); restarting it`);
    try {
      const next = await start();
      if (stopped) return void (await next.stop());
      running = next;
      watch(next);
      events.onEvent(`${name}: Prism is back`);
    } catch (error) {
      events.onFatal(new Error(`${name}: Prism could not start again: ${(error as Error).message}`));
    }
  };
  const watch = (mock: Supervised) =>
    void mock.exited.then((why) => {
      if (!stopped) void restart(why);
    });
  watch(running);
  return {
    current: () => (running ? upstreamOf(running.url) : undefined),
    stop: async () => {
      stopped = true;
      await running?.stop();
    },
  };
}

/** The gate's verdict on Prism's answer: the violations that make it a 500, and why. */
export function judge(answer: Answer): { title: string; violations: string[] } | undefined {
  const violations = parseViolations(answer.headers["sl-violations"]);
  const broken = violations.filter((v) => v.location?.[0] === "response");
  if (broken.length)
    return { title: "The sandbox's response breaks the spec", violations: broken.map(describeViolation) };
  const refused = violations.filter((v) => v.location?.[0] === "request" && v.severity === "Error");
  if (refused.length && answer.status < 400)
    return { title: "The sandbox accepted a request the spec forbids", violations: refused.map(describeViolation) };
  return undefined;
}
