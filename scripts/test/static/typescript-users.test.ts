// What a TypeScript user of the clients sees, checked in one TypeScript program with the
// repository's own tsconfig (a program costs seconds; one serves all of it):
// - every TypeScript block of the READMEs compiles against the real client types, so a README example
//   cannot go stale. Free variables a block uses for brevity (apiKey, customerId...) are declared as
//   strings first. Blocks importing a subpath (`/openapi.json`) are proven by the consumer test
//   instead, since only installed tarballs resolve those.
// - what the editor shows: the names hovers show, and tsc's messages for common mistakes
//   (snapshotted), for each client.
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { checkSnippets, testDir } from "@cx-openapi/devkit/testing";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../../lib/apis.js";

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

const relayPrelude = `import { createRelayCdmClient, isApiError, ApiError } from "@cx-openapi/relay-cdm";
const relay = createRelayCdmClient({ apiKey: "key", environment: "staging" });
const path = { params: { path: { client_id: "relay_developer", ccid: "BAK-1" } } };
`;

const hiiPrelude = `import { createHiiRelevateClient, isApiError } from "@cx-openapi/hiirelevate";
const hii = createHiiRelevateClient({ baseUrl: "http://127.0.0.1:9", token: "t" });
const path = { params: { path: { customerId: "c-1" } } };
`;

/** The snippets seem to sit in this test's folder: `@cx-openapi/*` resolves as in the workspace. */
const snippetDir = testDir(import.meta.url);
const readmeSamples = Object.fromEntries(readmes.flatMap(tsBlocks));
// The README blocks last: tsc's messages print a union's members in the order the program made
// them, so the editor's snippets are checked first, as they would be on their own.
const checked = checkSnippets({
  relay: {
    dir: snippetDir,
    snippets: {
      hover: `${relayPrelude}
export async function f(e: unknown) {
  const result = await relay.GET("/cdm/client/{client_id}/customer/{ccid}", path);
  if (result.status === 200) { const data = result.data; void data; }
  if (e instanceof ApiError) { const caught = e; void caught; }
  if (isApiError(e, "GET", "/cdm/client/{client_id}/customer/{ccid}", 404)) { const guarded = e; void guarded; }
  void result;
}`,
      missingField: `${relayPrelude}
export const r = relay.POST("/cdm/client/{client_id}/onboard", { params: { path: { client_id: "c" } }, body: { product_group_id: "default" } });`,
      pathTypo: `${relayPrelude}
export const r = relay.GET("/cdm/client/{client_id}/customers/{ccid}", path);`,
      bothOptions: `import { createRelayCdmClient } from "@cx-openapi/relay-cdm";
export const r = createRelayCdmClient({ apiKey: "key", environment: "staging", baseUrl: "http://127.0.0.1:9" });`,
      neitherOption: `import { createRelayCdmClient } from "@cx-openapi/relay-cdm";
export const r = createRelayCdmClient({ apiKey: "key" });`,
      anyBody: `import { ApiError } from "@cx-openapi/relay-cdm";
export function f(e: unknown) { if (e instanceof ApiError) return e.body.anything.deep; return undefined; }`,
    },
  },
  hii: {
    dir: snippetDir,
    snippets: {
      hover: `${hiiPrelude}
export async function f(e: unknown) {
  const result = await hii.GET("/customers/{customerId}", path);
  if (result.status === 200) { const data = result.data; void data; }
  if (result.status === 404) { const error = result.error; void error; }
  if (isApiError(e, "GET", "/customers/{customerId}", 404)) { const body = e.body; void body; }
}`,
      missingField: `${hiiPrelude}
export const r = hii.POST("/segments", { body: { name: "loyalty", daysValid: 30 } });`,
      pathTypo: `${hiiPrelude}
export const r = hii.GET("/customer/{customerId}", path);`,
      noToken: `import { createHiiRelevateClient } from "@cx-openapi/hiirelevate";
export const r = createHiiRelevateClient({ baseUrl: "http://127.0.0.1:9" });`,
    },
  },
  readme: { dir: snippetDir, snippets: { ...readmeSamples, stale } },
});

describe("README examples", () => {
  it("exist in the root README and every package README", () => {
    expect(Object.keys(readmeSamples).length).toBeGreaterThanOrEqual(5);
  });

  it("compile against the real client types", () => {
    const problems = Object.entries(checked.readme).filter(
      ([name, result]) => name !== "stale" && result.messages.length,
    );
    expect(problems.map(([name, result]) => `${name}: ${result.messages.join("; ")}`)).toEqual([]);
  });

  it("would catch a stale example", () => {
    expect(checked.readme.stale!.messages).toHaveLength(1);
    expect(checked.readme.stale!.messages[0]).toMatch(/'key' does not exist/);
  });
});

