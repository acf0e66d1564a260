// The precompiled response validators `pnpm gen` writes for the clients' drift reporters: code that
// runs under a Content-Security-Policy without 'unsafe-eval', and that judges bodies as the spec's
// own validator does.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { driftApi as relayDrift } from "../../src/generated/drift-relay-cdm.js";
import { driftApi as hiiDrift } from "../../src/generated/drift-hiirelevate.js";
import { checkExchange } from "../../src/drift/index.js";
import { apiNames, compileDriftApi, loadSpec } from "../../src/index.js";

const generatedDir = join(import.meta.dirname, "../../src/generated");
const bundle = (name: string) => join(import.meta.dirname, "../../../../dist/openapi", `${name}.json`);

describe("the precompiled drift validators", () => {
  it("exist for every API and hold no eval, no new Function and no require", () => {
    const files = readdirSync(generatedDir).filter((file) => file.startsWith("drift-"));
    expect(files.sort()).toEqual(apiNames.map((name) => `drift-${name}.ts`).sort());
    for (const file of files) {
      const code = readFileSync(join(generatedDir, file), "utf8");
      expect(code, file).not.toMatch(/\bnew\s+Function\b|\bFunction\s*\(|\beval\s*\(|\brequire\s*\(|\bimport\s*\(/);
    }
  });

  it("judge bodies as validators compiled from the spec at run time do", () => {
    const cases = [
      { status: 200, body: { first_name: "Roger", notification_channels: [{ consent_type: "written" }] } },
      { status: 200, body: { first_name: 7, id: 7, notification_channels: [{ consent_type: "verbal" }] } },
      { status: 404, body: { message: ["not", "a", "string"] } },
      { status: 418, body: {} },
    ];
    for (const [name, precompiled] of [
      ["relay-cdm", relayDrift],
      ["hiirelevate", hiiDrift],
    ] as const) {
      const compiled = compileDriftApi(loadSpec(bundle(name)), name);
      expect(compiled.operations).toEqual(precompiled.operations);
      const get = precompiled.operations.find((op) => op.method === "GET" && op.path.includes("{"))!;
      let deviations = 0;
      for (const { status, body } of cases) {
        const exchange = {
          method: get.method,
          path: get.path,
          status,
          contentType: "application/json",
          body: JSON.stringify(body),
        };
        const outcome = checkExchange(precompiled, exchange);
        expect(outcome, `${name} ${status}`).toEqual(checkExchange(compiled, exchange));
        deviations += outcome!.events.length;
      }
      expect(deviations, name).toBeGreaterThanOrEqual(3);
    }
  });
});
