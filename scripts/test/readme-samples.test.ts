// Every TypeScript block of the READMEs compiles against the real client types, so a README
// example cannot go stale. Free variables a block uses for brevity (apiKey, customerId...) are
// declared as strings first. Blocks importing a subpath (`/openapi.json`) are proven by the
// consumer test instead, since only installed tarballs resolve those.
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { repoRoot } from "../lib/apis.js";
import { typeCheckSamples, type SampleProblem } from "../lib/code-samples.js";

const readmes = [
  join(repoRoot, "README.md"),
  ...readdirSync(join(repoRoot, "packages")).map((p) => join(repoRoot, "packages", p, "README.md")),
];
const freeVariables = ["apiKey", "clientId", "clientSecret", "customerId", "client_id", "ccid"];

function tsBlocks(file: string): [string, string][] {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return [];
  }
  const blocks = [...text.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1] ?? "");
  return blocks
    .filter(
      (block) =>
        !/from "@cx-openapi\/[^"]+\/[^"]+"/.test(block) && !/import\.meta\.resolve\("@cx-openapi\/[^"]+\//.test(block),
    )
    .map((block, i) => [`${relative(repoRoot, file).replace(/[/.]/g, "_")}_${i}`, withDeclarations(block)]);
}

function withDeclarations(block: string): string {
  const declared = (name: string) => new RegExp(`(const|let|var)\\s+${name}\\b|import[^;]*\\b${name}\\b`).test(block);
  const free = freeVariables.filter((name) => new RegExp(`\\b${name}\\b`).test(block) && !declared(name));
  return `${free.map((name) => `declare const ${name}: string;`).join("\n")}\n${block}`;
}

const stale = 'import { createRelayCdmClient } from "@cx-openapi/relay-cdm";\ncreateRelayCdmClient({ key: "x" });\n';

describe("README examples", () => {
  const samples = new Map(readmes.flatMap(tsBlocks));
  // One compile for the READMEs' blocks and a deliberately stale one: each program costs seconds.
  let problems: SampleProblem[];
  beforeAll(() => {
    ({ problems } = typeCheckSamples(new Map([...samples, ["stale", stale]])));
  });

  it("exist in the root README and every package README", () => {
    expect(samples.size).toBeGreaterThanOrEqual(5);
  });

  it("compile against the real client types", () => {
    expect(problems.filter((problem) => problem.file !== "stale.ts")).toEqual([]);
  });

  it("would catch a stale example", () => {
    const found = problems.filter((problem) => problem.file === "stale.ts");
    expect(found).toHaveLength(1);
    expect(found[0]!.messages.join("\n")).toMatch(/'key' does not exist/);
  });
});
