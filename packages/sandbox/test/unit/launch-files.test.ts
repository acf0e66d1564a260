// The files cx-sandbox starts from besides its state, read as data and checked before anything
// starts: a fault profile per API (--faults) and a patched bundled spec per API (--spec). Every
// refusal names the flag, the API, the file and the field.
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { bundleDir, bundleFile } from "@cx-openapi/devkit/repo";
import { useTempFiles } from "@cx-openapi/devkit/testing";
import { describe, expect, it } from "vitest";
import { launchSandbox, specsOf } from "../../src/launch.js";
import { faultFileLimits, loadBundledSpec, prismCopies, readFaultFile } from "../../src/launch-files.js";
import { createSandbox } from "../../src/sandbox.js";
import { sandboxFetch } from "../../src/fetch.js";
import { loadSpecs, relayBase } from "../helpers.js";

const temp = useTempFiles("cx-sandbox-files-");
const profile = join(import.meta.dirname, "../fixtures/faults.json");

function written(name: string, text: string): string {
  const file = join(temp.dir(), name);
  writeFileSync(file, text);
  return file;
}

describe("--faults <api>=<file>", () => {
  it("gives the API's start rules, as PUT /__sandbox/faults takes them", () => {
    expect(readFaultFile("relay-cdm", profile)).toEqual(JSON.parse(readFileSync(profile, "utf8")));
  });

  it.each([
    ['[{ "status": 503 }, { "delayMs": { "p50": 90, "p90": 10 } }]', "[1].delayMs.p90 must be at least p50 (90)"],
    ['[{ "status": 503, "colour": "red" }]', "property [0].colour should not exist"],
    ['{ "rules": [] }', "(root) must be a list of fault rules"],
    ['[{ "status": 503 },]', "not valid JSON"],
    ["", "not valid JSON"],
    [`${"[".repeat(9)}${"]".repeat(9)}`, "nests arrays and objects deeper than the limit of 8 levels"],
    [`[${" ".repeat(faultFileLimits.maxBytes)}]`, `larger than the limit of ${faultFileLimits.maxBytes} bytes`],
  ])("refuses %j, naming the flag, the file, the rule and the field", (text, problem) => {
    const file = written("faults.json", text);
    expect(() => readFaultFile("relay-cdm", file)).toThrow(`--faults relay-cdm=${file}: ${problem}`);
  });

  it("refuses a folder, a missing file and text that is not UTF-8", () => {
    const dir = temp.dir();
    expect(() => readFaultFile("hiirelevate", dir)).toThrow(`--faults hiirelevate=${dir}: not a regular file`);
    const missing = join(dir, "none.json");
    expect(() => readFaultFile("hiirelevate", missing)).toThrow(`${missing}: cannot be read (ENOENT)`);
    const latin1 = join(dir, "latin1.json");
    writeFileSync(latin1, Buffer.from([0x5b, 0xe9, 0x5d]));
    expect(() => readFaultFile("hiirelevate", latin1)).toThrow(`${latin1}: not UTF-8 text`);
  });

  it("a bad file stops the launch before anything listens", async () => {
    const file = written("faults.json", '[{ "status": 200 }]');
    const launching = launchSandbox({ specDir: bundleDir, gate: "in-process", faultFiles: { "relay-cdm": file } });
    void launching.then(
      ({ running }) => running.stop(),
      () => undefined,
    );
    await expect(launching).rejects.toThrow(
      `--faults relay-cdm=${file}: [0].status must be a whole number from 400 to 599`,
    );
  });
});

describe("start rules", () => {
  const call = (sandbox: ReturnType<typeof createSandbox>, namespace?: string) =>
    sandboxFetch(sandbox, "relay-cdm")(`${relayBase}/cdm/client/c1/customer/X-1`, {
      method: "DELETE",
      headers: { "xx-relay-api-key": "k", ...(namespace ? { "x-sandbox-namespace": namespace } : {}) },
    });

  it("apply in every namespace from the start, each counting its own requests", async () => {
    const rules = [{ operationId: "deactivateCustomer", nth: 2, status: 429, retryAfter: 7 }];
    const sandbox = createSandbox({ specs: loadSpecs(), faults: { "relay-cdm": rules }, empty: true });
    const statuses = async (namespace?: string) => [
      (await call(sandbox, namespace)).status,
      (await call(sandbox, namespace)).status,
    ];
    expect(await statuses()).toEqual([404, 429]);
    expect(await statuses("worker-1")).toEqual([404, 429]);
    expect(sandbox.worlds.main.faults.hiirelevate.rules).toEqual([]);
  });

  it("are checked like PUT /__sandbox/faults's", () => {
    expect(() => createSandbox({ specs: loadSpecs(), faults: { "relay-cdm": [{ nth: 0, status: 503 }] } })).toThrow(
      "createSandbox: faults.relay-cdm: [0].nth must be a whole number from 1 to 1000000",
    );
  });
});

