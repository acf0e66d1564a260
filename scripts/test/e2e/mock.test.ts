// `pnpm mock` started as a user does: it serves every API on the ports it is given and stops on
// Ctrl-C (SIGINT to its process group) or on SIGTERM of pnpm, with exit code 0, no error line and
// no Prism process left behind.
import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { loadApis } from "../../lib/apis.js";
import { freePort } from "../../lib/prism.js";
import { descendants, errorLine, exited, hasEnded, isAlive, killTree, startPnpm, waitFor } from "./processes.js";

const apis = loadApis();

// The two cases run side by side: each mostly waits for its Prism processes to start. Each one's
// clean-up is registered on its own test context: the global onTestFinished does not know which
// concurrent test is running, and once attached the first case's killTree to the second case, which
// killed the first command as soon as the second finished.
describe.concurrent("pnpm mock", () => {
  it.for([
    {
      how: "Ctrl-C (SIGINT to the process group)",
      signal: "SIGINT",
      stop: (pid: number) => process.kill(-pid, "SIGINT"),
    },
    { how: "SIGTERM of pnpm", signal: "SIGTERM", stop: (pid: number) => process.kill(pid, "SIGTERM") },
  ])(
    "stops every mock on $how and exits 0 without an error line",
    { timeout: 90_000 },
    async ({ signal, stop }, { onTestFinished }) => {
      const ports = await Promise.all(apis.map(async (api) => [api.name, await freePort()] as const));
      const command = startPnpm(["mock", ...ports.flatMap(([name, port]) => [`--${name}-port`, String(port)])]);
      const running = command.child;
      onTestFinished(() => killTree(running));
      await waitFor(
        "the mocks",
        () => command.output().includes("Press Ctrl-C to stop.") || hasEnded(running),
        60_000,
        () => `${command.output()}\nprocesses: ${JSON.stringify(descendants(running.pid!))}`,
      );
      expect({ code: running.exitCode, signal: running.signalCode }, command.output()).toEqual({
        code: null,
        signal: null,
      });
      const everything = descendants(running.pid!);
      expect(everything.filter((p) => p.args.includes("prism"))).toHaveLength(apis.length);

      const beforeStop = command.output().length;
      stop(running.pid!);
      const exit = await Promise.race([exited(running), sleep(20_000).then(() => undefined)]);
      expect(exit, `pnpm mock did not exit within 20 s of ${signal}:\n${command.output()}`).toEqual({
        code: 0,
        signal: null,
      });
      await waitFor(
        "every child process to exit",
        () => everything.every((p) => !isAlive(p.pid)),
        10_000,
        command.output,
      );
      expect(command.output().slice(beforeStop)).toContain(`${signal}: stopping`);
      expect(command.output().slice(beforeStop)).not.toMatch(errorLine);
    },
  );
});
