// Shared by the sandbox's tests: the bundled specs, a sandbox in process and typed clients on it.
import { bundleFile } from "@cx-openapi/devkit/repo";
import { clientCredentials, createHiiRelevateClient } from "@cx-openapi/hiirelevate";
import { createRelayCdmClient } from "@cx-openapi/relay-cdm";
import { apiNames, loadSpec, type ApiName, type OpenApiDoc } from "@cx-openapi/spec";
import { createSandbox, fileStore, type SandboxOptions } from "../src/index.js";
import { sandboxFetch } from "../src/fetch.js";
import type { Sandbox } from "../src/sandbox.js";

/** The repository's bundles: the tests hand the sandbox these. */
export const specFiles = Object.fromEntries(apiNames.map((api) => [api, bundleFile(api)])) as Record<ApiName, string>;

let specs: Record<ApiName, OpenApiDoc> | undefined;
/** Read once per test file: the same documents let every sandbox share their compiled validators. */
export function loadSpecs(): Record<ApiName, OpenApiDoc> {
  specs ??= Object.fromEntries(apiNames.map((api) => [api, loadSpec(specFiles[api])])) as Record<ApiName, OpenApiDoc>;
  return specs;
}

export function inProcess({
  dataFile,
  ...options
}: Omit<SandboxOptions, "specs"> & { dataFile?: string } = {}): Sandbox {
  return createSandbox({
    specs: loadSpecs(),
    checkResponses: true,
    ...(dataFile ? { persistence: fileStore(dataFile) } : {}),
    ...options,
  });
}

/** Base URLs the in-process fetch ignores (no socket is opened); any http URL would do. */
export const relayBase = "http://127.0.0.1:1";
export const hiiBase = "http://127.0.0.1:2";

export function relayClientOf(
  sandbox: Sandbox,
  apiKey = "test-key",
  baseUrl = relayBase,
  fetch = sandboxFetch(sandbox, "relay-cdm"),
) {
  return createRelayCdmClient({ apiKey, baseUrl, fetch });
}

/** A HiiRelevate client that gets its token from the sandbox's token endpoint (client credentials). */
export function hiiClientOf(
  sandbox: Sandbox,
  clientId: string,
  clientSecret = "secret",
  baseUrl = hiiBase,
  fetch = sandboxFetch(sandbox, "hiirelevate"),
) {
  const token = clientCredentials({
    tokenUrl: `${baseUrl}/oauth2/token`,
    clientId,
    clientSecret,
    audience: "https://hiiretail.com",
    fetch,
  });
  return createHiiRelevateClient({ baseUrl, token, fetch });
}
