// The breaking-change checker: one before/after fixture per rule (scripts/test/fixtures/breaking),
// changes that must pass (fixtures/non-breaking), warnings (fixtures/warnings), the real specs, the
// exported-names diff, and spec:diff itself (in process, on a copy of the repository with a release
// tag) failing on a deliberately breaking change.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadApis, repoRoot } from "../../lib/apis.js";
import { compareDocuments } from "../../lib/breaking/compare.js";
import { diffExports, generatedTypeNames, listExports } from "../../lib/breaking/exports.js";
import { formatChange, rules, type RuleId } from "../../lib/breaking/rules.js";
import { runOrThrow } from "../../lib/process.js";
import { pathToFileURL } from "node:url";
import { commands, parseCommand, UsageError } from "../../lib/cli.js";
import { changeRecord, diffFiles, specDiff as runSpecDiff } from "../../lib/spec-diff.js";
import { captureOutput } from "@cx-openapi/devkit/testing";

const fixtures = join(repoRoot, "scripts/test/fixtures");
const load = (file: string) => parse(readFileSync(file, "utf8")) as Record<string, unknown>;
const cases = (group: string) =>
  readdirSync(join(fixtures, group)).map((name) => {
    const dir = join(fixtures, group, name);
    const expectFile = join(dir, "expect.yaml");
    return {
      name,
      rule: name.split("--")[0] as RuleId,
      before: load(join(dir, "before.yaml")),
      after: load(join(dir, "after.yaml")),
      mentions: existsSync(expectFile) ? ((load(expectFile).mentions as string[] | undefined) ?? []) : [],
    };
  });

describe("breaking changes: one fixture per rule", () => {
  const breaking = cases("breaking");

  it("has at least 30 breaking fixtures, and one for every breaking spec rule", () => {
    expect(breaking.length).toBeGreaterThanOrEqual(30);
    const specRules = Object.entries(rules)
      .filter(([id, rule]) => rule.severity === "breaking" && !id.startsWith("export-"))
      .map(([id]) => id);
    expect(specRules.filter((id) => !breaking.some((c) => c.rule === id))).toEqual([]);
  });

  it.each(breaking)("$name is reported as $rule, and nothing else breaks", ({ rule, before, after, mentions }) => {
    expect(rules[rule], `no rule named ${rule}`).toBeDefined();
    const found = compareDocuments(before, after).filter((c) => c.severity === "breaking");
    const text = found.map(formatChange).join("\n");
    expect(found.map((c) => c.rule)).toContain(rule);
    expect(
      found.filter((c) => c.rule !== rule),
      text,
    ).toEqual([]);
    for (const mention of mentions) expect(text).toContain(mention);
  });
});

describe("non-breaking changes pass", () => {
  it.each(cases("non-breaking"))("$name", ({ before, after }) => {
    const found = compareDocuments(before, after).filter((c) => c.severity !== "info");
    expect(found.map(formatChange)).toEqual([]);
  });
});

describe("warnings (fail only with --strict)", () => {
  it.each(cases("warnings"))("$name is a $rule warning", ({ rule, before, after, mentions }) => {
    const found = compareDocuments(before, after).filter((c) => c.severity !== "info");
    expect(
      found.every((c) => c.severity === "warning"),
      found.map(formatChange).join("\n"),
    ).toBe(true);
    expect(found.map((c) => c.rule)).toContain(rule);
    for (const mention of mentions) expect(found.map(formatChange).join("\n")).toContain(mention);
  });
});

describe.each(loadApis())("$name: the real spec", (api) => {
  const document = JSON.parse(readFileSync(api.bundleJson, "utf8")) as Record<string, unknown>;

  it("shows no change against itself (recursive schemas terminate)", () => {
    expect(compareDocuments(document, structuredClone(document)).map(formatChange)).toEqual([]);
  });

  it("reports a removed response property and a lowered request maxLength, naming the operation", () => {
    const changed = structuredClone(document) as {
      components: { schemas: Record<string, { properties?: Record<string, Record<string, unknown>> }> };
    };
    const [schemaName, schema] = Object.entries(changed.components.schemas).find(
      ([, s]) => Object.keys(s.properties ?? {}).length > 1,
    )!;
    const [property] = Object.keys(schema.properties!);
    delete schema.properties![property!];
    const found = compareDocuments(document, changed as unknown as Record<string, unknown>).filter(
      (c) => c.severity === "breaking",
    );
    expect(found.length, `${schemaName}.${property}`).toBeGreaterThan(0);
    expect(found.every((c) => c.path?.endsWith(`.${property}`) && c.operation)).toBe(true);
  });

  it("generates the same type names as the committed schema.ts (the names the type diff compares)", async () => {
    const committed = readFileSync(join(api.generatedDir, "schema.ts"), "utf8");
    const names = new Set([...committed.matchAll(/^export (?:type|interface) ([\w$]+)/gm)].map((m) => m[1]));
    expect(await generatedTypeNames(document)).toEqual(names);
  });
});

