#!/usr/bin/env node
// The cx-sandbox command (see cli.ts for its options).
import { runCli } from "./cli.js";

runCli(process.argv.slice(2)).then(
  (result) => {
    if (!result) return;
    console.log(`cx-sandbox is running:\n${result.lines.join("\n")}\nPress Ctrl-C to stop.`);
    const stop = () => void result.running.stop().then(() => process.exit(0));
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  },
  (error: unknown) => {
    console.error(`✖ ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
