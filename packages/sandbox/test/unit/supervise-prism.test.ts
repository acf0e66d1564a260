// The gate's supervisor with stand-ins for Prism: an exit is reported and followed by a restart,
// a Prism that keeps exiting is given up on, and nothing restarts once stopped.
import { describe, expect, it } from "vitest";
import { restartPolicy, supervisePrism } from "../../src/gate.js";

/** A stand-in for a running Prism: `exit(why)` makes it exit. */
function fakePrism(port: number) {
  let exit!: (why: string) => void;
  const exited = new Promise<string>((resolve) => (exit = resolve));
  const prism = { url: `http://127.0.0.1:${port}`, port, pid: undefined, exited, stop: async () => exit("stopped") };
  return { prism, exit };
}

function harness() {
  const started: ReturnType<typeof fakePrism>[] = [];
  const events: string[] = [];
  const fatal: string[] = [];
  const start = async () => {
    const next = fakePrism(1000 + started.length);
    started.push(next);
    return next.prism;
  };
  const supervise = () =>
    supervisePrism("relay-cdm", start, {
      onEvent: (message) => events.push(message),
      onFatal: (error) => fatal.push(error.message),
    });
  return { started, events, fatal, supervise };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe("the gate's supervisor", () => {
  it("reports an exit with its reason, restarts Prism, and points at the new one", async () => {
    const { started, events, supervise } = harness();
    const gate = await supervise();
    expect(gate.current()?.port).toBe(1000);
    started[0]!.exit("signal SIGKILL");
    await settle();
    expect(events).toEqual(["relay-cdm: Prism exited (signal SIGKILL); restarting it", "relay-cdm: Prism is back"]);
    expect(gate.current()?.port).toBe(1001);
    await gate.stop();
  });

  it("gives up, saying why, when Prism exits more often than the policy allows", async () => {
    const { started, fatal, supervise } = harness();
    await supervise();
    for (let i = 0; i <= restartPolicy.maxRestarts; i++) {
      started.at(-1)!.exit("exit code 1");
      await settle();
    }
    expect(fatal).toEqual([
      `relay-cdm: Prism exited ${restartPolicy.maxRestarts + 1} times within a minute (last: exit code 1)`,
    ]);
  });

  it("restarts nothing once stopped", async () => {
    const { started, events, supervise } = harness();
    const gate = await supervise();
    await gate.stop();
    await settle();
    expect(started).toHaveLength(1);
    expect(events).toEqual([]);
  });
});