describe("spec:diff <base> <revision>: any two files", () => {
  const fixture = (group: string, name: string, side: "before" | "after") =>
    join(fixtures, group, name, `${side}.yaml`);

  it("compares two files of any title and lists { rule, level, location, message } records", () => {
    const result = diffFiles(
      fixture("breaking", "pattern-changed", "before"),
      fixture("breaking", "pattern-changed", "after"),
    );
    expect(result.failed).toBe(true);
    expect(result.changes.map(changeRecord)).toEqual([
      {
        rule: "pattern-changed",
        level: "breaking",
        location: { operation: "POST /customers", where: "request body application/json", path: ".nickname" },
        message: 'pattern "^[a-z]+$" added',
      },
    ]);
  });

  it("fails on warnings only with --strict", () => {
    const [before, after] = [
      fixture("warnings", "server-removed", "before"),
      fixture("warnings", "server-removed", "after"),
    ];
    expect(diffFiles(before, after).failed).toBe(false);
    expect(diffFiles(before, after, { strict: true }).failed).toBe(true);
  });

  it("bundles a split spec and finds it equal to its bundle (JSON)", () => {
    const api = loadApis().find((a) => a.name === "relay-cdm")!;
    const result = diffFiles(api.root, api.bundleJson);
    expect(result.changes.map(formatChange)).toEqual([]);
    expect(result.failed).toBe(false);
  });

  it("the command prints JSON records, sets exit code 1 on a breaking change (or a warning with --strict), 0 otherwise", async () => {
    const url = pathToFileURL(join(repoRoot, "scripts/spec-diff.ts")).href;
    await import(url);
    const command = commands.get(url)!;
    const run = async (...args: string[]) => {
      const { values, positionals } = parseCommand(command, args);
      return captureOutput(() => command.run(values, positionals));
    };
    const breaking = await run(
      fixture("breaking", "response-header-became-optional", "before"),
      fixture("breaking", "response-header-became-optional", "after"),
      "--json",
    );
    expect(breaking.code).toBe(1);
    expect(JSON.parse(breaking.out).changes).toEqual([
      {
        rule: "response-header-became-optional",
        level: "breaking",
        location: { operation: "GET /customers/{customerId}", where: "response 200 header x-request-id" },
        message: "header is no longer required (may be absent)",
      },
    ]);
    const warning = [fixture("warnings", "server-removed", "before"), fixture("warnings", "server-removed", "after")];
    expect((await run(...warning)).code).toBe(0);
    expect((await run(...warning, "--strict")).code).toBe(1);
    await expect(run(warning[0]!)).rejects.toThrow(/give two files/);
    await expect(run(...warning, "--base", "HEAD")).rejects.toThrow(UsageError);
  });

  it("rejects a missing file and a file that is not an OpenAPI document as usage errors (exit code 2)", () => {
    const ok = fixture("breaking", "pattern-changed", "before");
    expect(() => diffFiles(join(fixtures, "no-such-file.yaml"), ok)).toThrow(UsageError);
    expect(() => diffFiles(join(fixtures, "breaking/pattern-changed/expect.yaml"), ok)).toThrow(
      /not an OpenAPI document/,
    );
  });
});

describe("exported names", () => {
  const read = (dir: string) => (path: string) => {
    const file = join(repoRoot, "packages", dir, path);
    return existsSync(file) ? readFileSync(file, "utf8") : undefined;
  };

  it("lists a package's public exports with their kind, through `export *` of local modules", () => {
    const names = listExports("src/index.ts", read("relay-cdm"));
    expect(names.get("createRelayCdmClient")).toMatchObject({ kind: "unknown" });
    expect(names.get("RelayCdmClient")).toMatchObject({ kind: "type" });
    expect(names.get("consentTypeValues")).toMatchObject({ kind: "value", from: "src/generated/enums.ts" });
    expect(names.get("Customer")).toMatchObject({ kind: "type", from: "src/generated/schema.ts" });
    const runtime = listExports("src/index.ts", read("runtime"));
    expect(runtime.get("ApiError")?.kind).toBe("unknown");
    expect(runtime.get("StatusResult")?.kind).toBe("type");
  });

  it("reports removed names and values that became type-only", () => {
    const before = new Map([
      ["a", { name: "a", kind: "value" as const, from: "x" }],
      ["b", { name: "b", kind: "value" as const, from: "x" }],
    ]);
    const after = new Map([
      ["b", { name: "b", kind: "type" as const, from: "x" }],
      ["c", { name: "c", kind: "value" as const, from: "x" }],
    ]);
    expect(diffExports("pkg", before, after).map((c) => `${c.severity} ${c.rule} ${c.message}`)).toEqual([
      "breaking export-removed pkg no longer exports `a`",
      "breaking export-kind-changed pkg's `b` became type-only",
      "info export-added pkg now exports `c`",
    ]);
  });
});

