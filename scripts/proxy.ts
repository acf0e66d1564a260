// pnpm proxy --api <name> --target <url> [--port 4030] [--report proxy-report.jsonl] [--evidence <file>]
// Forwards your own traffic to the real service through `prism proxy` for the API's bundled spec,
// and writes every request and response that breaks the spec to the report (JSON lines, no bodies,
// headers or credentials), with a summary by operation and rule when you stop it (Ctrl-C).
// Point your client's baseUrl at the printed URL, with your own credentials.
import { startDeviationProxy } from "@cx-openapi/sandbox";
import { loadSpec } from "@cx-openapi/spec";
import { getApi } from "./lib/apis.js";
import { proxyEvidence } from "./lib/proxy-evidence.js";
import { ensureBundles } from "./lib/bundle.js";
import { cli, parsePort, stopOnSignal, UsageError } from "./lib/cli.js";

cli(import.meta.url, {
  usage: `Usage: pnpm proxy --api <relay-cdm|hiirelevate> --target <base URL> [options]

Forwards your own traffic to the service at --target through Prism's proxy for the API's spec, and
reports every request and response that breaks the spec. Stop with Ctrl-C to print the summary.

  --api NAME                    the API (relay-cdm or hiirelevate)
  --target URL                  the service's base URL (http or https)
  --port N                      where the proxy listens on 127.0.0.1 (default 4030)
  --report FILE                 the JSON-lines report (default proxy-report.jsonl)
  --evidence FILE               also write drift evidence (cx-drift/1, docs/drift-evidence.md) when stopped`,
  options: {
    api: { type: "string" },
    target: { type: "string" },
    port: { type: "string" },
    report: { type: "string" },
    evidence: { type: "string" },
  },
  async run(values) {
    if (!values.api || !values.target) throw new UsageError("--api and --target are required");
    const api = getApi(values.api);
    ensureBundles();
    const reportFile = values.report ?? "proxy-report.jsonl";
    const spec = loadSpec(api.bundleJson);
    const evidenceFile = values.evidence;
    const evidence = evidenceFile === undefined ? undefined : proxyEvidence(spec, api.name);
    const proxy = await startDeviationProxy({
      specFile: api.bundleJson,
      spec,
      ...(evidence ? { onExchange: evidence.record } : {}),
      target: values.target,
      reportFile,
      port: parsePort("--port", values.port, 4030),
    });
    stopOnSignal(async () => {
      const summary = await proxy.stop();
      if (evidence && evidenceFile) {
        evidence.write(evidenceFile);
        console.log(`drift evidence (cx-drift/1): ${evidenceFile}`);
      }
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
    });
    console.log(
      `Proxy of ${api.name} to ${values.target}: ${proxy.url}\nReport: ${reportFile}. Press Ctrl-C to stop and print the summary.`,
    );
  },
});
