// pnpm drift:seed <dir> --out seed.json [--api <name>] [--spec <api>=<file>] [credential options]
// Turns a recording folder (`pnpm proxy --record`, cx-recording/1, docs/recordings.md) into the
// fixtures `pnpm sandbox --seed` and `cx-sandbox --seed` take: the customers, consents and segments
// the vendor was seen holding, a record seen in an answer exactly as it was answered (`retrieved`).
// Every fixture passes the sandbox's seed check; what cannot become one is listed with its file,
// field and reason. Exit codes: 0, 1 (failure), 2 (bad usage, or a folder
// that cannot be read).
import { writeFileSync } from "node:fs";
import { loadBundledSpec } from "@cx-openapi/sandbox";
import { apiNames, loadSpec, type ApiName, type OpenApiDoc } from "@cx-openapi/spec";
import { getApi } from "./lib/apis.js";
import { ensureBundles } from "./lib/bundle.js";
import { cli, UsageError } from "./lib/cli.js";
import { driftSeed, formatSeedSummary, seedDefaults, type SeedOptions } from "./lib/drift-seed.js";

const usage = `Usage: pnpm drift:seed <dir> --out <seed.json> [options]

Turns the recordings under <dir> (pnpm proxy --record; cx-recording/1, docs/recordings.md) into a
sandbox seed: Relay customers (getCustomer, onboard, load-customer-record), HiiRelevate customers
with their ids (getCustomer, findCustomer, createCustomer), consents, segments and their values.
The newest view of each record wins. A record seen in an answer becomes a "retrieved" fixture,
checked against getCustomer's answer schema and served back exactly as recorded; one only sent
stays in the request's form. Every fixture passes the sandbox's seed check; a recording that gives
none is listed with its file, field and rule. Recordings hold no credential: the seeded clients use
the sandbox credentials below. At most 10,000 files, 4 MiB and 64 levels of JSON each; no symbolic
link is followed.

  --out FILE             where to write the seed (required)
  --api NAME             only this API's recordings (repeat it; default: every API)
  --spec API=FILE        check the fixtures against this bundled spec instead of dist/openapi/<api>.json
                         (drift:propose's patched spec, whose answer schemas then decide which
                         retrieved records pass; give the sandbox the same --spec). Repeat per API
  --api-key KEY          the xx-relay-api-key the seeded Relay clients accept (default ${seedDefaults.apiKey})
  --client-id ID         the HiiRelevate client the seed registers; its tenant, of the same name,
                         holds the fixtures (default ${seedDefaults.clientId})
  --client-secret SECRET that client's secret (default ${seedDefaults.clientSecret})
  --product-group ID     a Relay customer's product group when no recording names one (default ${seedDefaults.productGroup})
Exit codes: 0, 1 (failure), 2 (bad usage, or a folder that cannot be read).`;

cli(import.meta.url, {
  usage,
  options: {
    out: { type: "string" },
    api: { type: "string", multiple: true },
    spec: { type: "string", multiple: true },
    "api-key": { type: "string" },
    "client-id": { type: "string" },
    "client-secret": { type: "string" },
    "product-group": { type: "string" },
  },
  positionals: true,
  run(values, positionals) {
    const [dir, ...extra] = positionals;
    if (dir === undefined || extra.length) throw new UsageError(`give one recording folder\n${usage.split("\n")[0]}`);
    if (!values.out) throw new UsageError("--out is required: the seed file to write");
    const options: SeedOptions = {
      apis: apisOf(values.api),
      apiKey: credential("--api-key", values["api-key"] ?? seedDefaults.apiKey),
      clientId: clientIdOf(values["client-id"] ?? seedDefaults.clientId),
      clientSecret: credential("--client-secret", values["client-secret"] ?? seedDefaults.clientSecret),
      productGroup: credential("--product-group", values["product-group"] ?? seedDefaults.productGroup),
    };
    const result = driftSeed(dir, options, specsOf(values.spec));
    writeFileSync(values.out, `${JSON.stringify(result.seed, null, 2)}\n`);
    const given = {
      apiKey: values["api-key"] !== undefined,
      clientSecret: values["client-secret"] !== undefined,
      specs: values.spec ?? [],
    };
    console.log(formatSeedSummary(result, { dir, out: values.out, options, given }));
  },
});

function apisOf(given: string[] | undefined): ApiName[] {
  for (const api of given ?? [])
    if (!(apiNames as readonly string[]).includes(api))
      throw new UsageError(`--api must be one of ${apiNames.join(", ")}; got ${JSON.stringify(api)}`);
  return given?.length ? (given as ApiName[]) : [...apiNames];
}

/** A value of the seed: 1 to 100 printable characters (a product group id's limit). */
function credential(flag: string, value: string): string {
  if (!/^[\x21-\x7e]{1,100}$/.test(value))
    throw new UsageError(`${flag} must be 1 to 100 printable characters without spaces`);
  return value;
}

function clientIdOf(value: string): string {
  // The sandbox keeps `bearer-` client ids for the tenants of plain bearer tokens.
  if (/^bearer-/i.test(value))
    throw new UsageError('--client-id must not start with "bearer-" (the sandbox reserves it)');
  return credential("--client-id", value);
}

/** Each API's spec: the one `--spec <api>=<file>` gives (read as data), else this repository's bundle. */
function specsOf(given: string[] | undefined): Record<ApiName, OpenApiDoc> {
  const files = new Map<string, string>();
  for (const value of given ?? []) {
    const at = value.indexOf("=");
    const api = value.slice(0, Math.max(at, 0));
    if (at < 1 || value.length === at + 1 || !(apiNames as readonly string[]).includes(api) || files.has(api))
      throw new UsageError(
        `--spec takes <api>=<file> once per API, the API one of ${apiNames.join(", ")}; got ${JSON.stringify(value)}`,
      );
    files.set(api, value.slice(at + 1));
  }
  if (files.size < apiNames.length) ensureBundles();
  return Object.fromEntries(
    apiNames.map((api) => {
      const file = files.get(api);
      return [api, file === undefined ? loadSpec(getApi(api).bundleJson) : patchedSpec(api, file)];
    }),
  ) as Record<ApiName, OpenApiDoc>;
}

function patchedSpec(api: ApiName, file: string): OpenApiDoc {
  try {
    return loadBundledSpec(api, file);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}