describe("spec:diff", () => {
  let repo: string;
  const git = (...args: string[]) =>
    runOrThrow("git", ["-c", "user.name=test", "-c", "user.email=test@example.com", ...args], { cwd: repo }).stdout;
  /** What `pnpm spec:diff --root <repo> --api <api> [...]` prints and its exit code. */
  const specDiff = async (api: string, options: { against?: string; ignoreChangesets?: boolean } = {}) => {
    const result = await runSpecDiff({ root: repo, only: api, ...options });
    return { code: result.failed ? 1 : 0, out: result.text };
  };

  // A copy of this repository's specs and packages with a release tag, in a git repo of its own.
  beforeAll(() => {
    repo = mkdtempSync(join(tmpdir(), "cx-openapi-spec-diff-test-"));
    for (const path of ["openapi", "redocly.yaml"]) cpSync(join(repoRoot, path), join(repo, path), { recursive: true });
    for (const dir of ["runtime", "relay-cdm", "hiirelevate", "devkit"]) {
      mkdirSync(join(repo, "packages", dir), { recursive: true });
      cpSync(join(repoRoot, "packages", dir, "package.json"), join(repo, "packages", dir, "package.json"));
      cpSync(join(repoRoot, "packages", dir, "src"), join(repo, "packages", dir, "src"), { recursive: true });
    }
    git("init", "-q", "-b", "main");
    git("add", "-A");
    git("commit", "-q", "-m", "release");
    git("tag", "@cx-openapi/relay-cdm@0.1.0");
  });
  afterAll(() => rmSync(repo, { recursive: true, force: true }));

  it("fails on a deliberately breaking spec change and names each change", async () => {
    const attributes = join(repo, "openapi/relay-cdm/components/schemas/CustomerAttributes.yaml");
    const original = readFileSync(attributes, "utf8");
    try {
      const broken = original
        .replace(/\n {2}middle_name:\n(?: {4}.*\n)+/, "\n")
        .replace(/(\n {2}first_name:\n(?: {4}.*\n)*? {4}maxLength:) 100/, "$1 40");
      expect(broken).not.toBe(original);
      writeFileSync(attributes, broken);
      const index = join(repo, "packages/relay-cdm/src/index.ts");
      writeFileSync(
        index,
        readFileSync(index, "utf8").replace("createRelayCdmClient, apiKeyHeader,", "createRelayCdmClient,"),
      );

      const result = await specDiff("relay-cdm");
      expect(result.code).toBe(1);
      expect(result.out).toContain("against release tag @cx-openapi/relay-cdm@0.1.0");
      expect(result.out).toMatch(
        /✖ response-property-removed: GET \/cdm\/client\/\{client_id\}\/customer\/\{ccid\} → response 200 application\/json `\.middle_name`: property was removed/,
      );
      expect(result.out).toMatch(
        /✖ request-property-removed: POST \/cdm\/client\/\{client_id\}\/onboard → request body application\/json `\.customer\.middle_name`/,
      );
      expect(result.out).toMatch(
        /✖ constraint-tightened: POST .* `\.customer\.first_name`: maxLength lowered from 100 to 40/,
      );
      expect(result.out).toContain("✖ export-removed: @cx-openapi/relay-cdm no longer exports `apiKeyHeader`");
      expect(result.out).toContain("✖ spec:diff failed for @cx-openapi/relay-cdm");

      // A changeset announcing a breaking release (a minor while 0.x) allows the same changes.
      mkdirSync(join(repo, ".changeset"), { recursive: true });
      writeFileSync(
        join(repo, ".changeset/drop-middle-name.md"),
        '---\n"@cx-openapi/relay-cdm": minor\n---\n\nDrop middle_name.\n',
      );
      const allowed = await specDiff("relay-cdm");
      expect(allowed.out).toContain(
        "breaking changes allowed: pending changesets take @cx-openapi/relay-cdm from 0.1.0 to 0.2.0",
      );
      expect(allowed.code).toBe(0);
      // ... unless told to ignore changesets.
      expect((await specDiff("relay-cdm", { ignoreChangesets: true })).code).toBe(1);
    } finally {
      writeFileSync(attributes, original);
      git("checkout", "--", ".");
      rmSync(join(repo, ".changeset"), { recursive: true, force: true });
    }
  }, 60_000);

  it("compares with HEAD when there is no release tag, and with a published bundle via --against", async () => {
    const head = await specDiff("hiirelevate");
    expect(head.out).toContain("no release tag yet (looked for @cx-openapi/hiirelevate@* and hiirelevate@*)");
    expect(head.code).toBe(0);

    // A previously published bundle that had one more response status: its removal is breaking.
    const api = loadApis().find((a) => a.name === "hiirelevate")!;
    const published = JSON.parse(readFileSync(api.bundleJson, "utf8")) as {
      paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
    };
    published.paths["/health"]!.get!.responses["503"] = { description: "Unavailable" };
    const file = join(repo, "published.json");
    writeFileSync(file, JSON.stringify(published));
    const against = await specDiff("hiirelevate", { against: file });
    expect(against.code).toBe(1);
    expect(against.out).toContain(
      "✖ response-status-removed: GET /health → response 503: status 503 is no longer documented",
    );
  }, 60_000);
});
