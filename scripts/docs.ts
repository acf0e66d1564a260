// pnpm docs:build: builds dist/docs/, the offline API reference (scripts/lib/docs-build.ts says what
// it holds). Not `pnpm docs`: that name is npm's "open the package homepage", which pnpm hands to
// npm before it looks at the scripts.
import { cli } from "./lib/cli.js";
import { buildDocs } from "./lib/docs-build.js";

cli(import.meta.url, {
  usage: `Usage: pnpm docs:build

Builds dist/docs/: an index of every API, one offline Redoc page and one try-it page per API, with
the bundled specs. (\`pnpm start\` builds and serves the same pages.)`,
  run: async () => void (await buildDocs()),
});
