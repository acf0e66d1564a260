import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { repoRoot } from "@cx-openapi/devkit";

/** Environment for every tool we run: no telemetry, no update checks, no network. */
export const toolEnv = {
  ...process.env,
  REDOCLY_TELEMETRY: "off",
  REDOCLY_SUPPRESS_UPDATE_NOTICE: "true",
};

/**
 * Runs a tool from node_modules/.bin in the repository root, streaming its output, and throws when
 * it fails. Redocly's boxed "Node.js 20 is end-of-life" notice is dropped: it cannot be switched
 * off and says nothing about our specs.
 */
export function runTool(bin: string, args: string[]): void {
  const result = spawnSync(join(repoRoot, "node_modules/.bin", bin), args, {
    cwd: repoRoot,
    env: toolEnv,
    encoding: "utf8",
  });
  const output = `${result.stdout ?? ""}${result.stderr ?? ""}`;
  process.stdout.write(stripNodeNotice(output));
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`${bin} ${args.join(" ")} failed with exit code ${result.status}`);
}

function stripNodeNotice(text: string): string {
  return text.replace(/\n? *╔[^]*?╚═+╝\n?/g, "\n");
}

/** Runs a script's main function and turns a thrown error into a one-line message and exit code 1. */
export function main(fn: () => Promise<void> | void): void {
  Promise.resolve()
    .then(fn)
    .catch((error: unknown) => {
      console.error(`\n✖ ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    });
}