/** The parts of a bundled spec the tests change. */
interface Spec {
  openapi?: string;
  swagger?: string;
  info: { version: string };
  paths: Record<string, unknown>;
  components: { schemas: Record<string, unknown> };
}

describe("--spec <api>=<file>", () => {
  const shipped = () => JSON.parse(readFileSync(bundleFile("relay-cdm"), "utf8")) as Spec;

  it("a patched spec becomes the API's: Prism's file and the sandbox's document", () => {
    const spec = shipped();
    spec.info.version = "0.1.0-patched";
    const file = written("relay-cdm.patched.json", JSON.stringify(spec));
    const { specFiles, specs } = specsOf({ specDir: bundleDir, specFiles: { "relay-cdm": file } });
    expect(specFiles).toEqual({ "relay-cdm": file, hiirelevate: bundleFile("hiirelevate") });
    expect((specs["relay-cdm"] as unknown as { info: { version: string } }).info.version).toBe("0.1.0-patched");
  });

  it("Prism reads a private copy of what was read and checked, never the file itself", () => {
    const file = written("relay-cdm.patched.json", readFileSync(bundleFile("relay-cdm"), "utf8"));
    const { specs } = specsOf({ specDir: bundleDir, specFiles: { "relay-cdm": file } });
    const copies = prismCopies(specs, { "relay-cdm": file });
    const copy = copies.files["relay-cdm"]!;
    expect(Object.keys(copies.files)).toEqual(["relay-cdm"]);
    writeFileSync(file, "{}");
    expect(JSON.parse(readFileSync(copy, "utf8"))).toEqual(specs["relay-cdm"]);
    expect(statSync(copy).mode & 0o777).toBe(0o600);
    expect(statSync(dirname(copy)).mode & 0o777).toBe(0o700);
    copies.remove();
    expect(existsSync(dirname(copy))).toBe(false);
  });

  it("looks in the folder of bundles only for the APIs it does not give", () => {
    const dir = temp.dir();
    mkdirSync(join(dir, "empty"));
    const file = written("r.json", readFileSync(bundleFile("relay-cdm"), "utf8"));
    expect(() => specsOf({ specDir: join(dir, "empty"), specFiles: { "relay-cdm": file } })).toThrow(
      /no bundled spec at .*empty\/hiirelevate\.json/,
    );
  });

  it.each([
    [
      "a $ref outside the document",
      (spec: Spec) => {
        spec.components.schemas.Ccid = { $ref: "https://127.0.0.1:1/ccid.json" };
      },
      '/components/schemas/Ccid: $ref "https://127.0.0.1:1/ccid.json" points outside the document; bundle it first',
    ],
    [
      "an operation the sandbox has no behaviour for",
      (spec: Spec) => {
        spec.paths["/cdm/client/{client_id}/export"] = {
          get: { operationId: "exportCustomers", responses: { 200: { description: "ok" } } },
        };
      },
      "the sandbox cannot serve it as relay-cdm's spec: relay-cdm: no handler for operation exportCustomers",
    ],
    [
      "a Swagger 2 document",
      (spec: Spec) => {
        delete spec.openapi;
        spec.swagger = "2.0";
      },
      "openapi must be 3.0.x or 3.1.x; got undefined",
    ],
  ])("refuses %s, naming the flag and the file", (_what, patch, problem) => {
    const spec = shipped();
    patch(spec);
    const file = written("patched.json", JSON.stringify(spec));
    expect(() => loadBundledSpec("relay-cdm", file)).toThrow(`--spec relay-cdm=${file}: ${problem}`);
  });

  it("refuses another API's spec", () => {
    expect(() => loadBundledSpec("hiirelevate", bundleFile("relay-cdm"))).toThrow(
      /--spec hiirelevate=.*relay-cdm\.json: the sandbox cannot serve it as hiirelevate's spec: hiirelevate: no handler for operation onboardCustomer/,
    );
  });
});
