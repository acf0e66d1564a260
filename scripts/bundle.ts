// pnpm bundle: writes dist/openapi/<api>.yaml and .json for every API in redocly.yaml.
import { cli } from "./lib/cli.js";
import { bundleAll } from "./lib/bundle.js";

cli(import.meta.url, {
  usage:
    "Usage: pnpm bundle\n\nWrites dist/openapi/<api>.yaml and .json for every API listed in redocly.yaml, whether or not\n" +
    "they are up to date (the other commands bundle only what changed).",
  run: bundleAll,
});
