// `spec:diff <base> <revision>` and `--against` treat the files they are given as data: no
// configuration or plugin from their folder, no network, no file outside their folder, bounded size,
// strict UTF-8, YAML aliases limited; and a comparison that stays small on recursive schemas.
// Everything runs in process; scripts/test/e2e/spec-diff-command.test.ts checks the real exit code.
import { once } from "node:events";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { parse as load } from "yaml";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadApis, repoRoot } from "../../lib/apis.js";
import { maxComparisonSteps } from "../../lib/breaking/memo.js";
import { formatChange } from "../../lib/breaking/rules.js";
import { commands, parseCommand, UsageError } from "../../lib/cli.js";
import { diffFiles, specDiff } from "../../lib/spec-diff.js";
import { captureOutput } from "@cx-openapi/devkit/testing";

const fixtures = join(repoRoot, "scripts/test/fixtures");
const MB = 1024 * 1024;

/** A spec whose one response body is `schema` (YAML flow text). */
const spec = (schema: string, title = "Input") => `openapi: 3.1.0
info: { title: ${title}, version: 1.0.0 }
paths:
  /things:
    get:
      operationId: getThing
      responses:
        "200":
          description: A thing
          content:
            application/json:
              schema: ${schema}
`;

/** What `pnpm spec:diff <args>` prints and its exit code, run in this process. */
async function runCommand(...args: string[]): Promise<{ code: number; out: string }> {
  const url = pathToFileURL(join(repoRoot, "scripts/spec-diff.ts")).href;
  await import(url);
  const command = commands.get(url)!;
  const { values, positionals } = parseCommand(command, args);
  return captureOutput(() => command.run(values, positionals));
}

