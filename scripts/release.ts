// pnpm release             dry run: checks, build, pack, publint/attw, and a preview of the next
//                          `changeset version` (in a throwaway copy); prints what would be published.
// pnpm release --version   applies the pending changesets here: versions, CHANGELOG.md files, each
//                          spec's info.version, the generated client version. Review and commit.
// pnpm release --publish   on a clean, versioned checkout: checks, build, pack, then
//                          `pnpm publish -r` and `changeset tag`. The only path that publishes.
//
// Options: --skip-checks (dry run only: no lint/test/spec:diff), -- <args> passed to pnpm publish.
import { cli, UsageError } from "./lib/cli.js";
import { applyVersions, dryRun, publish } from "./lib/release.js";

cli(import.meta.url, {
  usage: `Usage: pnpm release [--version | --publish] [--skip-checks] [-- <pnpm publish args>]

  (none)          dry run: checks, build, pack, publint/attw, and a preview of the next
                  \`changeset version\` (in a throwaway copy); prints what would be published
  --version       applies the pending changesets here: versions, CHANGELOG.md files, each spec's
                  info.version, the generated client version. Review and commit.
  --publish       on a clean, versioned checkout: checks, build, pack, then \`pnpm publish -r\`
                  and \`changeset tag\`. The only path that publishes.
  --skip-checks   dry run only: no lint, tests or spec:diff`,
  options: {
    publish: { type: "boolean" },
    version: { type: "boolean" },
    "skip-checks": { type: "boolean" },
  },
  positionals: true,
  async run(values, positionals) {
    if (values.publish && values.version)
      throw new UsageError("--version and --publish are separate steps: version, commit, then publish");
    if (positionals.length && !values.publish)
      throw new UsageError(`unexpected argument ${JSON.stringify(positionals[0])}: only --publish passes arguments on`);
    if (values.publish) {
      if (values["skip-checks"]) throw new UsageError("--publish always runs the checks");
      await publish(positionals);
    } else if (values.version) await applyVersions();
    else await dryRun(values["skip-checks"] === true);
  },
});
