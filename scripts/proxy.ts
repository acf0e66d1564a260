// pnpm proxy --api <name> --target <url> [--port 4030] [--report proxy-report.jsonl] [--evidence <file>]
//            [--record <dir>] [--spec <bundle.json>]
// Forwards your own traffic to the real service through `prism proxy` for the API's bundled spec
// (or --spec), and writes every request and response that breaks the spec to the report (JSON
// lines, no bodies, headers or credentials), with a summary by operation and rule when you stop it
// (Ctrl-C). --record keeps each exchange, personal values faked, for replay in the sandbox.
// Point your client's baseUrl at the printed URL, with your own credentials.
import { startDeviationProxy, type DeviationSummary, type RunningDeviationProxy } from "@cx-openapi/sandbox";
import { loadSpec, type OpenApiDoc } from "@cx-openapi/spec";
import { getApi, type Api } from "./lib/apis.js";
import { ensureBundles } from "./lib/bundle.js";
import { cli, parsePort, stopOnSignal, UsageError } from "./lib/cli.js";
import { proxyEvidence, type ProxyEvidence } from "./lib/proxy-evidence.js";
import { proxyRecorder, recordingFormat, type ProxyRecorder } from "./lib/proxy-record.js";
import { loadProxySpec, prismCopy } from "./lib/proxy-spec.js";

cli(import.meta.url, {
  usage: `Usage: pnpm proxy --api <relay-cdm|hiirelevate> --target <base URL> [options]

Forwards your own traffic to the service at --target through Prism's proxy for the API's spec, and
reports every request and response that breaks the spec. Stop with Ctrl-C to print the summary.

  --api NAME                    the API (relay-cdm or hiirelevate)
  --target URL                  the service's base URL (http or https)
  --port N                      where the proxy listens on 127.0.0.1 (default 4030)
  --report FILE                 the JSON-lines report (default proxy-report.jsonl)
  --evidence FILE               also write drift evidence (cx-drift/1, docs/drift-evidence.md) when stopped
  --record DIR                  also record each exchange of an operation (cx-recording/1, personal values
                                faked, no credential) to DIR/<operationId>/, and when stopped the fault
                                profile to DIR/faults.json (docs/recordings.md); DIR must be new or empty
  --spec FILE                   check against this bundled spec (JSON, e.g. drift:propose --out) instead
                                of dist/openapi/<api>.json`,
  options: {
    api: { type: "string" },
    target: { type: "string" },
    port: { type: "string" },
    report: { type: "string" },
    evidence: { type: "string" },
    record: { type: "string" },
    spec: { type: "string" },
  },
  async run(values) {
    if (!values.api || !values.target) throw new UsageError("--api and --target are required");
    const api = getApi(values.api);
    const port = parsePort("--port", values.port, 4030);
    const reportFile = values.report ?? "proxy-report.jsonl";
    const source = specSource(api, values.spec);
    let outputs: Outputs;
    let proxy: RunningDeviationProxy;
    try {
      outputs = {
        evidence: values.evidence === undefined ? undefined : proxyEvidence(source.spec, api.name),
        evidenceFile: values.evidence,
        recorder: values.record === undefined ? undefined : proxyRecorder(source.spec, api.name, values.record),
        recordDir: values.record,
      };
      proxy = await startDeviationProxy({
        specFile: source.file,
        spec: source.spec,
        onExchange: (exchange) => {
          outputs.evidence?.record(exchange);
          outputs.recorder?.record(exchange);
        },
        target: values.target,
        reportFile,
        port,
      });
    } catch (error) {
      source.remove();
      throw error;
    }
    stopOnSignal(async () => {
      const summary = await proxy.stop();
      source.remove();
      writeOutputs(outputs);
      printSummary(summary, reportFile);
    });
    console.log(
      `Proxy of ${api.name} (${source.label}) to ${values.target}: ${proxy.url}\nReport: ${reportFile}. Press Ctrl-C to stop and print the summary.`,
    );
  },
});

/** The spec the proxy checks against: the API's bundle, or --spec's file (Prism reads a checked copy of it). */
function specSource(
  api: Api,
  file: string | undefined,
): { spec: OpenApiDoc; file: string; label: string; remove(): void } {
  if (file === undefined) {
    ensureBundles();
    return { spec: loadSpec(api.bundleJson), file: api.bundleJson, label: "bundled spec", remove: () => {} };
  }
  const spec = loadProxySpec(file, api.name);
  const copy = prismCopy(spec, api.name);
  return { spec, file: copy.file, label: `spec ${file}`, remove: copy.remove };
}

interface Outputs {
  evidence: ProxyEvidence | undefined;
  evidenceFile: string | undefined;
  recorder: ProxyRecorder | undefined;
  recordDir: string | undefined;
}

function writeOutputs(outputs: Outputs): void {
  const { evidence, evidenceFile, recorder, recordDir } = outputs;
  if (evidence && evidenceFile) {
    evidence.write(evidenceFile);
    console.log(`drift evidence (cx-drift/1): ${evidenceFile}`);
  }
  if (recorder && recordDir) {
    const recorded = recorder.finish();
    console.log(
      `recordings (${recordingFormat}): ${recorded.recordings} in ${recordDir}; fault profile: ${recorded.faultsFile}`,
    );
    for (const note of recorded.notes) console.log(`  ${note}`);
  }
}

function printSummary(summary: DeviationSummary, reportFile: string): void {
  console.log(
    `\n${summary.deviating} of ${summary.requests} exchanges broke the spec; report: ${reportFile}, summary: ${reportFile}.summary.json`,
  );
  for (const [operation, rules] of Object.entries(summary.byOperation)) {
    console.log(
      `  ${operation}: ${Object.entries(rules)
        .map(([rule, n]) => `${rule} ×${n}`)
        .join(", ")}`,
    );
  }
}