let dir: string;
/** Files of the input folder `dir/spec`; the folder around it holds what must stay out of reach. */
const write = (files: Record<string, string | Buffer>) => {
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(join(dir, name, ".."), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
};
const input = (name = "openapi.yaml") => join(dir, "spec", name);

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "cx-openapi-spec-diff-input-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("spec:diff <base> <revision>: the files are data", () => {
  it("loads no redocly.yaml and runs no plugin from a split file's folder", async () => {
    write({
      "spec/redocly.yaml": "plugins:\n  - ./plugin.cjs\n",
      "spec/plugin.cjs": `require("node:fs").writeFileSync(${JSON.stringify(join(dir, "marker"))}, "the plugin ran");
module.exports = function plugin() { return { id: "marker" }; };
`,
      "spec/openapi.yaml": spec("{ $ref: ./thing.yaml }"),
      "spec/thing.yaml": "type: object\nproperties:\n  name: { type: string }\n",
    });
    const result = await runCommand(input(), input(), "--json");
    expect(existsSync(join(dir, "marker")), "the plugin ran").toBe(false);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.out).changes).toEqual([]);
  });

  it("fetches no URL: an http $ref exits 2 naming the file and the ref, and the server gets no request", async () => {
    let requests = 0;
    const server = createServer((_request, response) => {
      requests++;
      response.end("type: string\n");
    });
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    const ref = `http://127.0.0.1:${(server.address() as AddressInfo).port}/schema.yaml`;
    try {
      write({ "spec/openapi.yaml": spec(`{ $ref: "${ref}" }`) });
      const failure = runCommand(input(), input());
      await expect(failure).rejects.toThrow(UsageError);
      await expect(failure).rejects.toThrow(`${input()}: $ref "${ref}" is a URL`);
    } finally {
      // close() waits for any connection that did reach the server, so the count below is final.
      await new Promise((done) => server.close(done));
    }
    expect(requests).toBe(0);
  });

  it("reads no file outside the input's folder: a ../ path, an absolute path or a symlink exits 2 naming the ref", () => {
    write({
      "secret.yaml": "type: string\ndescription: a secret outside the spec's folder\n",
      "spec/up.yaml": spec("{ $ref: ../secret.yaml }"),
      "spec/absolute.yaml": spec(`{ $ref: "${join(dir, "secret.yaml")}" }`),
      "spec/passwd.yaml": spec("{ $ref: /etc/passwd }"),
      "spec/linked.yaml": spec("{ $ref: ./schemas/link.yaml }"),
      "spec/nested.yaml": spec("{ $ref: ./schemas/thing.yaml }"),
      "spec/schemas/thing.yaml": "type: object\nproperties:\n  secret: { $ref: ../../secret.yaml }\n",
    });
    symlinkSync(join(dir, "secret.yaml"), join(dir, "spec/schemas/link.yaml"));
    for (const [file, ref] of [
      ["up.yaml", "../secret.yaml"],
      ["absolute.yaml", join(dir, "secret.yaml")],
      ["passwd.yaml", "/etc/passwd"],
      ["linked.yaml", "./schemas/link.yaml"],
      ["nested.yaml", "../../secret.yaml"],
    ] as const) {
      const attempt = () => diffFiles(input(file), input(file), { verbose: true });
      expect(attempt, file).toThrow(UsageError);
      expect(attempt, file).toThrow(`$ref ${JSON.stringify(ref)}`);
      expect(attempt, file).toThrow("spec:diff reads only files under the folder of the file it is given");
    }
  });

  it("reads what a $ref leads to inside the folder, a file that is not YAML or JSON as its text", () => {
    write({
      "spec/openapi.yaml": spec("{ $ref: ./schemas/thing.yaml }"),
      "spec/revision.yaml": spec("{ $ref: ./schemas/thing.yaml#/$defs/Other }"),
      "spec/schemas/thing.yaml": `type: object
properties:
  name: { type: string }
  kind: { const: { $ref: ./kind.txt } }
$defs:
  Other: { type: object, properties: { name: { type: integer }, kind: { const: other } } }
`,
      "spec/schemas/kind.txt": "thing",
    });
    // Each schema a $ref leads to is a component named as `redocly bundle` names it.
    expect(diffFiles(input(), input("revision.yaml")).changes.map(formatChange)).toEqual([
      "✖ type-changed: GET /things → response 200 application/json `.name`: type changed from string to integer",
      '✖ enum-value-removed: GET /things → response 200 application/json `.kind`: enum value "thing" removed',
      "✖ schema-removed: components.schemas.thing was removed (and its generated type `thing`)",
      '⚠ response-enum-value-added: GET /things → response 200 application/json `.kind`: enum value "other" added',
      "· schema-added: components.schemas.Other was added",
    ]);
  });

  it("refuses a file over 20 MB, and one side's files adding up to over 20 MB (exit code 2)", () => {
    const padded = (megabytes: number) =>
      `{"type": "object", "description": "${"x".repeat(Math.round(megabytes * MB))}"}`;
    write({
      "spec/big.json": `{"openapi": "3.1.0", "info": {"title": "Big", "version": "1"}, "paths": {}, "x-pad": ${padded(20.5)}}`,
      "spec/openapi.yaml": spec("{ allOf: [{ $ref: ./a.json }, { $ref: ./b.json }] }"),
      "spec/a.json": padded(10.5),
      "spec/b.json": padded(10.5),
    });
    expect(() => diffFiles(input("big.json"), input("big.json"))).toThrow(
      /big\.json: over 20\.0 MB, the limit for one input file/,
    );
    expect(() => diffFiles(input(), input())).toThrow(/b\.json: the files read for .* add up to over 20\.0 MB/);
  });

  it("refuses a YAML alias bomb behind a $ref within 2 s and 256 MB (exit code 2)", () => {
    const bomb = join(fixtures, "hostile/alias-bomb/openapi.yaml");
    const peak = process.resourceUsage().maxRSS;
    const started = performance.now();
    expect(() => diffFiles(bomb, bomb)).toThrow(UsageError);
    expect(() => diffFiles(bomb, bomb)).toThrow(/bomb\.yaml: its YAML aliases expand past the limit/);
    expect(performance.now() - started).toBeLessThan(2000);
    expect((process.resourceUsage().maxRSS - peak) * 1024).toBeLessThan(256 * MB);
  });

  it("refuses a file that is not UTF-8 (exit code 2)", () => {
    // "café" in Latin-1: a lone 0xE9 byte.
    write({ "spec/openapi.yaml": Buffer.from(spec('{ type: string, description: "café" }'), "latin1") });
    expect(() => diffFiles(input(), input())).toThrow(/openapi\.yaml: not valid UTF-8/);
  });

  it("refuses duplicate keys and a YAML alias that contains itself (exit code 2)", () => {
    write({
      "spec/twice.yaml": `${spec("{ type: string }")}info: { title: Again, version: 2.0.0 }\n`,
      "spec/cycle.yaml": spec("&node { type: object, properties: { child: *node } }"),
    });
    expect(() => diffFiles(input("twice.yaml"), input("twice.yaml"))).toThrow(/line 13: the key "info" appears twice/);
    expect(() => diffFiles(input("cycle.yaml"), input("cycle.yaml"))).toThrow(/a YAML alias contains itself/);
  });

  it("fetches nothing for --against either: an example's externalValue URL is never requested", async () => {
    let requests = 0;
    const server = createServer((_request, response) => {
      requests++;
      response.end("{}");
    });
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    try {
      const api = loadApis().find((candidate) => candidate.name === "hiirelevate")!;
      const published = JSON.parse(readFileSync(api.bundleJson, "utf8")) as {
        components: { examples?: Record<string, unknown> };
      };
      const externalValue = `http://127.0.0.1:${(server.address() as AddressInfo).port}/example.json`;
      published.components.examples = { ...published.components.examples, Remote: { externalValue } };
      write({ "spec/published.json": JSON.stringify(published) });
      const result = await specDiff({ root: repoRoot, against: input("published.json"), only: "hiirelevate" });
      expect(result.reports).toHaveLength(1);
    } finally {
      await new Promise((done) => server.close(done));
    }
    expect(requests).toBe(0);
  });

  it("treats --against as data too", async () => {
    const published = { openapi: "3.1.0", info: { title: "Café", version: "1.0.0" }, paths: {} };
    write({ "spec/published.json": Buffer.from(JSON.stringify(published), "latin1") });
    await expect(specDiff({ root: repoRoot, against: input("published.json"), only: "hiirelevate" })).rejects.toThrow(
      /published\.json: not valid UTF-8/,
    );
  });
});

