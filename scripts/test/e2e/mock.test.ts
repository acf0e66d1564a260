// The long-running commands started as a user does, stopped the two ways a user stops them: they
// exit 0 with no error line and leave no process behind. `pnpm mock` (every API's Prism mock) on
// Ctrl-C (SIGINT to the process group); `pnpm sandbox` (here with the in-process gate) on SIGTERM of
// pnpm. start.test.ts stops `pnpm start` both ways too. All of them stop through stopOnSignal.
import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { loadApis } from "../../lib/apis.js";
import { freePort } from "../../lib/prism.js";
import { descendants, errorLine, exited, hasEnded, isAlive, killTree, startPnpm, waitFor } from "./processes.js";

const apis = loadApis();

// The two cases run side by side: each mostly waits for its processes to start. Each one's clean-up
// is registered on its own test context: the global onTestFinished does not know which concurrent
// test is running, and once attached the first case's killTree to the second case, which killed the
// first command as soon as the second finished.
describe.concurrent("long-running commands", () => {
  it.for([
    {
      command: "mock",
      title: "pnpm mock",
      how: "Ctrl-C (SIGINT to the process group)",
      signal: "SIGINT",
      stop: (pid: number) => process.kill(-pid, "SIGINT"),
      extra: [] as string[],
      prisms: apis.length,
    },
    {
      command: "sandbox",
      title: "pnpm sandbox",
      how: "SIGTERM of pnpm",
      signal: "SIGTERM",
      stop: (pid: number) => process.kill(pid, "SIGTERM"),
      extra: ["--gate", "in-process"],
      prisms: 0,
    },
  ])(
    "$title stops every server it started on $how and exits 0 without an error line",
    { timeout: 90_000 },
    async ({ command: name, signal, stop, extra, prisms }, { onTestFinished }) => {
      const ports = await Promise.all(apis.map(async (api) => [api.name, await freePort()] as const));
      const command = startPnpm([name, ...ports.flatMap(([api, port]) => [`--${api}-port`, String(port)]), ...extra]);
      const running = command.child;
      onTestFinished(() => killTree(running));
      await waitFor(
        `pnpm ${name}`,
        () => command.output().includes("Press Ctrl-C to stop.") || hasEnded(running),
        60_000,
        () => `${command.output()}\nprocesses: ${JSON.stringify(descendants(running.pid!))}`,
      );
      expect({ code: running.exitCode, signal: running.signalCode }, command.output()).toEqual({
        code: null,
        signal: null,
      });
      const everything = descendants(running.pid!);
      expect(everything.filter((p) => p.args.includes("prism"))).toHaveLength(prisms);

      const beforeStop = command.output().length;
      stop(running.pid!);
      const exit = await Promise.race([exited(running), sleep(20_000).then(() => undefined)]);
      expect(exit, `pnpm ${name} did not exit within 20 s of ${signal}:\n${command.output()}`).toEqual({
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
      for (const [, port] of ports) await expect(fetch(`http://127.0.0.1:${port}/`)).rejects.toThrow();
    },
  );
});