describe("what the editor shows: the Relay CDM client", () => {
  it("hovers name the result, the schema and the narrowed error", () => {
    const { hover } = checked.relay;
    expect(hover!.messages).toEqual([]);
    expect(hover!.typeOf("result")).toMatchInlineSnapshot(
      `"CallResult<paths, "get", "/cdm/client/{client_id}/customer/{ccid}">"`,
    );
    expect(hover!.typeOf("data")).toMatchInlineSnapshot(`"Customer"`);
    expect(hover!.typeOf("caught")).toMatchInlineSnapshot(`"ApiError<unknown, unknown>"`);
    expect(hover!.typeOf("guarded")).toMatchInlineSnapshot(
      `"ApiErrorOf<paths, "get", "/cdm/client/{client_id}/customer/{ccid}", 404>"`,
    );
  });

  it("tsc's messages for common mistakes say what is wrong", () => {
    expect(checked.relay.missingField!.messages).toMatchInlineSnapshot(`
      [
        "Property 'customer' is missing in type '{ product_group_id: string; }' but required in type 'OnboardCustomerRequest'.",
      ]
    `);
    expect(checked.relay.pathTypo!.messages).toMatchInlineSnapshot(`
      [
        "Argument of type '"/cdm/client/{client_id}/customers/{ccid}"' is not assignable to parameter of type '"/cdm/client/{client_id}/customer/{ccid}"'.",
      ]
    `);
    expect(checked.relay.bothOptions!.messages).toMatchInlineSnapshot(`
      [
        "Argument of type '{ apiKey: string; environment: "staging"; baseUrl: "http://127.0.0.1:9"; }' is not assignable to parameter of type 'RelayCdmClientOptions<false>'.
        Types of property 'baseUrl' are incompatible.
          Type '"http://127.0.0.1:9"' is not assignable to type '"(give either environment or baseUrl, not both)"'.",
      ]
    `);
    expect(checked.relay.neitherOption!.messages).toMatchInlineSnapshot(`
      [
        "Argument of type '{ apiKey: string; }' is not assignable to parameter of type 'RelayCdmClientOptions<false>'.
        Type '{ apiKey: string; }' is not assignable to type 'RuntimeOptions<false> & { apiKey: string; } & { baseUrl: string; environment?: "(give either environment or baseUrl, not both)"; }'.
          Property 'baseUrl' is missing in type '{ apiKey: string; }' but required in type '{ baseUrl: string; environment?: "(give either environment or baseUrl, not both)"; }'.",
      ]
    `);
    expect(checked.relay.anyBody!.messages).toMatchInlineSnapshot(`
      [
        "'e.body' is of type 'unknown'.",
      ]
    `);
  });
});

describe("what the editor shows: the HiiRelevate client", () => {
  it("hovers name the result and the schemas", () => {
    const { hover } = checked.hii;
    expect(hover!.messages).toEqual([]);
    expect(hover!.typeOf("result")).toMatchInlineSnapshot(`"CallResult<paths, "get", "/customers/{customerId}">"`);
    expect(hover!.typeOf("data")).toMatchInlineSnapshot(`"CustomerDto"`);
    expect(hover!.typeOf("error")).toMatchInlineSnapshot(`"ErrorResponse"`);
    expect(hover!.typeOf("body")).toMatchInlineSnapshot(`"ErrorResponse"`);
  });

  it("tsc's messages for common mistakes say what is missing or which paths exist", () => {
    expect(checked.hii.missingField!.messages).toMatchInlineSnapshot(`
      [
        "Property 'allowMultiple' is missing in type '{ name: string; daysValid: number; }' but required in type 'CreateSegmentDto'.",
      ]
    `);
    expect(checked.hii.pathTypo!.messages).toMatchInlineSnapshot(`
      [
        "Argument of type '"/customer/{customerId}"' is not assignable to parameter of type '"/customers/{customerId}" | "/health"'.",
      ]
    `);
    expect(checked.hii.noToken!.messages).toMatchInlineSnapshot(`
      [
        "Argument of type '{ baseUrl: string; }' is not assignable to parameter of type 'HiiRelevateClientOptions<false>'.
        Property 'token' is missing in type '{ baseUrl: string; }' but required in type '{ baseUrl: string; token: TokenSource; }'.",
      ]
    `);
  });
});
