// `pnpm sandbox` started as a user does (here with the in-process gate, so without Prism), stopped
// with SIGTERM of pnpm: exit 0, no error line, nothing left behind. The other long-running commands
// are stopped in their own tests: `pnpm start` on Ctrl-C and, with --static, on SIGTERM
// (start.test.ts), `pnpm mock` on Ctrl-C (docs-samples.test.ts, after its samples ran against it).
// All of them stop through stopOnSignal (scripts/lib/cli.ts).
import { afterAll, describe, expect, it } from "vitest";
import { loadApis } from "../../lib/apis.js";
import { freePort } from "../../lib/prism.js";
import { descendants, expectCleanStop, killTree, startReady, type Started } from "./processes.js";

const apis = loadApis();
let command: Started | undefined;
afterAll(() => killTree(command?.child));

describe("pnpm sandbox", () => {
  it("serves every API, and stops on SIGTERM of pnpm with exit 0 and no error line", async () => {
    const urls: string[] = [];
    const args = ["sandbox", "--gate", "in-process"];
    for (const api of apis) {
      const port = await freePort();
      urls.push(`http://127.0.0.1:${port}`);
      args.push(`--${api.name}-port`, String(port));
    }
    command = await startReady(args);
    for (const url of urls) expect(command.output()).toContain(url);
    expect(descendants(command.child.pid!).filter((p) => p.args.includes("prism"))).toEqual([]);
    await expectCleanStop(command, "SIGTERM");
    for (const url of urls) await expect(fetch(url)).rejects.toThrow();
  });
});