describe("spec:diff: bundling in process, and bounded comparisons", () => {
  it.each(loadApis())("bundles $name's split spec to what `redocly bundle` made: no change at all", (api) => {
    expect(diffFiles(api.root, api.bundleJson).changes.map(formatChange)).toEqual([]);
  });

  it("refuses a comparison that would run away (request oneOf variants checked pairwise) as too large (exit code 2)", () => {
    // The default budget is a million steps, about a second of work; a small one proves the same refusal.
    expect(maxComparisonSteps).toBe(1_000_000);
    const variants = Array.from({ length: 300 }, (_, i) => ({ type: "object", required: [`p${i}`] }));
    const body = { content: { "application/json": { schema: { oneOf: variants } } } };
    const document = { ...load(spec("{}")), paths: { "/things": { post: { requestBody: body, responses: {} } } } };
    write({ "spec/openapi.json": JSON.stringify(document) });
    const started = performance.now();
    expect(() => diffFiles(input("openapi.json"), input("openapi.json"), { maxSteps: 10_000 })).toThrow(
      /takes more than 10,000 steps: refused as too large/,
    );
    expect(performance.now() - started).toBeLessThan(1000);
  });
});

describe("spec:diff on recursive schemas", () => {
  it("compares nine mutually recursive schemas in about the time of a trivial pair, reporting each change once", () => {
    const pair = (group: string, name: string) =>
      [join(fixtures, group, name, "before.yaml"), join(fixtures, group, name, "after.yaml")] as const;
    const time = (files: readonly [string, string]) => {
      const started = performance.now();
      const result = diffFiles(...files);
      return { result, ms: performance.now() - started };
    };
    const trivial = time(pair("breaking", "pattern-changed"));
    const recursive = time(pair("hostile", "recursion"));
    expect(recursive.result.changes.map(formatChange)).toEqual([
      "✖ type-changed: GET /nodes → response 200 application/json `.n9.label`: type changed from string to integer",
      "✖ type-changed: POST /nodes → request body application/json `.n9.label`: type changed from string to integer",
    ]);
    expect(recursive.result.text.split("\n")).toHaveLength(5);
    expect(recursive.ms - trivial.ms).toBeLessThan(500);
  });
});
