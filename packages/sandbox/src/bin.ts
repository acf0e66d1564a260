#!/usr/bin/env node
// The cx-sandbox command (see cli.ts for its options).
import { runCli } from "./cli.js";
import type { Launched } from "./launch.js";

let launched: Launched | undefined;
let stopping = false;
const stop = (code: number) => {
  if (stopping) return;
  stopping = true;
  void (launched?.running.stop() ?? Promise.resolve()).finally(() => process.exit(code));
};

runCli(process.argv.slice(2), {
  // A gate that keeps failing stops the sandbox: answering 503 forever helps nobody.
  onGateFatal: (error) => {
    console.error(`✖ ${error.message}; stopping`);
    stop(1);
  },
}).then(
  (result) => {
    if (!result) return;
    launched = result;
    console.log(`cx-sandbox is running:\n${result.lines.join("\n")}\nPress Ctrl-C to stop.`);
    // `on`, not `once`: a second Ctrl-C during the stop must not kill the process halfway.
    process.on("SIGINT", () => stop(0));
    process.on("SIGTERM", () => stop(0));
  },
  (error: unknown) => {
    console.error(`✖ ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
