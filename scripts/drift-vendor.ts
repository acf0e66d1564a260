// pnpm drift:vendor --api <name> [--port 4090]
// Serves a rehearsal vendor on 127.0.0.1 until Ctrl-C: a fake of the API's service that answers
// every operation and breaks the spec in the ways it prints, so that the loop from observed traffic
// to a reviewed spec change (pnpm proxy --evidence, pnpm drift:report) can be rehearsed without the
// real vendor. Any API key or bearer token is accepted; no real data is involved.
// Its own entry: the vendor without the test helpers (and vitest) of @cx-openapi/devkit/testing.
import { startDeviatingVendor, type VendorDeviation } from "@cx-openapi/devkit/vendor";
import { apiNames, isApiName } from "@cx-openapi/spec";
import { cli, parsePort, stopOnSignal, UsageError } from "./lib/cli.js";

const usage = `Usage: pnpm drift:vendor --api <relay-cdm|hiirelevate> [--port 4090]

Serves a rehearsal vendor on 127.0.0.1 until Ctrl-C: a fake of the API's service that answers every
operation, most as the spec says and some with the deviations it prints (a new enum value, a null
or a number where a string is specified, a value past a bound, an undeclared status...), and a 503
with Retry-After: 2 on every 5th call of one operation. Any API key or bearer token is accepted.
Point \`pnpm proxy --target\` at it to rehearse drift evidence and reports without the real vendor.

  --api NAME    the API (relay-cdm or hiirelevate)
  --port N      where it listens on 127.0.0.1 (default 4090)`;

cli(import.meta.url, {
  usage,
  options: { api: { type: "string" }, port: { type: "string" } },
  async run(values) {
    if (!values.api) throw new UsageError(`--api is required\n${usage.split("\n")[0]}`);
    const api = values.api;
    if (!isApiName(api))
      throw new UsageError(`--api must be one of ${apiNames.join(", ")}; got ${JSON.stringify(api)}`);
    const port = parsePort("--port", values.port, 4090);
    const vendor = await startDeviatingVendor(api, { port }).catch((error: NodeJS.ErrnoException) => {
      throw error.code === "EADDRINUSE" ? new Error(`port ${port} (--port) is in use on 127.0.0.1`) : error;
    });
    stopOnSignal(() => vendor.stop());
    console.log(`Rehearsal vendor of ${api}: ${vendor.url}\n\nIts deviations from the spec:`);
    for (const line of describeDeviations(vendor.deviations)) console.log(`  ${line}`);
    console.log(`\nTry: pnpm proxy --api ${api} --target ${vendor.url} --evidence drift.jsonl\nPress Ctrl-C to stop.`);
  },
});

const kinds: Readonly<Record<VendorDeviation["kind"], string>> = {
  "new-enum-value": "a new enum value",
  "null-for-string": "null where a string is specified",
  "number-for-string": "a number where a string is specified",
  "past-bound": "a value past its bound",
  "undeclared-status": "a status the operation does not declare",
  "required-missing": "a required field left out",
  "undeclared-body": "a body where none is declared",
  unavailable: "service unavailable, with Retry-After",
};

/** One line per deviation: the operation, the status, what it does, and the rule and pointer the checker reports. */
function describeDeviations(deviations: readonly VendorDeviation[]): string[] {
  return deviations.map((d) => {
    const where = d.pointer === "" ? "" : ` at ${d.pointer}`;
    const every = d.every === undefined ? "" : `, every ${d.every}th call`;
    const pii = d.piiField ? " (an x-pii field: flagged for review, never quoted)" : "";
    return `${d.operationId} ${d.method} ${d.path} → ${d.status}${every}: ${kinds[d.kind]}${pii} [${d.rule}${where}]`;
  });
}
