// The public API reports (`pnpm api:report --check`): on a tiny package of two modules, a changed
// signature or a changed type that a signature uses makes its report stale, naming the package, the
// file and the command that updates it; a change inside a function body does not.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { apiReports, staleMessage, staleReports } from "../../lib/api-report.js";

const scratch = mkdtempSync(join(tmpdir(), "cx-openapi api-report "));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const manifest = {
  name: "@fixture/greeter",
  version: "1.0.0",
  exports: { ".": "./src/index.ts" },
  publishConfig: { main: "./dist/index.cjs" },
};
const index = `export { greet, type Greeting } from "./greet.js";\nexport const version = "1.0.0";\n`;
const greet = (signature: string, body = `"Hello, " + name`, tone = `"plain" | "warm"`) => `
/** What greet gives back. */
export interface Greeting { text: string; tone: Tone }
type Tone = ${tone};
function secret(): number { return 42; }
export function greet(${signature}): Greeting {
  return { text: ${body}, tone: "plain" };
}
void secret;
`;

/** A repository with one published package; returns its root, the reports written. */
function repository(name: string, greetModule: string): string {
  const root = join(scratch, name);
  const files = {
    "packages/greeter/package.json": JSON.stringify(manifest),
    "packages/greeter/src/index.ts": index,
    "packages/greeter/src/greet.ts": greetModule,
  };
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  for (const [file, text] of apiReports(root)) writeFileSync(file, text);
  return root;
}

describe("public API reports", () => {
  it("show each export's declaration and the unexported types it uses, sorted, without comments or bodies", () => {
    const root = repository("shape", greet("name: string"));
    const report = readFileSync(join(root, "packages/greeter/api-report.md"), "utf8");
    expect(report).toMatch(/^# @fixture\/greeter: public API\n/);
    const block = report.split("```ts\n")[1]!.split("```")[0]!;
    expect(block).toBe(
      [
        "interface Greeting {\n    text: string;\n    tone: Tone;\n}",
        "function greet(name: string): Greeting;",
        'const version = "1.0.0";',
        "// ─── Not exported, but used by the declarations above ───",
        'type Tone = "plain" | "warm";\n',
      ].join("\n\n"),
    );
    expect(staleReports(root)).toEqual([]);
  });

  it("catch a changed signature, naming the package, the report and the command that updates it", () => {
    const root = repository("signature", greet("name: string"));
    writeFileSync(join(root, "packages/greeter/src/greet.ts"), greet("name: string, excited?: boolean"));
    const stale = staleReports(root);
    expect(stale.map((report) => [report.packageName, report.file])).toEqual([
      ["@fixture/greeter", "packages/greeter/api-report.md"],
    ]);
    expect(stale[0]!.diff).toEqual([
      "- function greet(name: string): Greeting;",
      "+ function greet(name: string, excited?: boolean): Greeting;",
    ]);
    expect(staleMessage(stale[0]!)).toMatch(
      /^@fixture\/greeter: packages\/greeter\/api-report\.md does not match the package's exports; run `pnpm api:report`/,
    );
  });

  it("catch a change to an unexported type that a signature uses", () => {
    const root = repository("used-type", greet("name: string"));
    writeFileSync(
      join(root, "packages/greeter/src/greet.ts"),
      greet("name: string", undefined, `"plain" | "warm" | "cold"`),
    );
    expect(staleReports(root).flatMap((report) => report.diff)).toEqual([
      '- type Tone = "plain" | "warm";',
      '+ type Tone = "plain" | "warm" | "cold";',
    ]);
  });

  it("let a change inside a function body pass", () => {
    const root = repository("body", greet("name: string"));
    writeFileSync(join(root, "packages/greeter/src/greet.ts"), greet("name: string", `"Hi, " + name + "!"`));
    expect(staleReports(root)).toEqual([]);
  });

  it("fail for a package without a report", () => {
    const root = repository("missing", greet("name: string"));
    rmSync(join(root, "packages/greeter/api-report.md"));
    expect(staleReports(root).map((report) => report.file)).toEqual(["packages/greeter/api-report.md"]);
  });
});
