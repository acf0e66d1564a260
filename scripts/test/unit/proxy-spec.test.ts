// `pnpm proxy --spec <file>`: the spec file is data, read as spec:diff reads its inputs, and must be
// an OpenAPI 3.1 document of the API; every refusal is a UsageError (exit code 2) naming the file.
import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { useTempFiles } from "@cx-openapi/devkit/testing";
import { getApi } from "../../lib/apis.js";
import { UsageError } from "../../lib/cli.js";
import { loadProxySpec, prismCopy } from "../../lib/proxy-spec.js";

const { file } = useTempFiles("cx-openapi-proxy-spec-");
const relay = JSON.parse(readFileSync(getApi("relay-cdm").bundleJson, "utf8")) as Record<string, unknown>;

function written(content: unknown, name = "patched.json"): string {
  const path = file(name);
  writeFileSync(path, typeof content === "string" ? content : JSON.stringify(content));
  return path;
}

describe("the proxy's --spec file", () => {
  it("is read as the API's spec, and handed to Prism as a copy of its own", () => {
    const patched = { ...relay, info: { ...(relay.info as object), version: "0.1.1-patched" } };
    const spec = loadProxySpec(written(patched), "relay-cdm");
    expect((spec.info as { version: string }).version).toBe("0.1.1-patched");
    const copy = prismCopy(spec, "relay-cdm");
    expect(statSync(copy.file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(copy.file, "utf8"))).toEqual(spec);
    copy.remove();
    expect(existsSync(copy.file)).toBe(false);
  });

  it.each([
    [
      "another API's spec",
      () => written(JSON.parse(readFileSync(getApi("hiirelevate").bundleJson, "utf8"))),
      /not an OpenAPI document of relay-cdm: its info.title is "HiiRelevate Customer Service API", not "Relay CDM API"/,
    ],
    [
      "an OpenAPI 3.0 document",
      () => written({ ...relay, openapi: "3.0.3" }),
      /openapi is "3.0.3"; the proxy takes an OpenAPI 3.1 document/,
    ],
    ["no OpenAPI document", () => written({ hello: "world" }), /not an OpenAPI document/],
    ["text that is not JSON or YAML", () => written("{ broken: [", "broken.json"), /cannot be read as YAML or JSON/],
    ["a missing file", () => join(file(), "missing.json"), /cannot be read \(ENOENT\)/],
    [
      "a $ref to a URL",
      () => written({ ...relay, paths: { "/x": { $ref: "http://127.0.0.1:9/x.json" } } }),
      /is a URL/,
    ],
    [
      "operations without an operationId",
      () => written({ ...relay, paths: { "/x": { get: { responses: {} } } } }),
      /GET \/x has no operationId/,
    ],
  ])("refuses %s, naming the file", (_name, make, message) => {
    const path = make();
    const refused = (() => {
      try {
        loadProxySpec(path, "relay-cdm");
      } catch (error) {
        return error;
      }
    })() as Error;
    expect(refused).toBeInstanceOf(UsageError);
    expect(refused.message).toContain(path);
    expect(refused.message).toMatch(message);
  });
});
