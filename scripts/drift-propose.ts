// pnpm drift:propose --api <name> <evidence files…> --overlay <out.yaml> [--out <patched.json>] [--spec <bundle>]
// Turns drift evidence (cx-drift/1) into a proposed spec change: an OpenAPI Overlay 1.0 document
// whose actions widen the API's bundled spec exactly as far as the evidence requires, each with
// its evidence (`x-evidence`) and the source file to edit (`x-source`). Writes the patched bundle
// (--out) and prints the spec:diff verdict of the change. Applying it to the source spec is a
// reviewed step: docs/keep-the-spec-true.md. Exit codes: 0, 2 (bad usage, a file refused).
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { stringify } from "yaml";
import type { OpenApiDoc } from "@cx-openapi/spec";
import { getApi, loadApis, repoRoot } from "./lib/apis.js";
import { ensureBundles } from "./lib/bundle.js";
import { cli, UsageError } from "./lib/cli.js";
import { readEvidenceFile } from "./lib/drift-report.js";
import { applyOverlay } from "./lib/drift-propose/overlay.js";
import { propose, type Proposal } from "./lib/drift-propose/propose.js";
import { sourceFinder } from "./lib/drift-propose/sources.js";
import { diffFiles } from "./lib/spec-diff-files.js";
import { loadSpecFile } from "./lib/spec-file.js";

const usage = `Usage: pnpm drift:propose --api <name> <evidence file>... --overlay <out.yaml> [options]

Reads drift evidence (cx-drift/1: the clients' drift reporters, pnpm proxy --evidence) and writes
an OpenAPI Overlay 1.0 document that widens the API's spec as far as the evidence requires: an enum
value or null added, a type added, a format or a bound relaxed, a status declared, a field made
optional. Never a narrowing. Deviations no action can answer exactly are listed for review.

  --api NAME       the API (${loadApis()
    .map((a) => a.name)
    .join(", ")})
  --overlay FILE   where the overlay goes (YAML)
  --out FILE       also write the patched bundle (JSON): pnpm proxy --spec and cx-sandbox --spec take it
  --spec FILE      the bundle to widen (default: the API's bundle from pnpm bundle)
Exit codes: 0 (written, or nothing to widen), 2 (bad usage, or a file that is not evidence).`;

cli(import.meta.url, {
  usage,
  options: {
    api: { type: "string" },
    overlay: { type: "string" },
    out: { type: "string" },
    spec: { type: "string" },
  },
  positionals: true,
  async run(values, files) {
    if (!values.api || !values.overlay)
      throw new UsageError(`--api and --overlay are required\n${usage.split("\n")[0]}`);
    if (files.length === 0) throw new UsageError(`give one or more evidence files\n${usage.split("\n")[0]}`);
    const api = apiNamed(values.api);
    if (values.spec === undefined) ensureBundles();
    const specFile = values.spec ?? api.bundleJson;
    const doc = loadSpecFile(specFile) as OpenApiDoc;
    const proposal = propose({
      doc,
      api: api.name,
      files: files.map((file) => ({ file, records: readEvidenceFile(file) })),
      sourceOf: sourceFinder(api.root, repoRoot),
      // A URI reference, resolved against the overlay's own place.
      extendsUrl: relative(dirname(resolve(values.overlay)), resolve(specFile)),
    });
    printProposal(proposal);
    if (!proposal.overlay) return;
    writeFileSync(values.overlay, stringify(proposal.overlay, { lineWidth: 0 }));
    console.log(`\nOverlay: ${values.overlay} (${proposal.actions.length} action(s))`);
    await writePatched(doc, proposal, specFile, values.out);
  },
});

function apiNamed(name: string) {
  try {
    return getApi(name);
  } catch (error) {
    throw new UsageError(`--api: ${(error as Error).message}`);
  }
}

function printProposal({ actions, review, allowed, requestDeviations }: Proposal): void {
  if (actions.length === 0) console.log("Nothing to widen: the spec allows everything the evidence shows.");
  for (const action of actions)
    console.log(`+ ${action.description}${action["x-source"] ? `\n    in ${action["x-source"]}` : ""}`);
  for (const item of review)
    console.log(`? ${item.operationId} ${item.status} ${item.rule} ${item.pointer || "(body)"}: ${item.question}`);
  for (const line of allowed) console.log(`= already allowed: ${line}`);
  if (requestDeviations > 0)
    console.log(`(${requestDeviations} deviation(s) of requests left alone: the spec is strict on what we send)`);
}

/** Applies the overlay, writes the patched bundle (to a scratch file without --out) and prints the spec:diff verdict. */
async function writePatched(doc: OpenApiDoc, proposal: Proposal, specFile: string, out: string | undefined) {
  const patched = await applyOverlay(doc as Record<string, unknown>, proposal.overlay!);
  const scratch = out === undefined ? mkdtempSync(join(tmpdir(), "cx-drift-propose-")) : undefined;
  const file = out ?? join(scratch!, "patched.json");
  try {
    writeFileSync(file, `${JSON.stringify(patched, null, 2)}\n`);
    if (out) console.log(`Patched bundle: ${out}`);
    console.log(`\n${diffFiles(specFile, file).text}`);
  } finally {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  }
}
